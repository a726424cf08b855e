"""A bank's script run against a file and against the service: every
public method of the service's client (pledger.connect), for every role,
on the demo's registry, gives what the same method of a local
pledger.Registry on a copy of that registry gives -- the same value and
type, or an exception of the same class and code -- for good questions
and for wrong ones (an unknown number, a wrong code, bad days and
instants, bad party identifiers, empty results, a role refused)."""
from __future__ import annotations

import datetime as _dt
import inspect
import json
import os
import pathlib
import sqlite3
import subprocess
from typing import Any, Iterator

import pytest

import pledger
from pledger import Role
from pledger.remote import RemoteCursor, RemoteRegistry
from test_pledgerd import Daemon, PLEDGERD, register_trademark, sample_app

ROLES = ("applicant", "clerk", "registrar", "bank", "auditor")
SAVED = object()    # in a case's arguments: the UUID that side saved before


def _demo() -> pathlib.Path | None:
    """The demo program of the build pledgerd comes from (examples/demo),
    or None when the examples were not built."""
    exe = pathlib.Path(os.environ.get("PLEDGERD", "pledgerd"))
    demo = exe.resolve().parent.parent / "examples" / "demo" if exe.is_absolute() else None
    return demo if demo is not None and demo.exists() else None


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The demo's registry served by pledgerd (every role an account, a
    statement key, a signed checkpoint) and a copy of it as a file."""
    tmp = tmp_path_factory.mktemp("parity")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", str(tmp / "key.pem"),
                    "-out", str(tmp / "cert.pem"), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    for name, alg in (("log", ["ed25519"]), ("office", ["EC", "-pkeyopt",
                                                       "ec_paramgen_curve:P-256"])):
        subprocess.run(["openssl", "genpkey", "-algorithm", *alg, "-out",
                        str(tmp / f"{name}.key")], check=True)
        subprocess.run(["openssl", "pkey", "-in", str(tmp / f"{name}.key"), "-pubout", "-out",
                        str(tmp / f"{name}.pub")], check=True)
    db = tmp / "reg.db"
    demo = _demo()
    if demo is not None:
        subprocess.run([str(demo), str(db)], check=True, capture_output=True)
    else:   # a build without the examples: one registration of the samples
        with pledger.open(str(db), office="FZ01") as reg:
            register_trademark(reg)
    with pledger.open(str(db)) as reg:
        reg.set_actor("registrar-1", Role.REGISTRAR)
        kr = pledger.Keyring()
        kr.add_pem_file(f"{reg.office}-log", str(tmp / "log.key"))
        reg.sign_checkpoint(kr)
        office = reg.office
    a, b = sqlite3.connect(str(db)), sqlite3.connect(str(tmp / "local.db"))
    a.backup(b)
    a.close()
    b.close()
    tokens, lines = {}, []
    for role in ROLES:
        p = subprocess.run([PLEDGERD, "token", f"{role}-1", role], capture_output=True,
                           text=True, check=True)
        lines.append(p.stdout)
        tokens[role] = p.stderr.strip()
    (tmp / "accounts").write_text("".join(lines))
    (tmp / "accounts").chmod(0o600)
    d = Daemon(tmp, statement_key=f"{office}={tmp / 'office.key'}",
               exchange_key=f"{office}={tmp / 'office.key'}",
               exchange_trust=f"ZZ01={tmp / 'office.pub'}")
    signers = pledger.Keyring()
    signers.add_pem_file(office, str(tmp / "office.key"))
    trusted = pledger.Keyring()
    trusted.add_pem_file(f"{office}-log", str(tmp / "log.pub"))
    local = pledger.open(str(tmp / "local.db"))
    peers = pledger.Keyring()   # the data line's peers, as the service trusts them
    peers.add_pem_file("ZZ01", str(tmp / "office.pub"))
    yield {"d": d, "tmp": tmp, "tokens": tokens, "local": local, "signers": signers,
           "trusted": trusted, "peers": peers}
    local.close()
    assert d.stop() == 0


def _client(both: dict, role: str) -> RemoteRegistry:
    return pledger.connect(both["d"].url, token=both["tokens"][role],
                           cafile=str(both["d"].cert))


def _outcome(reg: Any, name: str, args: tuple, kw: dict) -> tuple:
    """What a call gives: its value (a search: its continuation and page
    size when made, then its hits), or its exception's class and code."""
    try:
        v = getattr(reg, name)(*args, **kw)
    except pledger.Error as e:
        return ("raised", type(e).__name__, e.code, e.message)
    if isinstance(v, (pledger.Cursor, RemoteCursor)):
        return ("cursor", v.continuation, v.page_count, list(v))
    return ("value", type(v).__name__, v)


