"""Every exception class of pledger is raised by a real failure of the
library, and carries the code and the library's message."""
from __future__ import annotations

import datetime as _dt
import os
import pathlib
import sqlite3
import subprocess
import sys

import pytest

import pledger
from pledger import ErrorCode, Kind, Role
from conftest import DATA, Flow, sample


def check(e: pytest.ExceptionInfo, cls: type, code: int, *words: str) -> None:
    assert type(e.value) is cls, repr(e.value)
    assert isinstance(e.value, pledger.Error)
    assert e.value.code == code
    assert e.value.name == f"PLEDGER_{ErrorCode(code).name}"
    assert str(e.value) == e.value.message and e.value.message
    for w in words:
        assert w in e.value.message, (w, e.value.message)


def test_invalid_argument(reg: pledger.Registry) -> None:
    with pytest.raises(pledger.InvalidArgument) as e:
        reg.set_actor("", Role.BANK)
    check(e, pledger.InvalidArgument, ErrorCode.EINVAL, "name")
    assert isinstance(e.value, ValueError)
    # a call without a registry: the thread's message
    with pytest.raises(pledger.InvalidArgument) as e:
        pledger.Application(99)
    check(e, pledger.InvalidArgument, ErrorCode.EINVAL, "kind 99")
    # in the caller's words: the C call is in the library's message only
    assert "pledger_application_new" not in e.value.message
    assert e.value.library_message.startswith("pledger_application_new: ")


def test_messages_name_the_arguments_not_the_c_fields(reg: pledger.Registry) -> None:
    """A refusal names the Python argument, as the remote client's does,
    not the C call and its structure's field ("pledger_search:
    query->right_id needs query->kind")."""
    reg.set_actor("bank-1", Role.BANK)
    cases = [
        (lambda: reg.search(right="12345678"), "right needs kind"),
        (lambda: reg.stats(_dt.date(2024, 12, 31), _dt.date(2024, 1, 1)),
         "end 2024-01-01 is before start 2024-12-31"),
        (lambda: reg.search(kind=Kind.TRADEMARK, right=""), "right is empty"),
    ]
    for call, said in cases:
        with pytest.raises(pledger.InvalidArgument) as e:
            call()
        m = e.value.message
        assert m.startswith(said), (said, m)
        assert "pledger_" not in m and "->" not in m and "right_id" not in m, m
        assert e.value.library_message.startswith("pledger_"), e.value.library_message
    reg.set_actor("auditor-1", Role.AUDITOR)
    with pytest.raises(pledger.InvalidArgument) as e:
        reg.reports(since=_dt.datetime(2025, 1, 1, tzinfo=_dt.timezone.utc),
                    until=_dt.datetime(2024, 1, 1, tzinfo=_dt.timezone.utc))
    assert e.value.message.startswith("since is after until"), e.value.message


def test_not_found(reg: pledger.Registry, tmp_path: pathlib.Path) -> None:
    reg.set_actor("clerk-1", Role.CLERK)  # who may read applications
    with pytest.raises(pledger.NotFound) as e:
        reg.load("00000000-0000-0000-0000-000000000000")
    check(e, pledger.NotFound, ErrorCode.ENOTFOUND, "00000000-0000-0000-0000-000000000000")
    assert isinstance(e.value, LookupError)
    with pytest.raises(pledger.NotFound) as e:
        pledger.open(tmp_path / "missing.db", create=False)
    check(e, pledger.NotFound, ErrorCode.ENOTFOUND, "missing.db")


def test_wrong_state(flow: Flow) -> None:
    uuid = flow.saved(Kind.TRADEMARK)
    with pytest.raises(pledger.WrongState) as e:
        flow.reg.submit(uuid)
    check(e, pledger.WrongState, ErrorCode.ESTATE,
          "is draft; submit is allowed only while it is reviewed")


def test_conflict(flow: Flow) -> None:
    uuid, _ = flow.accepted(Kind.LAND)
    first = flow.registered(Kind.LAND)
    flow.act("registrar-1", Role.REGISTRAR)
    with pytest.raises(pledger.Conflict) as e:
        flow.reg.register(uuid)
    check(e, pledger.Conflict, ErrorCode.ECONFLICT, first.number)


def test_permission_denied(flow: Flow) -> None:
    uuid = flow.submitted(Kind.EQUITY)
    flow.act("intruder", Role.BANK)
    with pytest.raises(pledger.PermissionDenied) as e:
        flow.reg.accept(uuid)
    check(e, pledger.PermissionDenied, ErrorCode.EPERM, "intruder")


