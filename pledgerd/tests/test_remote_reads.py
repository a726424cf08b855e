"""pledger show, prove, consistency, verify-log and journal-verify with
--url: the same output (text and --json) and exit status as the same
command on the file; the endpoints behind them (GET /v1/pledges/{number}/
record and /document, /v1/log/leaf, /v1/log/root, /v1/log/verify) spoken
to with curl and checked against openapi.json; the remote consistency
check made by the client, which trusts only the keys it is given."""
from __future__ import annotations

import datetime as _dt
import json
import os
import pathlib
import sqlite3
import subprocess
import sys
from typing import Iterator

import pytest

import pledger
from pledger import Role
from test_pledgerd import DATA, Daemon, sample, sample_app, site  # noqa: F401 (site: the fixture)

LOG = "FZ01-log"


def _key(tmp: pathlib.Path, name: str) -> None:
    """An Ed25519 key pair: name.key, name.pub."""
    if not (tmp / f"{name}.key").exists():
        subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out",
                        str(tmp / f"{name}.key")], check=True)
    subprocess.run(["openssl", "pkey", "-in", str(tmp / f"{name}.key"), "-pubout", "-out",
                    str(tmp / f"{name}.pub")], check=True)


def _copy(src: str, dst: pathlib.Path) -> str:
    """A copy of a registry as it is now (SQLite's backup: the WAL too)."""
    a, b = sqlite3.connect(src), sqlite3.connect(str(dst))
    try:
        a.backup(b)
    finally:
        a.close()
        b.close()
    return str(dst)


def _file_more(path: str, n: int) -> None:
    """Journal @n more events on the registry at @path (applications saved)."""
    with pledger.open(path) as reg:
        reg.set_actor("applicant-9", Role.APPLICANT)
        for _ in range(n):
            with sample_app("app-patent.xml") as app:
                reg.save(app)


def _sign(path: str, key: pathlib.Path, name: str = LOG) -> str:
    with pledger.open(path) as reg:
        reg.set_actor("registrar-1", Role.REGISTRAR)
        kr = pledger.Keyring()
        kr.add_pem_file(name, str(key))
        return reg.sign_checkpoint(kr)


@pytest.fixture(scope="module")
def reads(site: dict) -> Iterator[dict]:  # noqa: F811 (the fixture imported above)
    """The site of test_pledgerd with a pledge of two versions, a
    checkpoint kept from before the change, one of a forked copy of the
    log, one of a copy ahead of the service's latest, and one signed by a
    key nobody trusts."""
    tmp, number = site["tmp"], site["number"]
    db = str(tmp / "reg.db")
    _key(tmp, "log")
    _key(tmp, "stranger")
    with pledger.open(db, read_only=True) as reg:
        kept = reg.latest_checkpoint()
        assert kept and int(kept.split("\n")[1]) == reg.log_size()
    (tmp / "kept.txt").write_text(kept)
    # a fork: a copy of the registry as the kept checkpoint saw it, which
    # journals something else next and signs with the same key
    fork = _copy(db, tmp / "fork.db")
    _file_more(fork, 1)
    (tmp / "forked.txt").write_text(_sign(fork, tmp / "log.key"))
    # a checkpoint signed with a key nobody trusts
    (tmp / "stranger.txt").write_text(_sign(fork, tmp / "stranger.key", "FZ01-stranger"))
    # the service's registry goes on: a second version of the pledge
    with pledger.open(db) as reg:
        reg.set_actor("registrar-1", Role.REGISTRAR)
        first = reg.pledge(number)
        reg.change(number, amount=first.amount + 100000, note="more credit")
        second = reg.pledge(number)
    _file_more(db, 1)
    latest = _sign(db, tmp / "log.key")
    assert int(latest.split("\n")[1]) >= int((tmp / "forked.txt").read_text().split("\n")[1])
    # a copy that goes further than the service has signed
    ahead = _copy(db, tmp / "ahead.db")
    _file_more(ahead, 2)
    (tmp / "ahead.txt").write_text(_sign(ahead, tmp / "log.key"))
    yield dict(site, db=db, first=first, second=second)


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pledger", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLEDGER_")
           or k in ("PLEDGER_LIBRARY", "PLEDGER_CDEF", "PLEDGER_LOCALEDIR")}
    env["LANG"] = "C.UTF-8"
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(var, None)
    return env


