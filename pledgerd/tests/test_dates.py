"""A day means the registry's day, whoever asks: the command line (with
--db and with --url), a local Registry and a remote one given a
datetime.date, and the service's as_of=YYYY-MM-DD all read "2024-04-11"
as the first instant of the registry's 2024-04-11 (UTC+8: 2024-04-10T16:00Z),
not as midnight UTC, so that "was it pledged then?" has one answer."""
from __future__ import annotations

import datetime as _dt
import json
import pathlib
import subprocess
import sys

import pytest

import pledger
from pledger import Role
from test_pledgerd import Daemon, register_trademark
from test_reload import prepare
from test_remote_reads import _env

UTC = _dt.timezone.utc
# 04:00 on 2024-04-11 in the registry's calendar
REGISTERED = _dt.datetime(2024, 4, 10, 20, 0, tzinfo=UTC)


def test_a_day_is_the_registrys_day_everywhere(tmp_path: pathlib.Path) -> None:
    bank, _ = prepare(tmp_path)
    db = str(tmp_path / "reg.db")
    with pledger.open(db) as reg:
        reg.set_clock(lambda: REGISTERED)
        _, number = register_trademark(reg)
    d = Daemon(tmp_path)
    try:
        remote = pledger.connect(d.url, token=bank, cafile=str(d.cert))
        env = _env()
        for day, there in ((_dt.date(2024, 4, 11), False), (_dt.date(2024, 4, 12), True)):
            # a local registry and a remote one, given a date
            with pledger.open(db, read_only=True) as reg:
                reg.set_actor("bank-1", Role.BANK)
                for r in (reg, remote):
                    if there:
                        assert r.pledge(number, at=day).number == number, (r, day)
                    else:
                        with pytest.raises(pledger.NotFound):
                            r.pledge(number, at=day)
            # the service's query parameter
            status, _, body = d.curl(f"/v1/pledges/{number}?as_of={day.isoformat()}", bank)
            assert status == (200 if there else 404), (day, status, body)
            # the command line, on the file and over the service
            for where in (["--db", db, "--actor", "bank-1", "--role", "bank"],
                          ["--url", d.url, "--token", bank, "--cacert", str(d.cert)]):
                p = subprocess.run([sys.executable, "-m", "pledger", "show", number, "--at",
                                    day.isoformat(), "--json", *where],
                                   capture_output=True, text=True, env=env, timeout=120)
                assert p.returncode == (0 if there else 3), (where, day, p.stdout, p.stderr)
                if there:
                    assert json.loads(p.stdout)["number"] == number
        # an instant with its offset is that instant everywhere
        at = _dt.datetime(2024, 4, 10, 20, 0, 1, tzinfo=UTC)
        assert remote.pledge(number, at=at).number == number
        status, _, _ = d.curl(f"/v1/pledges/{number}?as_of=2024-04-10T20:00:01Z", bank)
        assert status == 200
        status, _, _ = d.curl(f"/v1/pledges/{number}?as_of=2024-04-11T03:59:59%2B08:00", bank)
        assert status == 404
    finally:
        assert d.stop() == 0


def test_the_command_line_refuses_a_fraction_it_would_cut(tmp_path: pathlib.Path) -> None:
    """Seven digits of a second were cut to six on the command line, while
    the library and the service refuse them."""
    db = str(tmp_path / "reg.db")
    with pledger.open(db, office="FZ01"):
        pass
    p = subprocess.run([sys.executable, "-m", "pledger", "due", "--db", db, "--actor", "c",
                        "--role", "clerk", "--at", "2024-05-01T10:00:00.1234567Z"],
                       capture_output=True, text=True, env=_env(), timeout=120)
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert "--at" in p.stderr and "1 to 6 digits" in p.stderr, p.stderr
    p = subprocess.run([sys.executable, "-m", "pledger", "due", "--db", db, "--actor", "c",
                        "--role", "clerk", "--at", "2024-05-01T10:00:00.123456Z"],
                       capture_output=True, text=True, env=_env(), timeout=120)
    assert p.returncode == 0, (p.stdout, p.stderr)