def _cases(numbers: list[str], code: str, uuid: str) -> dict[str, list[tuple]]:
    """For each public method of the client, the calls tried: (args,
    kwargs) for both sides, or (args, kwargs, local's extra kwargs)."""
    n1 = numbers[0]
    nx = n1[:-1] + ("9" if n1[-1] != "9" else "8") + "9999"
    day, past, future = _dt.date(2024, 6, 1), _dt.date(2000, 1, 1), _dt.date(2999, 1, 1)
    party = "91350100M000100Y43"
    return {
        "verify": [((n1,), {}), ((n1,), {"code": code}), ((n1,), {"code": "AAAA-BBBB-CCCC-DDDD"}),
                   ((n1,), {"at": day}), ((n1,), {"at": past}), ((n1,), {"at": future}),
                   ((nx,), {}), ((n1.lower(),), {}), (("",), {}), ((n1,), {"at": 1.5}),
                   ((n1,), {"code": ""})] + [((n,), {}) for n in numbers[1:]],
        "search": [((), {}), ((), {"party_id": party}), ((), {"party_id": "91350100M000100Y44"}),
                   ((), {"party_id": "x"}), ((), {"party_name": "Fujian"}),
                   ((), {"registered_from": "2000-01-01"}),
                   ((), {"registered_from": "2000-01-01", "page_size": 1, "all_pages": False}),
                   ((), {"registered_from": "2000-01-01", "page_size": 1}),
                   ((), {"registered_from": "2024-13-01"}),
                   ((), {"registered_from": "2025-01-01", "registered_to": "2024-01-01"}),
                   ((), {"as_of": past, "registered_from": "2000-01-01"}),
                   ((), {"as_of": future, "registered_from": "2000-01-01"}),
                   ((), {"state": "active", "registered_from": "2000-01-01"}),
                   ((), {"side": "pledgee", "party_id": party}),
                   ((), {"kind": "trademark", "right": "12345678"}), ((), {"kind": 99}),
                   ((), {"after": "zzz"}), ((), {"page_size": -1}), ((), {"page_size": 10001})],
        "rank": [((n1,), {}), ((nx,), {}), ((n1,), {"at": past}), ((n1,), {"at": future})],
        "compare": [((n1, n1), {}), ((n1, nx), {}), ((nx, n1), {})] +
                   [((n1, n), {}) for n in numbers[1:2]],
        "verify_statement": [((n1,), {}, {"signers": None}), ((nx,), {}, {"signers": None}),
                             ((n1,), {"code": "AAAA-BBBB-CCCC-DDDD"}, {"signers": None}),
                             ((n1,), {"at": future}, {"signers": None})],
        "due": [((), {}), ((), {"within_days": 0}), ((), {"within_days": -1}),
                ((), {"within_days": 3651}), ((), {"at": day}), ((), {"at": future})],
        "stats": [(("2024-01-01", "2024-12-31"), {}), (("2024-12-31", "2024-01-01"), {}),
                  (("2024-01-01", "2024-12-31"), {"office": "XX99"}),
                  (("2024-01-01", "2024-12-31"), {"kind": "receivable"}),
                  (("2024-02-30", "2024-12-31"), {}), (("x", "2024-12-31"), {})],
        "pledge": [((n1,), {}), ((n1,), {"at": day}), ((nx,), {}), ((n1,), {"at": past}),
                   ((n1,), {"at": future})],
        "pledge_xml": [((n1,), {}), ((nx,), {}), ((n1,), {"at": past})],
        "certificate": [((n1,), {}), ((n1,), {"version": 1}), ((n1,), {"version": 99}),
                        ((n1,), {"version": -1}), ((n1,), {"version": 2 ** 31}), ((nx,), {})],
        "latest_checkpoint": [((), {})],
        "log_size": [((), {})],
        "prove_inclusion": [((1,), {}), ((0,), {}), ((10 ** 6,), {}), ((3,), {"size": 2}),
                            ((-1,), {}), ((1,), {"size": 10 ** 6})],
        "prove_consistency": [((1,), {}), ((0,), {}), ((3, 2), {}), ((10 ** 6,), {})],
        "log_leaf": [((1,), {}), ((0,), {}), ((10 ** 6,), {}), ((-1,), {})],
        "log_root": [((), {}), ((0,), {}), ((2,), {}), ((10 ** 6,), {}), ((-1,), {})],
        "check_log": [],    # below: the client checks, trusting what it is given
        "journal_verify": [((), {}), ((True,), {})],
        "report_verify": [],    # below: the service's reports are not the file's
        "report": [((0,), {}), ((-1,), {})],
        "reports": [((), {"limit": 0}), ((), {"after": -1}), ((), {"since": "x"})],
        "applications": [((), {}), (("registered",), {}), ((["draft", "submitted"],), {}),
                         ((), {"limit": 0}), ((), {"limit": 1}), ((), {"after": "nope"}),
                         ((), {"after": uuid}), ((), {"kind": "patent"}), (("x",), {})],
        "save": [],         # below, with the steps after it
        "load": [],         # below: an application compared field by field
        "review": [(("nope",), {}), ((uuid,), {})],
        "submit": [(("nope",), {}), ((uuid,), {})],
        "withdraw": [(("nope",), {}), ((uuid,), {})],
        "file_batch": [(([],), {})],
        "exchange_import": [((b"not a batch",), {}, {"trusted": None})],
    }