def both(reads: dict, role: str, *args: str
         ) -> tuple[subprocess.CompletedProcess, subprocess.CompletedProcess]:
    """The command asked of the service (--url, the account of @role) and
    of the file (--db, the same actor and role)."""
    d = reads["d"]
    actor = {"bank": "bank-1", "auditor": "auditor-1", "applicant": "filer-1"}[role]
    remote = _run([*args, "--url", d.url, "--token", reads["tokens"][role], "--cacert",
                   str(d.cert)], _env())
    local = _run([*args, "--db", reads["db"], "--actor", actor, "--role", role], _env())
    return remote, local


def same(reads: dict, role: str, *args: str, status: int = 0) -> subprocess.CompletedProcess:
    """Asserts that the service and the file give the same output, errors
    and exit status (@status), with --json and without."""
    for extra in ((), ("--json",)):
        remote, local = both(reads, role, *args, *extra)
        assert local.returncode == status, (args, extra, local.stderr)
        assert (remote.returncode, remote.stdout, remote.stderr) == \
            (local.returncode, local.stdout, local.stderr), (args, extra)
    return remote


def test_show(reads: dict) -> None:
    number, first, second = reads["number"], reads["first"], reads["second"]
    assert second.version == 2 and first.valid_to is None
    for role in ("bank", "auditor"):
        r = json.loads(same(reads, role, "show", number).stdout)
        assert r["version"] == 2 and r["valid_to"] is None and r["rights"]
        assert r["acceptance_number"] and r["application_uuid"] == reads["uuid"]
    # --at: the first version, which a second one ended
    at = (second.valid_from - _dt.timedelta(microseconds=1)).isoformat()
    r = json.loads(same(reads, "bank", "show", number, "--at", at).stdout)
    assert r["version"] == 1 and r["valid_to"] and r["amount"] == first.amount
    # the text says so too
    assert "(current)" not in same(reads, "bank", "show", number, "--at", at).stdout
    # --xml, now and then
    xml = json.loads(same(reads, "bank", "show", number, "--xml").stdout)["xml"]
    assert "<pledge" in xml and number in xml
    same(reads, "bank", "show", number, "--xml", "--at", at)
    # before it was registered, an unknown number: not found (3)
    same(reads, "bank", "show", number, "--at", "2000-01-01T00:00:00Z", status=3)
    same(reads, "bank", "show", "R-NOPE-1", status=3)
    same(reads, "bank", "show", "R-NOPE-1", "--xml", status=3)


def test_prove(reads: dict) -> None:
    r = json.loads(same(reads, "bank", "prove", "2").stdout)
    assert r["event"] == 2 and r["proof"] and len(r["leaf"]) == 44
    same(reads, "bank", "prove", "1", "--size", "1")
    same(reads, "bank", "prove", "3", "--size", "5")
    same(reads, "bank", "prove", "999999", status=2)          # beyond the log
    same(reads, "bank", "prove", "2", "--size", "999999", status=2)
    # the leaf, root and proof of the service check offline
    with pledger.open(reads["db"], read_only=True) as local:
        size = local.log_size()
        remote = pledger.connect(reads["d"].url, token=reads["tokens"]["bank"],
                                 cafile=str(reads["d"].cert))
        leaf, root = remote.log_leaf(2), remote.log_root(size)
        assert (leaf, root) == (local.log_leaf(2), local.log_root(size))
        assert remote.log_root() == local.log_root()
        assert remote.log_root(0) == local.log_root(0)
        pledger.verify_inclusion(2, size, leaf, remote.prove_inclusion(2, size), root)
        for call in (lambda r: r.log_leaf(0), lambda r: r.log_leaf(10 ** 9),
                     lambda r: r.log_root(size + 1), lambda r: r.log_leaf(-1)):
            with pytest.raises(pledger.Error) as le:
                call(local)
            with pytest.raises(pledger.Error) as re_:
                call(remote)
            assert type(le.value) is type(re_.value), (le.value, re_.value)


