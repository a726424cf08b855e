"""An answer the command line cannot write (a full disk, a closed pipe).

What a writing command did is done: registering a receivable issues its
one-time modification code.  Its answer went nowhere and the command
exited 2 ("usage"), so a script filed again.  Now the answer goes to
stderr, the status is 74 (EX_IOERR), and a reader that stops reading
(``| head``) costs nothing."""
from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

from conftest import DATA, run_cli

RC = str(DATA / "app-receivable.xml")


def _env() -> dict[str, str]:
    e = dict(os.environ)
    e.update(PLEDGER_NOW="2024-05-02T02:00:00Z", LANG="C.UTF-8")
    for k in ("PLEDGER_ACTOR", "PLEDGER_ROLE", "PLEDGER_DB", "PLEDGER_LANG", "LANGUAGE",
              "LC_ALL", "LC_MESSAGES"):
        e.pop(k, None)
    return e


def _accepted(db: str) -> str:
    def ok(*args: str) -> str:
        r = run_cli(*args, "--db", db, env={"PLEDGER_NOW": "2024-05-02T02:00:00Z"})
        assert r.status == 0, r
        return r.out.strip()
    ok("init", "--office", "FZ01")
    uuid = ok("apply", RC, "--actor", "applicant-1")
    ok("review", uuid, "--actor", "applicant-1")
    ok("submit", uuid, "--actor", "applicant-1")
    ok("accept", uuid, "--actor", "clerk-1")
    return uuid


@pytest.mark.parametrize("fmt", [[], ["--json"]])
def test_register_to_a_full_disk(tmp_path: pathlib.Path, fmt: list[str]) -> None:
    db = str(tmp_path / "r.db")
    uuid = _accepted(db)
    with open("/dev/full", "w") as full:
        p = subprocess.run([sys.executable, "-m", "pledger", "register", uuid, "--actor",
                            "registrar-1", "--db", db, *fmt], stdout=full,
                           stderr=subprocess.PIPE, text=True, env=_env(), timeout=120)
    assert p.returncode == 74, p.stderr
    assert "could not be written" in p.stderr and "No space left" in p.stderr
    # the answer, modification code included, is on stderr
    assert "R-FZ01-AR-2024-000001" in p.stderr
    r = run_cli("show", "R-FZ01-AR-2024-000001", "--db", db)
    assert r.status == 0
    code = [ln for ln in p.stderr.splitlines() if "modcode" in ln.lower()
            or "modification" in ln.lower()]
    assert code, p.stderr
    # registered once: the retry a script would make is refused, not filed again
    assert run_cli("register", uuid, "--actor", "registrar-1", "--db", db).status == 4


def test_register_to_a_closed_pipe(tmp_path: pathlib.Path) -> None:
    db = str(tmp_path / "r.db")
    uuid = _accepted(db)
    r, w = os.pipe()
    os.close(r)     # nobody reads
    try:
        p = subprocess.run([sys.executable, "-m", "pledger", "register", uuid, "--actor",
                            "registrar-1", "--db", db], stdout=w, stderr=subprocess.PIPE,
                           text=True, env=_env(), timeout=120)
    finally:
        os.close(w)
    assert p.returncode == 74, p.stderr
    assert "R-FZ01-AR-2024-000001" in p.stderr and "Traceback" not in p.stderr


def test_a_reader_that_stops_reading(tmp_path: pathlib.Path) -> None:
    """A read command whose reader went away (| head) ends quietly, 0."""
    db = str(tmp_path / "r.db")
    _accepted(db)
    r, w = os.pipe()
    os.close(r)
    try:
        p = subprocess.run([sys.executable, "-m", "pledger", "search", "--db", db], stdout=w,
                           stderr=subprocess.PIPE, text=True, env=_env(), timeout=120)
    finally:
        os.close(w)
    assert p.returncode == 0 and p.stderr == "", p.stderr
    with open("/dev/full", "w") as full:
        p = subprocess.run([sys.executable, "-m", "pledger", "search", "--db", db], stdout=full,
                           stderr=subprocess.PIPE, text=True, env=_env(), timeout=120)
    assert p.returncode == 74 and "could not be written" in p.stderr, p.stderr


@pytest.mark.parametrize("cmd", [["apply", "/dev/zero", "--actor", "a"],
                                 ["calendar-load", "/dev/zero", "--actor", "r"],
                                 ["exchange", "import", "/dev/zero", "--trust", "x=/dev/null",
                                  "--actor", "c"]])
def test_an_endless_input_file_is_refused(tmp_path: pathlib.Path, cmd: list[str]) -> None:
    """/dev/zero (or any file past the library's limit) is refused naming
    it and the limit, after reading no more than that; it grew to 1.9 GB
    and ended in a MemoryError."""
    db = str(tmp_path / "r.db")
    assert run_cli("init", "--office", "FZ01", "--db", db).status == 0
    r = run_cli(*cmd, "--db", db)
    assert r.status == 2, r
    assert "/dev/zero" in r.err and "larger than" in r.err, r


def test_an_empty_file_is_no_registry(tmp_path: pathlib.Path) -> None:
    """--db naming an empty file (a wrong path, a touch) is refused by
    every command but init, and the file stays empty: a write made it a
    registry."""
    db = tmp_path / "empty.db"
    db.write_bytes(b"")
    r = run_cli("apply", str(DATA / "app-trademark.xml"), "--actor", "a", "--db", str(db))
    assert r.status == 3 and "an empty file" in r.err, r
    assert db.stat().st_size == 0
    r = run_cli("init", "--office", "FZ01", "--db", str(db))
    assert r.status == 0, r
    assert db.stat().st_size > 0