def _same(both: dict, role: str, name: str, case: tuple, local_extra: dict | None = None,
          values: bool = True) -> None:
    args, kw = case[0], case[1]
    extra = dict(case[2]) if len(case) > 2 else {}
    for k in extra:     # the keys the local call takes: the service holds its own
        extra[k] = {"signers": both["signers"], "trusted": both["peers"]}[k]
    local = both["local"]
    local.set_actor(f"{role}-1", Role.from_name(role))
    got_l = _outcome(local, name, args, {**kw, **extra})
    got_r = _outcome(_client(both, role), name, args, kw)
    where = f"[{role}] {name}{args}{kw}"
    assert got_l[:2] == got_r[:2], f"{where}\n  file:    {got_l}\n  service: {got_r}"
    if got_l[0] == "raised":
        assert got_l[:3] == got_r[:3], f"{where}\n  file:    {got_l}\n  service: {got_r}"
        if got_r[1] == "PermissionDenied":   # naming the account and its role
            assert f"'{role}-1'" in got_r[3] and role in got_r[3].split(f"'{role}-1'", 1)[1], \
                f"{where}: {got_r[3]}"
    elif values:
        assert got_l == got_r, f"{where}\n  file:    {got_l}\n  service: {got_r}"


def test_every_method_answers_as_the_file(both: dict) -> None:
    """The reads, for each role, and the filing calls' refusals: the same
    values and the same exceptions.  Every public method of the client
    has its cases here (one added without them fails), and each is a
    method of pledger.Registry."""
    local = both["local"]
    local.set_actor("registrar-1", Role.REGISTRAR)
    numbers = [h.number for h in local.search(registered_from="2000-01-01")]
    assert numbers
    code = local.load_certificate(numbers[0]).code
    local.set_actor("clerk-1", Role.CLERK)
    apps = local.applications()
    uuid = apps[0].uuid if apps else "no-such-uuid"
    cases = _cases(numbers, code, uuid)
    methods = {n for n, f in inspect.getmembers(RemoteRegistry, inspect.isfunction)
               if not n.startswith("_") and n != "close"}
    assert methods == set(cases), (methods ^ set(cases))
    missing = [n for n in methods if not callable(getattr(pledger.Registry, n, None))]
    assert not missing, missing
    # statements are signed at the instant asked: their value is not compared
    signed = {"verify_statement"}
    # the service keeps its own search reports (every read above made one)
    loose = {"report", "reports"}
    tried = 0
    for role in ROLES:
        for name, calls in cases.items():
            for case in calls:
                _same(both, role, name, case, values=name not in signed | loose)
                tried += 1
    assert tried > 500, tried