def test_read_only(flow: Flow, db_path: str) -> None:
    flow.saved(Kind.LAND)
    with pledger.open(db_path, read_only=True) as ro:
        ro.set_actor("applicant-1", Role.APPLICANT)
        with pytest.raises(pledger.ReadOnly) as e:
            ro.save(sample(Kind.LAND))
        check(e, pledger.ReadOnly, ErrorCode.EREADONLY)


def test_busy(flow: Flow, db_path: str) -> None:
    flow.saved(Kind.LAND)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pledger.open(db_path, timeout=0.05) as r:
            r.set_actor("applicant-1", Role.APPLICANT)
            with pytest.raises(pledger.Busy) as e:
                r.save(sample(Kind.LAND))
            check(e, pledger.Busy, ErrorCode.EBUSY)
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_io_failure(flow: Flow, tmp_path: pathlib.Path) -> None:
    flow.act("registrar-1", Role.REGISTRAR)
    # a directory where the register file should be: reading it fails
    d = tmp_path / "a-directory.xml"
    d.mkdir()
    with pytest.raises(pledger.IOFailure) as e:
        flow.reg.register_import(d)
    check(e, pledger.IOFailure, ErrorCode.EIO, "a-directory.xml")


def test_corrupt(flow: Flow, db_path: str) -> None:
    uuid = flow.saved(Kind.PATENT)
    flow.reg.close()
    con = sqlite3.connect(db_path)
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'application'"
                       ).fetchone()[0]
    page = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    with open(db_path, "r+b") as f:  # the application table's root page
        f.seek((root - 1) * page)
        f.write(b"\xa5" * page)
    with pledger.open(db_path) as r:
        r.set_actor("clerk-1", Role.CLERK)  # who may read applications
        with pytest.raises(pledger.Corrupt) as e:
            r.load(uuid)
    check(e, pledger.Corrupt, ErrorCode.ECORRUPT, "malformed")


def test_not_a_registry(tmp_path: pathlib.Path) -> None:
    p = tmp_path / "notes.txt"
    p.write_text("not a database\n" * 100)
    with pytest.raises(pledger.NotARegistry) as e:
        pledger.open(p)
    check(e, pledger.NotARegistry, ErrorCode.ENOTDB, "notes.txt")
    con = sqlite3.connect(tmp_path / "other.db")
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(pledger.NotARegistry):
        pledger.open(tmp_path / "other.db")


def test_too_new(db_path: str) -> None:
    pledger.open(db_path).close()
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA user_version = 9999")
    con.commit()
    con.close()
    with pytest.raises(pledger.TooNew) as e:
        pledger.open(db_path)
    check(e, pledger.TooNew, ErrorCode.ENEWER, "9999")


def test_invalid_document() -> None:
    with pytest.raises(pledger.InvalidDocument) as e:
        pledger.Application.from_xml("<application xmlns='urn:pledger:1'><x/>")
    check(e, pledger.InvalidDocument, ErrorCode.EXML, "line 1")


def test_review_blocked(flow: Flow) -> None:
    flow.act("applicant-1", Role.APPLICANT)
    app = sample(Kind.TRADEMARK)
    app["pledgor/id"] = "91350100M000100Y44"
    uuid = flow.reg.save(app)
    flow.reg.review(uuid)
    with pytest.raises(pledger.ReviewBlocked) as e:
        flow.reg.submit(uuid)
    check(e, pledger.ReviewBlocked, ErrorCode.EREVIEW)


def test_check_without_saving(flow: Flow) -> None:
    """Registry.check(): the findings review would give, nothing stored;
    the same as review() of the saved document."""
    flow.act("applicant-1", Role.APPLICANT)
    app = sample(Kind.TRADEMARK)
    app["pledgor/id"] = "91350100M000100Y44"
    size = flow.reg.log_size()
    checked = flow.reg.check(app)
    assert checked.stops_submission and any(f.path == "pledgor/id" for f in checked.findings)
    assert flow.reg.log_size() == size and app.uuid is None
    reviewed = flow.reg.review(flow.reg.save(app))
    assert [(f.code, f.path) for f in checked.findings] == \
        [(f.code, f.path) for f in reviewed.findings]
    with pytest.raises(pledger.InvalidArgument) as e:
        flow.reg.check("<application/>")   # type: ignore[arg-type]
    assert "pledger.Application" in str(e.value)


def test_code_mismatch(flow: Flow) -> None:
    r = flow.registered(Kind.RECEIVABLE)
    with pytest.raises(pledger.CodeMismatch) as e:
        flow.reg.cancel(r.number, "0000-0000-0000-0000")
    check(e, pledger.CodeMismatch, ErrorCode.ECODE)
    with pytest.raises(pledger.CodeMismatch):
        flow.reg.verify(r.number, code="AAAA-BBBB-CCCC-DDDD")