def test_consistency(reads: dict) -> None:
    tmp = reads["tmp"]
    trust = ("--trust", f"{LOG}={tmp / 'log.pub'}")
    r = json.loads(same(reads, "bank", "consistency", str(tmp / "kept.txt"), *trust).stdout)
    assert r["consistent"] and r["size"] > r["checkpoint_size"] and r["message"] == ""
    # the verifier key text instead of the PEM file
    vkey = pledger.Keyring().add_pem_file(LOG, str(tmp / "log.key")).vkeys[0]
    same(reads, "bank", "consistency", str(tmp / "kept.txt"), "--trust", vkey)
    # a fork of the log: refused, with the library's message both ways
    r = json.loads(same(reads, "bank", "consistency", str(tmp / "forked.txt"), *trust,
                        status=1).stdout)
    assert not r["consistent"] and "rewritten" in r["message"]
    # a checkpoint signed by no trusted key: refused before anything is asked
    same(reads, "bank", "consistency", str(tmp / "stranger.txt"), *trust, status=1)
    same(reads, "bank", "consistency", str(tmp / "kept.txt"), "--trust",
         f"FZ01-stranger={tmp / 'stranger.pub'}", status=1)
    # a checkpoint of more events than the service has signed: it says so
    remote, local = both(reads, "bank", "consistency", str(tmp / "ahead.txt"), *trust,
                         "--json")
    assert remote.returncode == local.returncode == 1, (remote.stderr, local.stderr)
    msg = json.loads(remote.stdout)["message"]
    assert "latest signed checkpoint" in msg and "older" in msg, msg
    # the Python client: the same check, trusting only the keys it is given
    kr = pledger.Keyring().add_pem_file(LOG, str(tmp / "log.pub"))
    remote_reg = pledger.connect(reads["d"].url, token=reads["tokens"]["bank"],
                                 cafile=str(reads["d"].cert))
    kept = pledger.Checkpoint.open((tmp / "kept.txt").read_text(), kr)
    checked = remote_reg.check_log(kept, trusted=kr)
    assert checked.size >= kept.size and checked.signers == (LOG,)
    with pytest.raises(pledger.InvalidArgument):
        remote_reg.check_log(kept)     # the keys are needed here
    with pytest.raises(pledger.CodeMismatch):
        remote_reg.check_log(pledger.Checkpoint.open((tmp / "forked.txt").read_text(), kr),
                             trusted=kr)


def test_verify_log_and_journal_verify(reads: dict) -> None:
    tmp = reads["tmp"]
    trust = ("--trust", f"{LOG}={tmp / 'log.pub'}")
    r = json.loads(same(reads, "auditor", "journal-verify").stdout)
    assert r["intact"] and r["count"] > 5 and r["bad_seq"] is None
    same(reads, "auditor", "journal-verify", "--chain-only")
    r = json.loads(same(reads, "auditor", "verify-log").stdout)
    assert r["intact"] and r["consistent"] is None
    r = json.loads(same(reads, "auditor", "verify-log", "--since", str(tmp / "kept.txt"),
                        *trust).stdout)
    assert r["intact"] and r["consistent"] is True
    r = json.loads(same(reads, "auditor", "verify-log", "--since", str(tmp / "forked.txt"),
                        *trust, status=1).stdout)
    assert r["intact"] and r["consistent"] is False
    # a bank may not read the journal, here as in-process (4: refused)
    same(reads, "bank", "journal-verify", status=4)
    same(reads, "bank", "verify-log", status=4)
    with pledger.open(reads["db"], read_only=True) as local:
        local.set_actor("auditor-1", Role.AUDITOR)
        remote = pledger.connect(reads["d"].url, token=reads["tokens"]["auditor"],
                                 cafile=str(reads["d"].cert))
        assert remote.journal_verify() == local.journal_verify()
        assert remote.journal_verify(chain_only=True) == local.journal_verify(chain_only=True)
        assert remote.pledge(reads["number"]) == local.pledge(reads["number"])
        # one Pledge everywhere: the record, a verification's and a search
        # hit's, every field by its path, the same remotely as in-process
        number = reads["number"]
        lp, rp = local.pledge(number), remote.pledge(number)
        assert rp.fields == lp.fields and rp.field("history/entry[2]/operation") == "change"
        lv, rv = local.verify(number), remote.verify(number)
        assert rv.pledge == lv.pledge and rv.pledge.fields == lv.pledge.fields == lp.fields
        lh = [h.pledge for h in local.search(party_id="91350100M000100Y43")]
        rh = [h.pledge for h in remote.search(party_id="91350100M000100Y43")]
        assert rh == lh and [p.fields for p in rh] == [p.fields for p in lh] and lh
        assert remote.pledge_xml(reads["number"]) == local.pledge_xml(reads["number"])


