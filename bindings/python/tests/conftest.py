"""Fixtures of the Python suite.

Run by Meson (suite 'python') with PLEDGER_LIBRARY (the build tree's
library), PLEDGER_CDEF (the generated declarations) and PYTHONPATH (the
source package) set.  The workflow mirrors tests/test-workflow.c: a
registry of office FZ01 whose clock starts at 2024-04-01T02:00:00Z.
"""
from __future__ import annotations

import os
import pathlib
import sys
from typing import Iterator

import pytest

import pledger
from pledger import Kind, Role

HERE = pathlib.Path(__file__).resolve().parent
SOURCE_ROOT = pathlib.Path(os.environ.get("PLEDGER_SOURCE_ROOT") or HERE.parents[2])
DATA = SOURCE_ROOT / "tests" / "data"
INCLUDE = SOURCE_ROOT / "include" / "pledger"

DAY_US = 86_400_000_000
#: 2024-04-01T02:00:00Z, a Monday (10:00 in Beijing)
T0 = 1_711_936_800_000_000

KINDS = list(Kind)
KIND_CODES = {Kind.TRADEMARK: "TM", Kind.PATENT: "PT", Kind.RECEIVABLE: "AR",
              Kind.EQUITY: "EQ", Kind.EMISSION: "EM", Kind.SEA_AREA: "SA", Kind.LAND: "LD"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: long measurements (meson suite 'slow')")


class Clock:
    """A settable clock: ``reg.set_clock(clock)``."""

    def __init__(self, now: int = T0) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now

    def advance(self, days: float) -> None:
        self.now += int(days * DAY_US)


def sample_path(kind: Kind) -> pathlib.Path:
    return DATA / f"app-{kind.api_name}.xml"


def sample(kind: Kind) -> pledger.Application:
    return pledger.Application.from_file(str(sample_path(kind)))


class Flow:
    """The steps of the workflow, as the roles of docs/design.md §3 take them."""

    def __init__(self, reg: pledger.Registry, clock: Clock) -> None:
        self.reg = reg
        self.clock = clock

    def act(self, name: str, role: Role) -> None:
        self.reg.set_actor(name, role)

    def saved(self, kind: Kind) -> str:
        self.act("applicant-1", Role.APPLICANT)
        with sample(kind) as app:
            return self.reg.save(app)

    def submitted(self, kind: Kind) -> str:
        uuid = self.saved(kind)
        review = self.reg.review(uuid)
        assert not review.stops_submission, [(f.code, f.path, f.message) for f in review]
        self.reg.submit(uuid)
        return uuid

    def accepted(self, kind: Kind) -> tuple[str, str]:
        uuid = self.submitted(kind)
        self.act("clerk-1", Role.CLERK)
        return uuid, self.reg.accept(uuid)

    def registered(self, kind: Kind) -> pledger.Registration:
        uuid, _ = self.accepted(kind)
        self.act("registrar-1", Role.REGISTRAR)
        return self.reg.register(uuid)


@pytest.fixture
def db_path(tmp_path: pathlib.Path) -> str:
    return str(tmp_path / "reg.db")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def reg(db_path: str, clock: Clock) -> Iterator[pledger.Registry]:
    with pledger.open(db_path, office="FZ01") as r:
        r.set_clock(clock)
        yield r


@pytest.fixture
def flow(reg: pledger.Registry, clock: Clock) -> Flow:
    return Flow(reg, clock)


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: str | None = None,
            stdin: str | None = None) -> "CliResult":
    """Run ``python3 -m pledger`` in a subprocess."""
    import subprocess
    e = dict(os.environ)
    e.setdefault("PLEDGER_NOW", "2024-04-01T02:00:00Z")
    for k in ("PLEDGER_ACTOR", "PLEDGER_ROLE", "PLEDGER_DB", "PLEDGER_LANG", "LANGUAGE",
              "LC_ALL", "LC_MESSAGES"):
        e.pop(k, None)
    e["LANG"] = "C.UTF-8"   # English unless a test asks for another language
    if env:
        e.update(env)
    p = subprocess.run([sys.executable, "-m", "pledger", *args], capture_output=True,
                       text=True, env=e, cwd=cwd, input=stdin, timeout=120)
    return CliResult(p.returncode, p.stdout, p.stderr)


class CliResult:
    def __init__(self, status: int, out: str, err: str) -> None:
        self.status, self.out, self.err = status, out, err

    def json(self) -> object:
        import json
        return json.loads(self.out)

    def error(self) -> dict:
        import json
        lines = self.err.strip().splitlines()
        assert len(lines) == 1, self.err
        return json.loads(lines[0])

    def __repr__(self) -> str:
        return f"<cli status={self.status} out={self.out!r} err={self.err!r}>"
