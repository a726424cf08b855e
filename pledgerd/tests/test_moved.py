"""The registry's files removed or replaced under the running service.

pledgerd keeps its handles open; a file unlinked or replaced under them
still takes writes, which are then lost with the handles (and a
registration answered 201 would be gone).  The library refuses a write
into a file whose path no longer names it; the service answers that
refusal as a failure of its own (5xx), says it in its log, and goes on
once the path names the file again."""
from __future__ import annotations

import os
import pathlib
import subprocess

from test_pledgerd import PLEDGERD, Daemon, sample
from test_reload import Log, prepare

QUESTION = "/v1/pledges?party_id=91350100M000100Y43"


def _applicant(tmp: pathlib.Path) -> str:
    p = subprocess.run([PLEDGERD, "token", "applicant-1", "applicant"], capture_output=True,
                       text=True, check=True)
    accounts = tmp / "accounts"
    accounts.write_text(accounts.read_text() + p.stdout)
    return p.stderr.strip()


def test_a_registry_moved_away_takes_no_filing(tmp_path: pathlib.Path) -> None:
    bank, _ = prepare(tmp_path)
    applicant = _applicant(tmp_path)
    d = Daemon(tmp_path)
    log = Log(d)
    try:
        doc = sample("app-trademark.xml")
        first = d.json("/v1/applications", applicant, doc, expect=201)
        reg, away = tmp_path / "reg.db", tmp_path / "away.db"
        os.link(reg, away)
        os.unlink(reg)
        status, _, body = d.curl("/v1/applications", applicant, doc)
        assert 500 <= status < 600, (status, body)
        assert "was deleted, moved or replaced while open" in body and str(reg) in body, body
        log.wait("was deleted, moved or replaced while open")
        # the path names the file again: filed
        os.link(away, reg)
        second = d.json("/v1/applications", applicant, doc, expect=201)
        assert second["uuid"] != first["uuid"]
        # a copy in its place is another file: refused too
        data = reg.read_bytes()
        os.unlink(reg)
        reg.write_bytes(data)
        status, _, body = d.curl("/v1/applications", applicant, doc)
        assert 500 <= status < 600 and "replaced" in body, (status, body)
        os.unlink(reg)
        os.link(away, reg)
        # the registry's write-ahead log removed: the commits would stay in
        # the unlinked log, answered 201, and a crash would take them back
        wal, wal_away = tmp_path / "reg.db-wal", tmp_path / "away.db-wal"
        os.link(wal, wal_away)
        os.unlink(wal)
        status, _, body = d.curl("/v1/applications", applicant, doc)
        assert 500 <= status < 600 and "write-ahead log" in body, (status, body)
        os.link(wal_away, wal)
        third = d.json("/v1/applications", applicant, doc, expect=201)
        # the search reports' file removed: no report is handed out on it
        reports, reports_away = tmp_path / "reg.db.reports", tmp_path / "away.db.reports"
        d.json(QUESTION, bank)
        os.link(reports, reports_away)
        os.unlink(reports)
        status, _, body = d.curl(QUESTION, bank)
        assert 500 <= status < 600, (status, body)
        assert str(reports) in body and "deleted, moved or replaced" in body, body
        os.link(reports_away, reports)
        # named again: answered, or (when a handle meanwhile took the
        # reports' log for one of a missing file's and removed it) refused
        # for that log, never answered on a log no path names
        status, _, body = d.curl(QUESTION, bank)
        assert status == 200 or (500 <= status < 600 and "write-ahead log" in body), body
    finally:
        status = d.stop()
        log.thread.join(timeout=30)
    assert status == 0, log.text()
    # everything answered 201 is in the file that has the registry's name
    import pledger
    with pledger.open(str(tmp_path / "reg.db"), read_only=True) as r:
        r.set_actor("clerk-1", pledger.Role.CLERK)
        uuids = {a.uuid for a in r.applications()}
    assert {first["uuid"], second["uuid"], third["uuid"]} <= uuids and len(uuids) == 3, uuids


def test_the_log_says_the_services_own_failures_in_english(tmp_path: pathlib.Path) -> None:
    """A failure of the service's is logged in English, the operator's
    language, whatever language its client was answered in."""
    bank, _ = prepare(tmp_path)
    d = Daemon(tmp_path)
    log = Log(d)
    try:
        status, _, body = d.curl("/v1/pledges/R-FZ01-TM-2024-000001/statement", bank,
                                 headers=("Accept-Language: zh-CN",))
        assert status == 501 and "statement_key" in body, (status, body)
        assert not body.isascii(), body          # the client's answer: Chinese
        line = log.wait("pledgerd: answered 501 (PLEDGER_ENOTSUP): this service has no "
                        "statement_key")
        assert line.isascii(), line
    finally:
        status = d.stop()
        log.thread.join(timeout=30)
    assert status == 0, log.text()


def test_a_registry_a_thread_cannot_open_is_busy_try_again(tmp_path: pathlib.Path) -> None:
    """A registry file a request's thread cannot open (removed before the
    thread opened its handle) is answered 503 with the code of a 503,
    PLEDGER_EBUSY -- "try again later" for every reader of the answer:
    pledger.Busy for the client, exit status 75 for the command line --
    not the library's PLEDGER_ENOTFOUND (a 503 saying "not found": exit 3,
    "no such registration").  The library's code is in the log, the
    operator's.  Once the path names the file again, it is answered."""
    import json
    import sys

    import pledger

    bank, _ = prepare(tmp_path)
    d = Daemon(tmp_path)
    log = Log(d)
    reg, away = tmp_path / "reg.db", tmp_path / "away.db"
    try:
        os.rename(reg, away)    # before any thread of the service opened it
        for path, token in (("/v1/status", None), ("/v1/pledges/R-FZ01-TM-2024-000001", bank),
                            (QUESTION, bank)):
            status, _, body = d.curl(path, token)
            err = json.loads(body)["error"]
            assert status == 503 and err["name"] == "PLEDGER_EBUSY", (path, status, body)
            assert err["code"] == -7 and "cannot be opened" in err["message"], body
        log.wait("answered 503 (PLEDGER_ENOTFOUND): the registry cannot be opened")
        client = pledger.connect(d.url, token=bank, cafile=str(d.cert))
        for call in (lambda: client.verify("R-FZ01-TM-2024-000001"),
                     lambda: list(client.search(party_id="91350100M000100Y43"))):
            try:
                call()
            except pledger.Busy as e:
                assert "cannot be opened" in str(e) and e.http_status == 503, e
            else:
                raise AssertionError("answered")
        r = subprocess.run([sys.executable, "-m", "pledger", "verify", "R-FZ01-TM-2024-000001",
                            "--url", d.url, "--token", bank, "--cacert", str(d.cert), "--json"],
                           capture_output=True, text=True, timeout=60)
        err = json.loads(r.stderr)
        assert r.returncode == 75 and err["kind"] == "Busy", r
        assert "cannot be opened" in err["message"], r
        os.rename(away, reg)
        assert d.json("/v1/status")["service"] == "pledgerd"
    finally:
        if away.exists():
            os.rename(away, reg)
        status = d.stop()
        log.thread.join(timeout=30)
    assert status == 0, log.text()