def test_verify_reports(reads: dict) -> None:
    """GET /v1/reports/verify (curl), the remote client and the command line
    with --url: the service's reports verified with the keys it signs them
    with, the same answer as the file's; an auditor's, not a bank's."""
    d, t, number = reads["d"], reads["tokens"], reads["number"]
    d.json(f"/v1/pledges/{number}", t["bank"])      # a verification: a report
    check = d.json("/v1/reports/verify", t["auditor"])
    assert check["intact"] and check["count"] >= 1 and check["bad_number"] is None, check
    assert check["message"] == ""
    err = d.json("/v1/reports/verify", t["bank"], expect=403)["error"]
    assert err["name"] == "PLEDGER_EPERM" and "verification of the search reports" in \
        err["message"]
    status, _, body = d.curl("/v1/reports/verify", t["bank"], headers=("Accept-Language: zh-CN",))
    assert status == 403 and "查询报告的核验" in json.loads(body)["error"]["message"], body
    assert d.json("/v1/reports/verify", expect=401)["error"]["name"] == "PLEDGER_EPERM"
    pub = reads["tmp"] / "report.pub"
    r = json.loads(same(reads, "auditor", "verify-reports", "--trust",
                        f"FZ01-reports={pub}").stdout)
    assert r["intact"] and r["count"] == check["count"] and r["signatures_checked"]
    same(reads, "bank", "verify-reports", status=4)
    kr = pledger.Keyring()
    kr.add_pem_file("FZ01-reports", str(pub))
    remote = pledger.connect(d.url, token=t["auditor"], cafile=str(d.cert))
    with pledger.open(reads["db"], read_only=True) as local:
        local.set_actor("auditor-1", Role.AUDITOR)
        assert remote.report_verify(kr) == local.report_verify(kr) == remote.report_verify()
    # a key the service does not sign with: its last report is not genuine,
    # said as the file's check says a checkpoint no trusted key signed
    # (broken, exit status 1), not as a refusal
    stranger = pledger.Keyring()
    stranger.add_pem_file("FZ01-reports", str(reads["tmp"] / "stranger.key"))
    broken = remote.report_verify(stranger)
    assert not broken.intact and broken.bad_number == broken.count + 1, broken
    assert "trusted" in broken.message, broken
    with pledger.open(reads["db"], read_only=True) as local:
        local.set_actor("auditor-1", Role.AUDITOR)
        assert not local.report_verify(stranger).intact
    remote_cli, local_cli = both(reads, "auditor", "verify-reports", "--trust",
                                 f"FZ01-reports={reads['tmp'] / 'stranger.key'}")
    assert remote_cli.returncode == local_cli.returncode == 1, (remote_cli, local_cli)