def test_the_properties_and_the_cursor_are_the_files(both: dict) -> None:
    """What a local registry tells of itself that the service can tell
    (its office, time zone and log origin: log_origin was missing), and a
    search's cursor: the same attributes (page_count was missing, a
    count() of its own in its place), its first page asked for when the
    search is made -- a refused search raises there, not at the first
    hit, and continuation is known before the hits are read."""
    local = both["local"]
    local.set_actor("bank-1", Role.BANK)
    remote = _client(both, "bank")
    for prop in ("office", "time_zone", "log_origin"):
        assert getattr(remote, prop) == getattr(local, prop), prop

    def public(c: Any) -> set[str]:
        return {n for n in dir(c) if not n.startswith("_")}
    cl = local.search(registered_from="2000-01-01", page_size=1, all_pages=False)
    cr = remote.search(registered_from="2000-01-01", page_size=1, all_pages=False)
    assert public(cl) == public(cr), public(cl) ^ public(cr)
    assert cr.page_count == cl.page_count == 1
    assert cr.continuation == cl.continuation
    for reg in (local, remote):
        with pytest.raises(pledger.InvalidArgument):
            reg.search(after="zzz")
        with pytest.raises(pledger.InvalidArgument):
            reg.search(registered_from="2024-13-01")
    # a version out of range is refused in the local call's words (the
    # client sent -1 on, and named -2147483648 as the least it takes)
    number = next(local.search(registered_from="2000-01-01")).number
    for version in (-1, 2 ** 31):
        said = []
        for reg in (local, remote):
            with pytest.raises(pledger.InvalidArgument) as e:
                reg.certificate(number, version=version)
            said.append(e.value.message)
        assert said[0] == said[1] and "0 to 2147483647" in said[0], said
    # a closed cursor ends, and asks nothing more
    cr = remote.search(registered_from="2000-01-01", page_size=1)
    cl = local.search(registered_from="2000-01-01", page_size=1)
    asked = remote.last_report
    cr.close()
    cl.close()
    assert list(cr) == list(cl) == [] and remote.last_report == asked
    # pages read one after another: every hit once, in order
    assert [h.number for h in remote.search(registered_from="2000-01-01", page_size=1)] == \
        [h.number for h in local.search(registered_from="2000-01-01")]


def test_an_application_is_shown_to_the_roles_the_file_shows_it_to(both: dict) -> None:
    """GET /v1/applications/{uuid} and the client's load: for each role,
    shown exactly when pledger.Registry.load shows it -- the same document,
    UUID, state and numbers -- refused 403 naming the account and its role
    when load refuses it, as the same exception from the client."""
    local = both["local"]
    local.set_actor("clerk-1", Role.CLERK)
    uuids = [a.uuid for a in local.applications()][:3] + ["no-such-uuid"]
    shown = 0
    for role in ROLES:
        local.set_actor(f"{role}-1", Role.from_name(role))
        remote = _client(both, role)
        for uuid in uuids:
            try:
                app = local.load(uuid)
                want = 200
            except pledger.PermissionDenied:
                want = 403
            except pledger.NotFound:
                want = 404
            status, _, body = both["d"].curl(f"/v1/applications/{uuid}", both["tokens"][role])
            assert status == want, (role, uuid, status, body)
            if status == 403:
                msg = json.loads(body)["error"]["message"]
                assert f"'{role}-1'" in msg and role in msg, (role, msg)
            if want != 200:
                with pytest.raises(pledger.PermissionDenied if want == 403 else pledger.NotFound):
                    remote.load(uuid)
                continue
            got = remote.load(uuid)
            assert (got.uuid, got.kind, got.state, got.acceptance_number,
                    got.registration_number, got.to_xml()) == \
                (app.uuid, app.kind, app.state, app.acceptance_number,
                 app.registration_number, app.to_xml()), (role, uuid)
            app.close()
            got.close()
            shown += 1
        remote.close()
    assert shown >= 3   # the clerk, the registrar and the auditor see them