def test_cancelled(reg: pledger.Registry) -> None:
    reg.set_actor("registrar-1", Role.REGISTRAR)
    with pytest.raises(pledger.Cancelled) as e:
        reg.register_import(DATA / "register-small.xml", progress=lambda *a: False)
    check(e, pledger.Cancelled, ErrorCode.ECANCELLED, "progress callback")


OOM_SCRIPT = r"""
import resource, sys
import pledger
doc = open(sys.argv[1], encoding="utf-8").read()
# a valid document of 15 MB (under the library's 16 MiB limit): parsing it
# needs more than the 4 MiB of address space left below
big = doc.replace("<goods>", "<goods>" + "茶" * (5 * 1024 * 1024), 1).encode()
soft, hard = resource.getrlimit(resource.RLIMIT_AS)
with open("/proc/self/statm") as f:
    vm = int(f.read().split()[0]) * resource.getpagesize()
resource.setrlimit(resource.RLIMIT_AS, (vm + 4 * 1024 * 1024, hard))
try:
    pledger.Application.from_xml(big)
except pledger.OutOfMemory as e:
    print("OOM", e.code, isinstance(e, MemoryError), e.message)
except pledger.Error as e:
    print("OTHER", type(e).__name__, e.message)
else:
    print("PARSED")
"""


def test_out_of_memory(tmp_path: pathlib.Path) -> None:
    if os.environ.get("PLEDGER_VALGRIND") or "asan" in os.environ.get("LD_PRELOAD", ""):
        pytest.skip("address-space limits do not mix with memory checkers")
    script = tmp_path / "oom.py"
    script.write_text(OOM_SCRIPT)
    p = subprocess.run([sys.executable, str(script), str(DATA / "app-trademark.xml")],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0 and p.stdout.startswith("OOM -13 True"), (p.stdout,
                                                                       p.stderr[-2000:])
    assert "Memory allocation failed" in p.stdout


def test_base_class_for_codes_without_a_class() -> None:
    assert pledger.error_class(-999) is pledger.Error
    assert pledger.error_class(ErrorCode.EBUSY) is pledger.Busy
    classes = {pledger.error_class(c) for c in ErrorCode if c != ErrorCode.OK}
    assert len(classes) == len(ErrorCode) - 1  # one class per code
    assert "database" in pledger.strerror(ErrorCode.ENOTDB).lower() or \
        "registry" in pledger.strerror(ErrorCode.ENOTDB).lower()


def _verify_missing(path: str) -> None:   # a worker of the pool below
    with pledger.open(path, read_only=True) as reg:
        reg.verify("R-FZ01-TM-2024-999999")


def test_exceptions_pickle_and_copy(reg: pledger.Registry, flow: Flow,
                                    db_path: str) -> None:
    """An exception goes through pickle and copy whole (class, code,
    messages, ReviewBlocked's items): BaseException's way made it again
    from its message alone, which Error.__init__ does not take, so a
    multiprocessing pool whose worker raised one hung for ever."""
    import concurrent.futures
    import copy
    import pickle

    from test_filing import receivables
    errors: list[pledger.Error] = []
    with pytest.raises(pledger.NotFound) as nf:
        reg.verify("R-FZ01-TM-2024-999999")
    errors.append(nf.value)
    with pytest.raises(pledger.InvalidArgument) as ia:
        pledger.Application(99)
    errors.append(ia.value)
    with pytest.raises(pledger.WrongType) as wt:
        reg.due(within_days="3")  # type: ignore[arg-type]
    errors.append(wt.value)
    apps = receivables(2)
    del apps[1]["claim/amount"]
    flow.act("bank-qh", Role.APPLICANT)
    with pytest.raises(pledger.ReviewBlocked) as rb:
        reg.file_batch(apps)
    errors.append(rb.value)
    # every class, made as the bindings make them
    for code in ErrorCode:
        if code < 0:
            errors.append(pledger.errors.error_class(int(code))(int(code), "m", "lib: m"))
    for e in errors:
        for again in (pickle.loads(pickle.dumps(e)), copy.copy(e), copy.deepcopy(e)):
            assert type(again) is type(e)
            assert (again.code, again.message, again.library_message, str(again), again.name) \
                == (e.code, e.message, e.library_message, str(e), e.name)
    again = pickle.loads(pickle.dumps(rb.value))
    assert [it.blocked for it in again.items] == [False, True]
    assert any(f.code == "AMOUNT_MISSING" for f in again.items[1].review)
    # a worker's exception reaches the caller (it hung the pool before)
    ctx = __import__("multiprocessing").get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=ctx) as pool:
        with pytest.raises(pledger.NotFound, match="R-FZ01-TM-2024-999999"):
            pool.submit(_verify_missing, db_path).result(timeout=60)
