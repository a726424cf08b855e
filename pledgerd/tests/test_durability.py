"""A search report leaves only once it survives a crash of the machine.

pledgerd commits the reports of many answers without a sync and syncs
them together on a thread of its own (pledger_report_sync) before their
answers are sent; a report read back is synced before it is shown.  The
tests watch the daemon's own system calls with strace: no answer is sent
while a commit of reports is not yet synced, and a sync the system
refuses (injected by strace) refuses every answer that would carry a
report, until the service is started again."""
from __future__ import annotations

import http.client
import json
import os
import pathlib
import re
import signal

from test_pledgerd import Daemon
from test_reload import context, prepare

QUESTION = "/v1/pledges?party_id=91350100M000100Y43"


def _traced(tmp: pathlib.Path, trace: pathlib.Path, *more: str) -> Daemon:
    """pledgerd under strace, its calls in @trace (@more: strace's own
    arguments)."""
    args = ["strace", "-f", "-qq", "-y", "-o", str(trace),
            "-e", "trace=pwrite64,fdatasync,fsync,sendto,sendmsg,write,writev", *more]
    # a daemon the sanitizers built: LeakSanitizer refuses to run under a
    # tracer (and fails the exit); the suite's other tests check leaks
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS"), "detect_leaks=0"]))
    return Daemon(tmp, prefix=tuple(args), env=env)


def _stop_traced(d: Daemon) -> int:
    """SIGTERM to pledgerd itself (strace's child), then strace's status
    (pledgerd's)."""
    children = pathlib.Path(f"/proc/{d.proc.pid}/task/{d.proc.pid}/children").read_text().split()
    assert len(children) == 1, children
    os.kill(int(children[0]), signal.SIGTERM)
    return d.proc.wait(timeout=60)


def _ask(conn: http.client.HTTPSConnection, token: str,
         language: str | None = None) -> tuple[int, str | None, dict]:
    headers = {"Authorization": f"Bearer {token}"}
    if language:
        headers["Accept-Language"] = language
    conn.request("GET", QUESTION, headers=headers)
    r = conn.getresponse()
    body = json.loads(r.read())
    return r.status, r.getheader("Pledger-Report"), body


_CALL = re.compile(r"^(\d+) +(?:<\.\.\. (\w+) resumed>.*|(\w+)\((\d+)<([^>]*)>.*?)$")


def _events(trace: pathlib.Path) -> list[tuple[str, str]]:
    """The trace as (what, when) pairs in order: 'commit' when a write of
    the reports' log ended, 'sync-start'/'sync-end' for a sync of it,
    'send' when a write to a socket began."""
    out: list[tuple[str, str]] = []
    pending: dict[str, str] = {}       # pid -> what its unfinished call was
    for line in trace.read_text().splitlines():
        m = _CALL.match(line)
        if not m:
            continue
        pid, resumed, name, _, path = m.groups()
        if resumed:
            what = pending.pop(pid, "")
            if what in ("commit", "sync-end"):
                out.append((what, line))
            continue
        wal = path.endswith(".reports-wal")
        unfinished = line.endswith("<unfinished ...>")
        if name in ("fdatasync", "fsync") and wal:
            out.append(("sync-start", line))
            if unfinished:
                pending[pid] = "sync-end"
            else:
                out.append(("sync-end", line))
        elif name == "pwrite64" and wal:
            if unfinished:
                pending[pid] = "commit"
            else:
                out.append(("commit", line))
        elif (name in ("sendto", "sendmsg", "write", "writev") and
              path.startswith(("socket:", "TCP"))):
            out.append(("send", line))
    return out


