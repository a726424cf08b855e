"""The module itself: its documentation, enumerations, handles as
context managers, the library kept alive for finalizers, type hints."""
from __future__ import annotations

import enum
import gc
import inspect
import os
import pydoc
import re
import subprocess
import sys
import typing
import weakref

import pytest

import pledger
from pledger import AppState, Kind, PledgeState, Role, Severity


def test_help_documents_the_module() -> None:
    text = pydoc.render_doc(pledger, renderer=pydoc.plaintext)
    assert "pledger: a registry of pledges" in text
    for name in ("class Registry", "class Application", "class NotFound", "class Kind",
                 "class Pledge", "class SearchHit", "class Verification", "open(path",
                 "version()"):
        assert name in text, name
    assert "Quick tour" in text and "with pledger.open" in text
    for name in pledger.__all__:
        assert hasattr(pledger, name), name
        obj = getattr(pledger, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert obj.__doc__, name
    assert pledger.__version__ == pledger.version()
    assert re.fullmatch(r"\d+\.\d+\.\d+", pledger.version())


def test_enums_are_intenums_with_api_names() -> None:
    for cls in (Kind, Role, AppState, PledgeState, Severity, pledger.IdType,
                pledger.ErrorCode):
        assert issubclass(cls, enum.IntEnum)
    assert Kind.SEA_AREA == 6 and Kind.SEA_AREA.api_name == "sea_area"
    assert Kind.from_name("land") is Kind.LAND
    assert Role.api_names() == ["applicant", "clerk", "registrar", "bank", "auditor"]
    assert AppState.CORRECTION_REQUESTED.api_name == "correction_requested"
    assert PledgeState.UNDER_OBJECTION.api_name == "under_objection"
    assert Severity.RISK.api_name == "risk"
    assert pledger.IdType.FOREIGN_REG.api_name == "foreign_reg"
    assert pledger.ErrorCode.ENOTFOUND == -2
    due = pledger.enums.ALL["DueWhat"]
    assert due.EXPIRY.api_name == "expiry"
    assert pledger.enums.ALL["CodeStatus"].SUPERSEDED.api_name == "superseded"
    with pytest.raises(ValueError) as e:
        Kind.from_name("car")
    assert "sea_area" in str(e.value)
    # named whatever the enumeration's name begins with ("a AppState")
    for cls in (Kind, AppState, Role, pledger.IdType):
        with pytest.raises(ValueError) as e:
            cls.from_name("car")
        assert f"'car' is not a value of {cls.__name__} (one of: " in str(e.value)


def test_identifiers() -> None:
    assert pledger.normalize_id(pledger.IdType.USCC, " 9135 0100 M000 100Y 43 ") == \
        "91350100M000100Y43"
    assert pledger.normalize_id("resident", "11010519491231002x") == "11010519491231002X"
    assert pledger.normalize_id("patent", "ZL201310699744.2") == "201310699744.2"
    assert pledger.is_valid_id("trademark", "G1234567")
    assert not pledger.is_valid_id("nice_class", "46")
    with pytest.raises(pledger.InvalidArgument) as e:
        pledger.normalize_id("uscc", "91350100M000100Y44")
    assert "91350100M000100Y44" in e.value.message and "check" in e.value.message


def test_registry_context_manager_and_close(tmp_path) -> None:
    path = tmp_path / "r.db"
    with pledger.open(path, office="FZ01") as reg:
        assert not reg.closed and reg.office == "FZ01"
        assert repr(reg) == f"<pledger.Registry {str(path)!r} office FZ01>"
    assert reg.closed
    reg.close()  # twice is fine
    with pytest.raises(pledger.InvalidArgument) as e:
        reg.office
    assert "closed" in e.value.message
    with pytest.raises(pledger.InvalidArgument):
        pledger.open(path, timeout=-1)


def test_handles_are_freed_by_the_collector(tmp_path) -> None:
    reg = pledger.open(tmp_path / "r.db")
    ref = weakref.ref(reg)
    del reg
    gc.collect()
    assert ref() is None
    app = pledger.Application(Kind.LAND)
    ref = weakref.ref(app)
    del app
    assert ref() is None


def test_library_outlives_finalizers(tmp_path) -> None:
    """Handles still alive at interpreter exit are freed before the
    library is unloaded: no crash, exit status 0."""
    code = (
        "import pledger, sys\n"
        f"reg = pledger.open({str(tmp_path / 'x.db')!r})\n"
        "app = pledger.Application(pledger.Kind.TRADEMARK)\n"
        "cur = reg.search(page_size=1)\n"
        "keep = [pledger.Application(pledger.Kind.LAND) for _ in range(100)]\n"
        "del pledger\n"
        "for m in [m for m in sys.modules if m.startswith('pledger')]:\n"
        "    del sys.modules[m]\n"
        "print('done')\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=60)
    assert p.returncode == 0 and p.stdout == "done\n" and p.stderr == "", p


def test_library_location(tmp_path) -> None:
    env = dict(os.environ, PLEDGER_LIBRARY=str(tmp_path / "libnothing.so"))
    p = subprocess.run([sys.executable, "-c", "import pledger"], capture_output=True,
                       text=True, env=env)
    assert p.returncode != 0 and "libnothing.so" in p.stderr
    env = dict(os.environ, PLEDGER_CDEF=str(tmp_path / "none.cdef"))
    p = subprocess.run([sys.executable, "-c", "import pledger"], capture_output=True,
                       text=True, env=env)
    assert p.returncode != 0 and "PLEDGER_CDEF" in p.stderr


def test_type_hints_resolve() -> None:
    for cls in (pledger.Registry, pledger.Application, pledger.Cursor):
        for name, fn in vars(cls).items():
            if callable(fn) and not name.startswith("_"):
                typing.get_type_hints(fn, vars(sys.modules[cls.__module__]))
    for fn in (pledger.open, pledger.normalize_id, pledger.version):
        assert "return" in typing.get_type_hints(fn)


def test_dataclasses_are_frozen(reg) -> None:
    import dataclasses
    f = pledger.Finding("X", Severity.RISK, "", "m", "b")
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.code = "Y"  # type: ignore[misc]
    assert not f.stops_submission
    assert pledger.types.as_dict(f) == {"code": "X", "severity": "risk", "path": "",
                                        "message": "m", "basis": "b"}