def test_the_endpoints(reads: dict) -> None:
    """curl, the peer tool: every new endpoint answers, refuses a missing
    token (401), a role the library refuses (403), a bad parameter (400,
    naming it) and an unknown number (404), as openapi.json says."""
    d, t, number = reads["d"], reads["tokens"], reads["number"]
    bank, auditor = t["bank"], t["auditor"]
    rec = d.json(f"/v1/pledges/{number}/record", bank)
    assert rec["number"] == number and rec["version"] == 2 and rec["valid_to"] is None
    assert rec["pledgor"]["id"] == "91350100M000100Y43" and rec["rights"]
    first = reads["first"]
    at = int(first.valid_from.timestamp() * 1_000_000) + 1
    old = d.json(f"/v1/pledges/{number}/record?as_of={at}", bank)
    assert old["version"] == 1 and old["valid_to"] is not None
    status, ctype, xml = d.curl(f"/v1/pledges/{number}/document", bank)
    assert status == 200 and ctype.startswith("application/xml") and "<pledge" in xml
    status, _, xml1 = d.curl(f"/v1/pledges/{number}/document?as_of={at}", bank)
    assert status == 200 and xml1 != xml
    leaf = d.json("/v1/log/leaf?event=1", bank)
    assert leaf["event"] == 1 and len(leaf["leaf"]) == 44
    size = d.json("/v1/status")["log_size"]
    root = d.json(f"/v1/log/root?size={size}", bank)
    assert root["size"] == size and len(root["root"]) == 44
    assert d.json("/v1/log/root?size=0", bank)["root"]
    check = d.json("/v1/log/verify", auditor)
    assert check == {"intact": True, "count": size, "bad_seq": None, "message": "",
                     "chain_only": False}
    assert d.json("/v1/log/verify?chain_only=true", auditor)["chain_only"] is True
    assert d.json("/v1/log/verify?chain_only=false", auditor)["intact"] is True
    # no token
    for path in (f"/v1/pledges/{number}/record", f"/v1/pledges/{number}/document",
                 "/v1/log/leaf?event=1", "/v1/log/root?size=1", "/v1/log/verify"):
        err = d.json(path, expect=401)["error"]
        assert err["name"] == "PLEDGER_EPERM" and "token" in err["message"]
    # a role the library refuses the journal
    err = d.json("/v1/log/verify", bank, expect=403)["error"]
    assert err["name"] == "PLEDGER_EPERM" and "bank" in err["message"]
    assert d.json("/v1/log/verify", t["applicant"], expect=403)
    # bad parameters, named
    for path, name in ((f"/v1/pledges/{number}/record?as_of=yesterday", "as_of"),
                       (f"/v1/pledges/{number}/document?as_of=2024-13-01", "as_of"),
                       ("/v1/log/leaf", "event"), ("/v1/log/leaf?event=0", "event"),
                       ("/v1/log/leaf?event=-1", "event"), ("/v1/log/leaf?event=x", "event"),
                       ("/v1/log/root", "size"), ("/v1/log/root?size=1e3", "size"),
                       (f"/v1/log/root?size={size + 1}", "size"),
                       ("/v1/log/leaf?event=99999999999999999999", "event"),
                       ("/v1/log/verify?chain_only=yes", "chain_only")):
        err = d.json(path, auditor if "verify" in path else bank, expect=400)["error"]
        assert err["name"] == "PLEDGER_EINVAL" and name in err["message"], (path, err)
    # unknown numbers: not found
    for path in ("/v1/pledges/R-NOPE-1/record", "/v1/pledges/R-NOPE-1/document",
                 f"/v1/pledges/{number}/record?as_of=2000-01-01",
                 f"/v1/log/leaf?event={size + 1000}"):
        assert d.json(path, bank, expect=404)["error"]["name"] == "PLEDGER_ENOTFOUND", path
    # not a path of these
    assert d.json(f"/v1/pledges/{number}/record/x", bank, expect=404)
    assert d.json("/v1/pledges//record", bank, expect=404)


