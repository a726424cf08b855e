"""The C enumerations as :class:`enum.IntEnum` classes.

Every ``typedef enum pledger_<x> {...} pledger_<x>;`` of the public
headers becomes a class named in CamelCase without the prefix
(``pledger_app_state`` -> ``AppState``), its members named without the
constants' common prefix (``PLEDGER_APP_CORRECTION_REQUESTED`` ->
``AppState.CORRECTION_REQUESTED``).  They are built from the generated
declarations, so a value added to a header appears here by itself.

Each member has ``api_name``, the lower-case name the documents, the
journal and the command line use (``Kind.SEA_AREA.api_name ==
"sea_area"``), and each class ``from_name()`` for the way back.
"""
from __future__ import annotations

import enum
from typing import Any, TypeVar

from . import _ffi
from ._ffi import ffi, lib

E = TypeVar("E", bound="ApiEnum")


class ApiEnum(enum.IntEnum):
    """Base of the pledger enumerations."""

    @property
    def api_name(self) -> str:
        """The lower-case API name of the value (e.g. ``"sea_area"``)."""
        fn = getattr(type(self), "_c_name_fn", None)
        if fn:
            p = getattr(lib, fn)(int(self))
            if p != ffi.NULL:
                return ffi.string(p).decode("utf-8")
        return self.name.lower()

    @classmethod
    def from_name(cls: type[E], name: str) -> E:
        """The member whose :attr:`api_name` (or Python name) is ``name``.

        Raises :class:`pledger.InvalidArgument` (a ValueError) for a name
        that is not one of them."""
        if not isinstance(name, str):
            raise _ffi._invalid(f"a {cls.__name__} name must be str, not "
                                f"{type(name).__name__}", True)
        for m in cls:
            if name in (m.api_name, m.name, m.name.lower()):
                return m
        choices = ", ".join(m.api_name for m in cls)
        raise _ffi._invalid(f"{name!r} is not a value of {cls.__name__} (one of: {choices})")

    @classmethod
    def c_value(cls, value: Any, what: str) -> int:
        """The C value of a member, its API name or an int (checked
        against the range of a C int; the library checks the rest)."""
        if isinstance(value, str):
            return int(cls.from_name(value))
        # a C enum without negative members is unsigned to cffi: -1 would
        # be a bare OverflowError there
        low = 0 if min(int(m) for m in cls) >= 0 else None
        return _ffi.cint(value, what, minimum=low)

    @classmethod
    def api_names(cls) -> list[str]:
        """Every member's API name, in the order of the values."""
        return [m.api_name for m in cls]


def _camel(cname: str) -> str:
    return "".join(part.capitalize() for part in cname[len("pledger_"):].split("_"))


def _common_prefix(names: list[str]) -> str:
    if len(names) == 1:
        return names[0].rsplit("_", 1)[0] + "_"
    prefix = names[0]
    for n in names[1:]:
        while not n.startswith(prefix):
            prefix = prefix[:-1]
    return prefix[:prefix.rfind("_") + 1]


def _has(fn: str) -> bool:
    try:
        getattr(lib, fn)
        return True
    except AttributeError:
        return False


def _build() -> dict[str, type[ApiEnum]]:
    out: dict[str, type[ApiEnum]] = {}
    for cname in sorted(ffi.list_types()[0]):
        if not cname.startswith("pledger_"):
            continue
        t = ffi.typeof(cname)
        if t.kind != "enum":
            continue
        items = sorted(t.relements.items(), key=lambda kv: (kv[1] < 0, abs(kv[1])))
        prefix = _common_prefix([n for n, _ in items])
        members = [(n[len(prefix):], v) for n, v in items]
        pyname = "ErrorCode" if cname == "pledger_error" else _camel(cname)
        cls: Any = ApiEnum(pyname, members, module=__name__)
        name_fn = cname + "_name"
        if cname == "pledger_error":
            name_fn = ""
        cls._c_name_fn = name_fn if name_fn and _has(name_fn) else None
        cls.__doc__ = (f"The C enumeration ``{cname}``: "
                       + ", ".join(f"{m.name} = {int(m)}" for m in cls) + ".")
        out[pyname] = cls
    return out


ALL: dict[str, type[ApiEnum]] = _build()
globals().update(ALL)

# The enumerations the rest of the package relies on, named for readers
# and type checkers (all of them are in ALL).
Kind: Any = ALL["Kind"]
Role: Any = ALL["Role"]
AppState: Any = ALL["AppState"]
PledgeState: Any = ALL["PledgeState"]
Severity: Any = ALL["Severity"]
IdType: Any = ALL["IdType"]
ErrorCode: Any = ALL["ErrorCode"]
Site: Any = ALL["Site"]
ReportKind: Any = ALL["ReportKind"]

__all__ = ["ApiEnum"] + sorted(ALL)
