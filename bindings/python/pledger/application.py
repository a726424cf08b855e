"""Application documents (``pledger_application``)."""
from __future__ import annotations

import os
from typing import Any

from . import _ffi
from ._ffi import ffi, lib
from .enums import AppState, Kind
from .errors import Error, InvalidArgument, check, error_class

_MISSING: Any = object()
_ENOTFOUND: int = int(lib.PLEDGER_ENOTFOUND)


class Application:
    """An application document with its stored state.

    Build one with ``Application(Kind.TRADEMARK)`` (empty) or
    :meth:`from_xml`, or load a stored one with
    :meth:`pledger.Registry.load`.  Fields are read and written by path::

        app["pledgor/name"] = "福建闽江食品有限公司"
        app["rights/right[2]/number"]      # NotFound when absent
        app.get("agent/name")              # None when absent
        del app["claim/amount"]

    Changes stay in the handle until :meth:`pledger.Registry.save`.  The
    handle is freed when the object is collected, or at once by
    :meth:`close` or leaving a ``with`` block.
    """

    __slots__ = ("_p", "_saved_as", "_stored", "__weakref__")

    def __init__(self, kind: Kind | int | str) -> None:
        self._saved_as: str | None = None
        # what a service said of the stored application (its state and
        # numbers), for one loaded through it: pledger.connect(...).load
        self._stored: tuple[AppState, str | None, str | None] | None = None
        pp = ffi.new("pledger_application **")
        check(lib.pledger_application_new(pp, Kind.c_value(kind, "kind")))
        self._p = _ffi.gc(pp[0], lib.pledger_application_free)

    @classmethod
    def _wrap(cls, p: Any) -> "Application":
        self = cls.__new__(cls)
        self._saved_as = None
        self._stored = None
        self._p = _ffi.gc(p, lib.pledger_application_free)
        return self

    @classmethod
    def from_xml(cls, xml: str | bytes) -> "Application":
        """Read an application from its XML document (validated against the
        schema; :class:`pledger.InvalidDocument` names the line and field)."""
        data = _ffi.data(xml, "xml", text=True)
        pp = ffi.new("pledger_application **")
        check(lib.pledger_application_from_xml(pp, data, len(data)))
        return cls._wrap(pp[0])

    @classmethod
    def list_from_filings(cls, xml: str | bytes) -> list["Application"]:
        """The applications of a bulk filing sent as one document, in order:
        ``<filings xmlns="urn:pledger:1">`` around ``<application>``
        documents, what ``POST /v1/filings`` takes, ready for
        :meth:`pledger.Registry.file_batch` (``pledger_filings_from_xml``:
        read as UTF-8 whatever it declares; :class:`pledger.InvalidDocument`
        or :class:`pledger.InvalidArgument` names the line, and which
        application)."""
        data = _ffi.data(xml, "xml", text=True)
        pp = ffi.new("pledger_application ***")
        n = ffi.new("size_t *")
        check(lib.pledger_filings_from_xml(pp, n, data, len(data)))
        try:
            return [cls._wrap(pp[0][i]) for i in range(n[0])]
        finally:
            lib.pledger_free(pp[0])   # the array alone: each handle is now an object's

    @classmethod
    def from_file(cls, path: str) -> "Application":
        """Read an application from an XML file.  A file that cannot be
        read raises :class:`pledger.NotFound` (missing) or
        :class:`pledger.IOFailure` (a directory, unreadable), a document
        the library refuses its :class:`pledger.Error`; each message
        begins with the file's name, as :meth:`pledger.Registry.register_import`'s do."""
        if not isinstance(path, (str, bytes, os.PathLike)):
            # an int would be read as an open file descriptor
            raise _ffi._invalid(f"path must be str or os.PathLike, not {type(path).__name__}",
                                True)
        _ffi.cpath(path)    # a NUL or a lone surrogate: pledger.InvalidArgument, as elsewhere
        name = os.fsdecode(path)
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            # Python's own FileNotFoundError / IsADirectoryError were no
            # pledger.Error, unlike every other failing call
            code = _ENOTFOUND if isinstance(e, FileNotFoundError) else int(lib.PLEDGER_EIO)
            raise error_class(code)(code, f"{name}: {e.strerror or e}") from None
        try:
            return cls.from_xml(data)
        except Error as e:
            raise type(e)(e.code, f"{name}: {e.message}", e.library_message) from None

    @property
    def _h(self) -> Any:
        if self._p is None:
            raise InvalidArgument(-1, "the application handle is closed")
        return self._p

    def close(self) -> None:
        """Free the handle now (it is freed anyway when collected)."""
        if self._p is not None:
            ffi.release(self._p)
            self._p = None

    @property
    def closed(self) -> bool:
        return self._p is None

    def __enter__(self) -> "Application":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def to_xml(self) -> str:
        """The document as XML text."""
        pp = ffi.new("char **")
        n = ffi.new("size_t *")
        check(lib.pledger_application_to_xml(pp, n, self._h))
        try:
            return ffi.unpack(pp[0], n[0]).decode("utf-8")
        finally:
            lib.pledger_free(pp[0])

    def get(self, path: str, default: Any = None) -> Any:
        """The text of the field at ``path``, or ``default`` when the
        document has no such field."""
        out = ffi.new("const char **")
        rc = lib.pledger_application_get(out, self._h, _ffi.cstr(path, "path"))
        if rc == _ENOTFOUND:
            return default
        check(rc)
        return _ffi.string(out[0])

    def __getitem__(self, path: str) -> str:
        out = ffi.new("const char **")
        check(lib.pledger_application_get(out, self._h, _ffi.cstr(path, "path")))
        return _ffi.string(out[0]) or ""

    def __setitem__(self, path: str, value: str | int) -> None:
        self.set(path, value)

    def __delitem__(self, path: str) -> None:
        self.set(path, None)

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self.get(path, _MISSING) is not _MISSING

    def set(self, path: str, value: str | int | None) -> None:
        """Write the field at ``path`` (creating the elements on the way);
        None removes it.  A change that would make the document invalid
        raises and leaves it as it was."""
        if value is None or isinstance(value, str):
            v = value
        elif isinstance(value, int) and not isinstance(value, bool):
            v = str(_ffi.cint(value, "value", "int64_t"))
        else:
            raise _ffi._invalid(f"value must be str or int, not {type(value).__name__}", True)
        check(lib.pledger_application_set(self._h, _ffi.cstr(path, "path"),
                                           _ffi.cstr(v, "value")))

    def count(self, path: str) -> int:
        """How many nodes ``path`` matches (e.g. ``"rights/right"``)."""
        out = ffi.new("int *")
        check(lib.pledger_application_count(out, self._h, _ffi.cstr(path, "path")))
        return int(out[0])

    def add_material(self, kind: str, file_name: str, data: bytes) -> None:
        """Attach a material: its kind, file name, size and SHA-256 are
        recorded (the bytes are not stored)."""
        b = _ffi.data(data, "data")
        check(lib.pledger_application_add_material(
            self._h, _ffi.cstr(kind, "kind"), _ffi.cstr(file_name, "file_name"), b, len(b)))

    @property
    def kind(self) -> Kind:
        return Kind(lib.pledger_application_kind(self._h))

    @property
    def uuid(self) -> str | None:
        """The UUID, None until the application is first saved (in a local
        registry, or through a service: pledger.connect)."""
        return _ffi.string(lib.pledger_application_uuid(self._h)) or self._saved_as

    @property
    def state(self) -> AppState:
        """The state when it was loaded or last saved."""
        if self._stored is not None:
            _ = self._h   # a closed application raises, as below
            return self._stored[0]
        return AppState(lib.pledger_application_state(self._h))

    @property
    def acceptance_number(self) -> str | None:
        if self._stored is not None:
            _ = self._h
            return self._stored[1]
        return _ffi.string(lib.pledger_application_acceptance_number(self._h))

    @property
    def registration_number(self) -> str | None:
        if self._stored is not None:
            _ = self._h
            return self._stored[2]
        return _ffi.string(lib.pledger_application_registration_number(self._h))

    def __repr__(self) -> str:
        if self._p is None:
            return "<pledger.Application closed>"
        return (f"<pledger.Application {self.kind.api_name} {self.uuid or '(unsaved)'} "
                f"{self.state.api_name}>")


__all__ = ["Application"]


def app_states(states: Any) -> list[Any]:
    """``states`` of :meth:`pledger.Registry.applications` -- None, one
    :class:`pledger.AppState` (or its name, or its value) or an iterable
    of them -- as a list of AppState members (empty: any state)."""
    if states is None:
        return []
    one = isinstance(states, (str, int, AppState))
    if not one and not hasattr(states, "__iter__"):
        raise _ffi._invalid("states must be an AppState, its name, or an iterable of them, "
                            f"not {type(states).__name__}", True)
    out = []
    for s in ([states] if one else states):
        if isinstance(s, str):
            try:
                out.append(AppState.from_name(s))
            except InvalidArgument as e:
                raise _ffi._invalid(f"states: {e}") from None
            continue
        v = AppState.c_value(s, "states")
        try:
            out.append(AppState(v))
        except ValueError:
            raise _ffi._invalid(f"states: {v} is not an AppState (one of: "
                                f"{', '.join(AppState.api_names())})") from None
    return out