def test_the_service_signs_with_a_key_not_trusted(reads: dict) -> None:
    """Runs last (it changes the service's latest checkpoint): the
    client refuses a service whose checkpoint no trusted key signed, and
    says when the service has signed nothing newer."""
    tmp, db = reads["tmp"], reads["db"]
    trust = ("--trust", f"{LOG}={tmp / 'log.pub'}")
    _sign(db, tmp / "stranger.key", "FZ01-stranger")
    try:
        remote, local = both(reads, "bank", "consistency", str(tmp / "kept.txt"), *trust,
                             "--json")
        assert local.returncode == 0 and remote.returncode == 1, (local.stderr, remote.stderr)
        r = json.loads(remote.stdout)
        assert not r["consistent"] and "service's latest checkpoint is refused" in \
            r["message"], r
    finally:
        _sign(db, tmp / "log.key")
    # the log grew after the service's latest checkpoint: checked up to it,
    # and the text says so
    _file_more(db, 1)
    remote, local = both(reads, "bank", "consistency", str(tmp / "kept.txt"), *trust)
    assert remote.returncode == local.returncode == 0, (remote.stderr, local.stderr)
    assert "latest signed checkpoint" in remote.stdout and "events now" in remote.stdout


def test_filing_over_url(reads: dict, tmp_path: pathlib.Path) -> None:
    """The applicant's filing commands ask the service with --url, as the
    token's account: apply (with --key: once), review, submit, withdraw,
    file-batch (with --batch-key: once); their JSON is the local one's
    shape and a refusal has the local exit status and message."""
    d = reads["d"]
    url = ["--url", d.url, "--token", reads["tokens"]["applicant"], "--cacert", str(d.cert)]
    env = _env()

    def run(*args: str, status: int = 0) -> dict:
        r = _run([*args, *url, "--json"], env)
        assert r.returncode == status, (args, r.stdout, r.stderr)
        return json.loads(r.stdout if status == 0 else r.stderr)

    patent = str(tmp_path / "app-patent.xml")
    pathlib.Path(patent).write_bytes(sample("app-patent.xml"))
    first = run("apply", patent, "--key", "cli-url-1")
    again = run("apply", patent, "--key", "cli-url-1")
    assert first["uuid"] == again["uuid"] and first["kind"] == "patent"
    u = first["uuid"]
    review = run("review", u)
    assert review["uuid"] == u and review["submittable"], review
    assert run("submit", u) == {"uuid": u, "state": "submitted"}
    assert run("withdraw", u) == {"uuid": u, "state": "withdrawn"}
    # withdrawn again (a retry whose first answer was lost): done, changing nothing
    assert run("withdraw", u) == {"uuid": u, "state": "withdrawn"}
    # a submit of it: refused, as from the file (the same status, the service's words)
    local = _run(["submit", u, "--db", reads["db"], "--actor", "filer-1", "--role",
                  "applicant", "--json"], env)
    err = run("submit", u, status=local.returncode)
    assert local.returncode != 0 and err["name"] == json.loads(local.stderr)["name"] == \
        "PLEDGER_ESTATE" and "withdrawn" in err["message"], err
    # the registry the service keeps has it so
    with pledger.open(reads["db"], read_only=True) as reg:
        reg.set_actor("auditor-1", Role.AUDITOR)
        assert reg.load(u).state == pledger.AppState.WITHDRAWN
    # bulk filing under a key: filed once
    base = (DATA / "app-receivable.xml").read_text(encoding="utf-8").replace(
        "<end>2025-10-31</end>", "<end>2049-10-31</end>", 1)
    files = []
    for i in range(2):
        f = tmp_path / f"r{i}.xml"
        f.write_text(base.replace("<main_contract_number>",
                                  f"<main_contract_number>URL{i}-", 1), encoding="utf-8")
        files.append(str(f))
    filed = run("file-batch", *files, "--batch-key", "cli-url-batch")
    assert filed["filed"] and not filed["replayed"] and all(i["modcode"] for i in filed["items"])
    again = run("file-batch", *files, "--batch-key", "cli-url-batch")
    assert again["replayed"] and [i["number"] for i in again["items"]] == \
        [i["number"] for i in filed["items"]]
    # without a key, the same command run again (its answer lost) files
    # nothing twice: the batch is keyed by its documents; another key files
    # the same documents again
    for f in files:
        pathlib.Path(f).write_text(pathlib.Path(f).read_text(encoding="utf-8").replace(
            "URL", "NOKEY", 1), encoding="utf-8")
    first = run("file-batch", *files)
    assert first["filed"] and not first["replayed"], first
    retry = run("file-batch", *files)
    assert retry["replayed"] and [i["number"] for i in retry["items"]] == \
        [i["number"] for i in first["items"]], retry
    other = run("file-batch", *files, "--batch-key", "on-purpose-2")
    assert other["filed"] and not other["replayed"] and not set(
        i["number"] for i in other["items"]) & set(i["number"] for i in first["items"])
    # a bank's token files nothing
    bank = ["--url", d.url, "--token", reads["tokens"]["bank"], "--cacert", str(d.cert)]
    r = _run(["apply", patent, *bank, "--json"], env)
    assert r.returncode != 0 and json.loads(r.stderr)["name"] == "PLEDGER_EPERM", r


