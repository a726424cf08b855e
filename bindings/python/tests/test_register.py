"""The reference register import through Python: the report, the
progress callback, cancelling from it, bytes or a file."""
from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

import pledger
from pledger import Role
from conftest import DATA, SOURCE_ROOT

SMALL = DATA / "register-small.xml"
BAD = DATA / "register-bad.xml"


@pytest.fixture
def registrar(reg: pledger.Registry) -> pledger.Registry:
    reg.set_actor("registrar-1", Role.REGISTRAR)
    return reg


def test_import_report(registrar: pledger.Registry) -> None:
    r = registrar.register_import(SMALL)
    assert isinstance(r, pledger.ImportReport)
    assert r.inserted > 10 and (r.updated, r.unchanged, r.rejected) == (0, 0, 0)
    import hashlib
    assert r.sha256 == hashlib.sha256(SMALL.read_bytes()).hexdigest()
    again = registrar.register_import(SMALL.read_bytes())  # from memory: nothing changes
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, r.inserted)
    bad = registrar.register_import(str(BAD))
    assert bad.rejected == len(bad.rejections) >= 5
    assert all(isinstance(x, pledger.Rejection) and x.line > 1 and x.message
               for x in bad.rejections)
    assert any("check" in x.message for x in bad.rejections)


def test_progress_and_cancel(registrar: pledger.Registry, tmp_path: pathlib.Path) -> None:
    big = tmp_path / "big.xml"
    subprocess.run([sys.executable, str(SOURCE_ROOT / "tests" / "gen-register.py"), "4500",
                    str(big)], check=True)
    calls: list[tuple[int, int, int]] = []
    r = registrar.register_import(big, progress=lambda *a: calls.append(a))
    assert r.inserted == 4500
    assert len(calls) >= 5
    assert calls[-1] == (4500, big.stat().st_size, big.stat().st_size)
    assert all(a <= b for a, b in zip(calls, calls[1:]))

    # returning False cancels: nothing changes
    other = tmp_path / "other.xml"
    subprocess.run([sys.executable, str(SOURCE_ROOT / "tests" / "gen-register.py"), "3000",
                    str(other), "--first", "40000000"], check=True)
    with pytest.raises(pledger.Cancelled) as e:
        registrar.register_import(other, progress=lambda n, d, t: n < 1000)
    assert "1000 records" in e.value.message
    assert registrar.register_import(big).unchanged == 4500

    # an exception in the callback cancels too, and is raised again here
    class Stop(Exception):
        pass

    def boom(n: int, d: int, t: int) -> None:
        raise Stop(n)

    with pytest.raises(Stop):
        registrar.register_import(other, progress=boom)
    assert registrar.register_import(other).inserted == 3000


def test_import_errors(registrar: pledger.Registry, tmp_path: pathlib.Path) -> None:
    with pytest.raises(pledger.NotFound):
        registrar.register_import(tmp_path / "none.xml")
    with pytest.raises(pledger.InvalidDocument) as e:
        registrar.register_import(b"<register xmlns='urn:pledger:1'><trademark")
    assert "line 1" in e.value.message
    registrar.set_actor("clerk-1", Role.CLERK)
    with pytest.raises(pledger.PermissionDenied):
        registrar.register_import(SMALL)