def test_an_answer_leaves_only_once_its_report_is_synced(tmp_path: pathlib.Path) -> None:
    bank, _ = prepare(tmp_path)
    trace = tmp_path / "trace"
    d = _traced(tmp_path, trace)
    try:
        conn = http.client.HTTPSConnection("127.0.0.1", d.port, timeout=60,
                                           context=context(tmp_path / "cert.pem"))
        numbers = []
        for _ in range(20):
            status, report, body = _ask(conn, bank)
            assert status == 200, body
            assert report and body["hits"] == [], body
            numbers.append(int(report))
        assert numbers == list(range(numbers[0], numbers[0] + 20))
        conn.close()
    finally:
        assert _stop_traced(d) == 0
    events = _events(trace)
    commits = sum(1 for what, _ in events if what == "commit")
    sends = sum(1 for what, _ in events if what == "send")
    assert commits >= 20 and sends >= 20, (commits, sends)
    # a sync covers the writes ended before it began
    written = covered = synced = 0
    for what, line in events:
        if what == "commit":
            written += 1
        elif what == "sync-start":
            covered = written
        elif what == "sync-end":
            synced = max(synced, covered)
        elif what == "send":
            assert synced == written, f"sent with {written - synced} write(s) unsynced: {line}"


def test_a_refused_sync_refuses_the_answers_until_restart(tmp_path: pathlib.Path) -> None:
    bank, _ = prepare(tmp_path)
    trace = tmp_path / "trace"
    # every thread's third sync of the reports' log and those after it fail
    # (strace counts per thread): the syncer's first two succeed.  (The
    # recording thread syncs the log's header each time the log starts
    # again, after a fold: twice within three answers, its third sync would
    # fail the commit instead; the folds come a quarter of a second apart.)
    d = _traced(tmp_path, trace, "-e", "inject=fdatasync,fsync:error=EIO:when=3+",
                "-P", str(tmp_path / "reg.db.reports-wal"))
    try:
        conn = http.client.HTTPSConnection("127.0.0.1", d.port, timeout=60,
                                           context=context(tmp_path / "cert.pem"))
        for n in ("1", "2"):
            status, report, body = _ask(conn, bank)
            assert status == 200 and report == n, (status, body)
        for _ in range(3):
            status, report, body = _ask(conn, bank)
            assert status == 500 and report is None, (status, body)
            error = body["error"]
            assert error["name"] == "PLEDGER_EIO", body
            assert "reg.db.reports-wal" in error["message"], body
            assert "started again" in error["message"], body
        # in the client's language (the reason is composed once, on the
        # syncer's thread; the service's words follow it in each answer's)
        status, report, body = _ask(conn, bank, "zh-CN")
        assert status == 500 and report is None, (status, body)
        message = body["error"]["message"]
        assert "在服务重新启动之前，不再记录任何查询报告" in message, body
        assert "reg.db.reports-wal" in message and "started again" not in message, body
        # what needs no report is answered
        conn.request("GET", "/v1/status")
        r = conn.getresponse()
        assert r.status == 200, r.read()
        r.read()
        conn.close()
    finally:
        status = _stop_traced(d)
        log = d.proc.stderr.read()
    assert status == 0, log
    assert "no search report is recorded until the service is started again" in log
    # started again, on a disk that syncs: answered, numbered after the
    # report committed and never handed out
    d = Daemon(tmp_path)
    try:
        conn = http.client.HTTPSConnection("127.0.0.1", d.port, timeout=60,
                                           context=context(tmp_path / "cert.pem"))
        status, report, body = _ask(conn, bank)
        assert status == 200 and report == "4", (status, body)
        conn.close()
    finally:
        assert d.stop() == 0