def test_verify_reports_broken_in_the_clients_language(reads: dict,
                                                       tmp_path: pathlib.Path) -> None:
    """A service whose reports' file was changed: GET /v1/reports/verify
    answers intact false naming the report, in the language the client
    asked for (Accept-Language), as the library says it in-process."""
    tmp, d, t = reads["tmp"], reads["d"], reads["tokens"]
    d.json(f"/v1/pledges/{reads['number']}", t["bank"])      # a report at least
    copy = _copy(reads["db"], tmp / "tampered.db")
    _copy(reads["db"] + ".reports", tmp / "tampered.db.reports")
    c = sqlite3.connect(copy + ".reports")
    c.executescript("DROP TRIGGER search_report_no_update;"
                    "UPDATE search_report SET query = 'nothing asked' WHERE number = 1;")
    c.close()
    other = Daemon(tmp, registry=copy)
    try:
        for lang, says in (("zh-CN", "查询报告 1：其查询内容"), ("en", "search report 1: its query")):
            status, _, body = other.curl("/v1/reports/verify", t["auditor"],
                                         headers=(f"Accept-Language: {lang}",))
            j = json.loads(body)
            assert status == 200 and j["intact"] is False and j["bad_number"] == 1, body
            assert says in j["message"], (lang, j["message"])
    finally:
        assert other.stop() == 0


def test_one_verification_at_a_time(reads: dict) -> None:
    """A verification of the reports (or the journal) reads all of them on
    a thread that answers banks: a second one asked meanwhile is told to
    ask again (503, PLEDGER_EBUSY, Retry-After) rather than take the other
    thread too; the banks are answered throughout."""
    import concurrent.futures
    tmp, t = reads["tmp"], reads["tokens"]
    copy = _copy(reads["db"], tmp / "busy.db")
    _copy(reads["db"] + ".reports", tmp / "busy.db.reports")
    kr = pledger.Keyring()
    kr.add_pem_file("FZ01-reports", str(tmp / "report.key"))
    with pledger.open(copy) as reg:      # enough reports for a verification to take a while
        reg.set_actor("pledgerd", Role.REGISTRAR)
        for _ in range(3000):
            reg.issue_report("q", signers=kr, actor="bank-1", role=Role.BANK)
    other = Daemon(tmp, registry=copy)
    try:
        def ask(path: str, token: str) -> tuple[int, str]:
            status, _, body = other.curl(path, token)
            return status, body
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            futures = [pool.submit(ask, p, t["auditor"]) for p in
                       ["/v1/reports/verify", "/v1/log/verify"] * 4]
            bank = [pool.submit(ask, f"/v1/pledges/{reads['number']}", t["bank"])
                    for _ in range(8)]
            client = pledger.connect(other.url, token=t["auditor"], cafile=str(other.cert))

            def by_client(call: str) -> object:
                """The client's answer, or the exception it raised."""
                try:
                    return getattr(client, call)()
                except pledger.Error as e:
                    return e
            clients = [pool.submit(by_client, c) for c in ["journal_verify",
                                                          "report_verify"] * 2]
            answers = [f.result() for f in futures]
            assert all(f.result()[0] == 200 for f in bank)
            for f in clients:
                # one at a time: pledger.Busy with the service's Retry-After
                # (the command line's "try again later", 75), or the answer
                got = f.result()
                assert not isinstance(got, pledger.Error) or (
                    type(got) is pledger.Busy and got.retry_after == 10), got
        statuses = sorted(s for s, _ in answers)
        assert set(statuses) <= {200, 503} and 200 in statuses and 503 in statuses, statuses
        for status, body in answers:
            j = json.loads(body)
            if status == 503:
                assert j["error"]["name"] == "PLEDGER_EBUSY" and "one runs at a time" in \
                    j["error"]["message"], j
            else:
                assert j["intact"] is True, j
    finally:
        assert other.stop() == 0