def test_the_checks_and_filing_answer_as_the_file(both: dict) -> None:
    """The calls whose signature differs where the service holds the keys
    (check_log, report_verify), and filing: the same success or the same
    refusal for each role; a saved application reviewed, submitted and
    withdrawn answers as the file's does."""
    local, trusted = both["local"], both["trusted"]
    note = both["local"].latest_checkpoint()
    assert note
    old = pledger.Checkpoint.open(note, trusted)
    for role in ROLES:
        local.set_actor(f"{role}-1", Role.from_name(role))
        remote = _client(both, role)
        got_l = _outcome(local, "check_log", (old,), {})
        got_r = _outcome(remote, "check_log", (old,), {"trusted": trusted})
        assert got_l[0] == got_r[0] and got_l[0] == "value" or got_l[:3] == got_r[:3], (
            role, got_l, got_r)
        got_l = _outcome(local, "report_verify", (), {})
        got_r = _outcome(remote, "report_verify", (), {})
        assert got_l[:2] == got_r[:2], (role, got_l, got_r)
        # a new application: saved (a UUID) or refused alike, then its steps
        saved = {}
        for side, reg in (("file", local), ("service", remote)):
            with sample_app("app-trademark.xml") as app:
                saved[side] = _outcome(reg, "save", (app,), {})
        assert saved["file"][:2] == saved["service"][:2], (role, saved)
        if saved["file"][0] == "raised":
            assert saved["file"][:3] == saved["service"][:3], (role, saved)
            continue
        # (a step sent again after it was done is answered as done by the
        # service, by design: its first answer may have been lost)
        for step in ("review", "submit", "withdraw"):
            got_l = _outcome(local, step, (saved["file"][2],), {})
            got_r = _outcome(remote, step, (saved["service"][2],), {})
            assert got_l[:2] == got_r[:2], (role, step, got_l, got_r)
            if got_l[0] == "raised":
                assert got_l[:3] == got_r[:3], (role, step, got_l, got_r)


def test_a_batch_the_file_refuses_is_refused_alike(both: dict) -> None:
    """file_batch with the same Application object twice filed it twice
    through the service (the file refuses it), and one already saved was
    filed again as new: for every role, the client refuses both as the
    local call does, in its words, and the service files nothing."""
    local, d = both["local"], both["d"]
    size = d.json("/v1/status")["log_size"]
    local.set_actor("applicant-1", Role.APPLICANT)
    with sample_app("app-receivable.xml") as a, sample_app("app-receivable.xml") as b, \
            sample_app("app-trademark.xml") as saved:
        local.save(saved)
        for role in ROLES:
            local.set_actor(f"{role}-1", Role.from_name(role))
            remote = _client(both, role)
            for apps in ([a, a], [a, b, a], [b, saved], [saved, a, a]):
                got = [_outcome(reg, "file_batch", (apps,), {}) for reg in (local, remote)]
                assert got[0] == got[1] and got[0][1] == "InvalidArgument", (role, got)
    assert d.json("/v1/status")["log_size"] == size


def test_a_bank_refused_another_accounts_reports_is_told_its_role(both: dict) -> None:
    """A bank reads and lists its own search reports only: refused another
    account's, 403 names the account and its role, as every other refusal
    does (the two said "actor 'bank-1' lists its own ..." and "'bank-1'
    sees its own only", without the role)."""
    d, t = both["d"], both["tokens"]
    auditor = _client(both, "auditor")
    local = both["local"]
    local.set_actor("auditor-1", Role.AUDITOR)
    auditor.verify(next(local.search(registered_from="2000-01-01")).number)
    theirs = auditor.last_report
    assert theirs
    bank = _client(both, "bank")
    for call in (lambda: bank.report(theirs), lambda: bank.reports(actor="auditor-1")):
        with pytest.raises(pledger.PermissionDenied) as e:
            call()
        assert "'bank-1' has role bank" in e.value.message, e.value.message
        assert e.value.http_status == 403
    for path in (f"/v1/reports/{theirs}", "/v1/reports?actor=auditor-1"):
        status, _, body = d.curl(path, t["bank"])
        msg = json.loads(body)["error"]["message"]
        assert status == 403 and "actor 'bank-1' has role bank" in msg, (path, msg)