def test_a_report_the_disk_refuses_is_refused_in_the_clients_language(
        tmp_path: pathlib.Path) -> None:
    """A report that cannot be written (the disk full, injected by strace
    on the reports' log) refuses its answer with the library's reason in
    the language each client asked for, though it is composed on the
    recording thread."""
    bank, _ = prepare(tmp_path)
    trace = tmp_path / "trace"
    d = _traced(tmp_path, trace, "-e", "inject=pwrite64:error=ENOSPC:when=1..30",
                "-P", str(tmp_path / "reg.db.reports-wal"))
    try:
        conn = http.client.HTTPSConnection("127.0.0.1", d.port, timeout=60,
                                           context=context(tmp_path / "cert.pem"))
        answers = {}
        for language in ("zh-CN", "en", "zh-CN"):
            status, report, body = _ask(conn, bank, language)
            assert 500 <= status < 600 and report is None, (status, body)
            answers.setdefault(language, []).append(body["error"])
        for error in answers["zh-CN"]:
            assert error["name"] == "PLEDGER_EIO", error
            # what was being done and why, both in Chinese; no English word
            # but the file's name
            assert "磁盘已满" in error["message"] and "查询报告文件" in error["message"], error
            words = re.sub(r"“[^”]*”", "", error["message"])
            assert not re.search(r"[A-Za-z]{3,}", words), error
        for error in answers["en"]:
            assert error["name"] == "PLEDGER_EIO", error
            assert "the disk is full" in error["message"], error
            assert "search reports' file" in error["message"], error
            assert "reg.db.reports" in error["message"], error
            assert not re.search(r"[\u4e00-\u9fff]", error["message"]), error
        conn.close()
    finally:
        status = _stop_traced(d)
        log = d.proc.stderr.read()
    assert status == 0, log
    # the operator is told too, not only the clients
    assert "pledgerd: answered 500 (" in log and "reg.db.reports" in log, log
    # at most a line a second; every failure counted, those after the last
    # line logged said at stop
    said = len(re.findall(r"^pledgerd: answered 5\d\d ", log, re.M))
    said += sum(int(n) for n in re.findall(r"and (\d+) more failures", log))
    assert said == 3, log


def test_an_older_copy_of_the_reports_takes_no_report(tmp_path: pathlib.Path) -> None:
    """The registry marks how many reports its companion held once they
    are synced (at the syncer's first sync, then at most every ten seconds,
    and when the service stops: no wait here for the interval):
    an older copy of the companion put back while the service was stopped
    is refused -- no report number is handed out twice over different
    reports -- and the answers say so; the latest copy back, all is well."""
    import shutil
    import sqlite3
    bank, _ = prepare(tmp_path)
    companion = tmp_path / "reg.db.reports"

    def answers(n: int) -> list[tuple[int, str | None, dict]]:
        d = Daemon(tmp_path)
        try:
            conn = http.client.HTTPSConnection("127.0.0.1", d.port, timeout=60,
                                               context=context(tmp_path / "cert.pem"))
            got = []
            for i in range(n):
                got.append(_ask(conn, bank))
            conn.close()
        finally:
            assert d.stop() == 0
        return got

    def copy(to: pathlib.Path) -> None:
        a, b = sqlite3.connect(str(companion)), sqlite3.connect(str(to))
        try:
            a.backup(b)
        finally:
            a.close()
            b.close()

    first = answers(2)
    assert [(s, r) for s, r, _ in first] == [(200, "1"), (200, "2")], first
    copy(tmp_path / "old.reports")
    later = answers(3)
    assert [(s, r) for s, r, _ in later] == [(200, "3"), (200, "4"), (200, "5")], later
    copy(tmp_path / "latest.reports")
    for f in (companion, pathlib.Path(f"{companion}-wal"), pathlib.Path(f"{companion}-shm")):
        f.unlink(missing_ok=True)
    shutil.copy(tmp_path / "old.reports", companion)
    refused = answers(1)
    status, report, body = refused[0]
    assert status >= 500 and report is None, refused
    error = body["error"]
    assert error["name"] == "PLEDGER_ECORRUPT", body
    assert "reg.db.reports" in error["message"] and "ends at report 2" in error["message"], body
    for f in (companion, pathlib.Path(f"{companion}-wal"), pathlib.Path(f"{companion}-shm")):
        f.unlink(missing_ok=True)
    shutil.copy(tmp_path / "latest.reports", companion)
    again = answers(1)
    assert [(s, r) for s, r, _ in again] == [(200, "6")], again