def _many_reports(path: str, kr: pledger.Keyring, n: int) -> None:
    """@n search reports on the registry at @path, in groups of 512 (one
    transaction and one signed checkpoint a group: quick to make, and
    each checkpoint checked again when they are verified)."""
    from pledger._ffi import ffi, lib
    with pledger.open(path) as reg:
        reg.set_actor("pledgerd", Role.REGISTRAR)
        query, actor = ffi.new("char[]", b"/v1/pledges?party_name=x"), ffi.new("char[]", b"bank-1")
        group = 512
        reqs = ffi.new("pledger_report_request[]", group)
        for r in reqs:
            r.version = lib.PLEDGER_REPORT_REQUEST_VERSION
            r.kind = lib.PLEDGER_REPORT_SEARCH
            r.query, r.actor, r.role = query, actor, int(Role.BANK)
        notes, nums = ffi.new("char *[]", group), ffi.new("uint64_t[]", group)
        for done in range(0, n, group):
            k = min(group, n - done)
            reg._check(lib.pledger_report_issue(notes, nums, reg._h, reqs, k, kr._p))
            for i in range(k):
                lib.pledger_free(notes[i])


def test_a_verification_leaves_the_banks_answered(reads: dict) -> None:
    """A verification reads every report (or the whole journal) for
    seconds on a large registry: it runs on a thread of its own, so a
    bank asking meanwhile is answered while it runs -- here with ONE
    thread answering the connections, which a verification answered on
    it would hold until the end."""
    import concurrent.futures
    tmp, t = reads["tmp"], reads["tokens"]
    copy = _copy(reads["db"], tmp / "long.db")
    _copy(reads["db"] + ".reports", tmp / "long.db.reports")
    kr = pledger.Keyring()
    kr.add_pem_file("FZ01-reports", str(tmp / "report.key"))
    _many_reports(copy, kr, 120_000)
    other = Daemon(tmp, registry=copy, threads="1")
    try:
        def ask(path: str, token: str) -> tuple[int, str]:
            status, _, body = other.curl(path, token)
            return status, body
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            long = pool.submit(ask, "/v1/reports/verify", t["auditor"])
            # it has its turn once another is told to wait for one
            for _ in range(400):
                status, body = ask("/v1/log/verify", t["auditor"])
                if status == 503:
                    break
                assert status == 200, (status, body)
                if long.done():
                    # it came while this one had the turn: told to ask again
                    status, body = long.result()
                    assert status == 503 and "one runs at a time" in body, (status, body)
                    long = pool.submit(ask, "/v1/reports/verify", t["auditor"])
            assert status == 503 and "one runs at a time" in body, body
            # a bank meanwhile: answered while the verification runs
            for _ in range(3):
                status, body = ask(f"/v1/pledges/{reads['number']}", t["bank"])
                assert status == 200, body
            running = not long.done()
            # a role that may not verify is refused (403), not told to wait
            status, body = ask("/v1/reports/verify", t["bank"])
            assert status == 403 and json.loads(body)["error"]["name"] == "PLEDGER_EPERM", body
            assert running, "the banks were answered only after the verification"
            status, body = long.result()
            j = json.loads(body)
            assert status == 200 and j["intact"] is True and j["count"] >= 120_000, body
    finally:
        assert other.stop() == 0