def test_a_number_of_no_member_is_refused_in_the_files_words(both: dict) -> None:
    """A kind, state or side given as a number that is none of them: the
    client refused it as "kind: 99 is not a Kind", the local call in the
    library's words for that call ("kind 99 is not a right kind (1 to 7,
    or 0 for any)"); now the same words, for every call that takes one."""
    local = both["local"]
    local.set_actor("clerk-1", Role.CLERK)
    remote = _client(both, "clerk")
    calls = {"search kind": lambda r: r.search(kind=99),
             "search state": lambda r: r.search(state=9),
             "search side": lambda r: r.search(side=7, party_id="91350100M000100Y43"),
             "stats kind": lambda r: r.stats("2024-01-01", "2024-12-31", kind=42),
             "applications kind": lambda r: r.applications(kind=8)}
    for what, call in calls.items():
        said = []
        for reg in (local, remote):
            with pytest.raises(pledger.InvalidArgument) as e:
                call(reg)
            said.append(e.value.message)
        assert said[0] == said[1], (what, said)


def test_a_statement_asked_wrong_is_refused_before_the_key_is_looked_for(
        both: dict, tmp_path: pathlib.Path) -> None:
    """On a service without a statement key, a statement asked for with
    an as_of that is no instant is 400 naming as_of (it was 501 for any
    as_of: the question was never read); one asked right is 501."""
    import shutil
    src, local = both["tmp"], both["local"]
    for name in ("cert.pem", "key.pem", "accounts"):
        shutil.copy(src / name, tmp_path / name)
    a, b = sqlite3.connect(str(src / "local.db")), sqlite3.connect(str(tmp_path / "reg.db"))
    a.backup(b)
    a.close()
    b.close()
    d = Daemon(tmp_path)
    try:
        local.set_actor("bank-1", Role.BANK)
        number = next(local.search(registered_from="2000-01-01")).number
        token = both["tokens"]["bank"]
        for bad in ("-1", "1e309", "2024-13-01", "+1", "%EF%BC%91"):
            status, _, body = d.curl(f"/v1/pledges/{number}/statement?as_of={bad}", token)
            assert status == 400, (bad, status, body)
            assert "as_of" in json.loads(body)["error"]["message"], (bad, body)
        status, _, body = d.curl(f"/v1/pledges/{number}/statement?as_of=2024-06-01", token)
        assert status == 501 and json.loads(body)["error"]["name"] == "PLEDGER_ENOTSUP", body
    finally:
        assert d.stop() == 0


def test_the_command_line_over_url_refuses_who_acts(both: dict) -> None:
    """pledger COMMAND --url with --actor or --role: refused, exit status
    2, naming the option (they were ignored: the service answered as the
    token's account, a bank's script given --role auditor read a bank's
    answer as an auditor's).  The same names from the environment
    ($PLEDGER_ACTOR, $PLEDGER_ROLE, set for the files a shell also asks)
    are left aside, as before."""
    import sys
    local = both["local"]
    local.set_actor("bank-1", Role.BANK)
    number = next(local.search(registered_from="2000-01-01")).number
    d = both["d"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLEDGER_")
           or k in ("PLEDGER_LIBRARY", "PLEDGER_CDEF", "PLEDGER_LOCALEDIR")}
    env["LANG"] = "C.UTF-8"
    base = [sys.executable, "-m", "pledger", "verify", number, "--url", d.url, "--token",
            both["tokens"]["bank"], "--cacert", str(d.cert)]

    def run(*extra: str, **more: str) -> subprocess.CompletedProcess:
        return subprocess.run([*base, *extra], capture_output=True, text=True,
                              env={**env, **more}, timeout=120)
    plain = run()
    assert plain.returncode == 0, plain.stderr
    for extra, option in ((("--actor", "auditor-1"), "--actor"),
                          (("--role", "auditor"), "--role"), (("--role=bank",), "--role"),
                          (("--actor", "bank-1", "--role", "bank"), "--")):
        got = run(*extra)
        assert got.returncode == 2 and got.stdout == "", (extra, got.stdout, got.stderr)
        assert f"pledger verify: {option}" in got.stderr and "--url" in got.stderr, \
            (extra, got.stderr)
    got = run(PLEDGER_ACTOR="someone", PLEDGER_ROLE="auditor")
    assert (got.returncode, got.stdout) == (0, plain.stdout), got.stderr
