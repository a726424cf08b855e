"""Every subcommand's --json output, for a registered pledge: every field
is filled (not null, not an empty string or list), or it is one that
``pledger COMMAND --help`` documents as possibly empty, with the reason
(``cli.NULLABLE``).  Every subcommand of the parser must be run here."""
from __future__ import annotations

import io
import json
import pathlib
import re
import subprocess
from typing import Any, Iterator

import pytest

from conftest import DATA, sample_path
import pledger
from pledger import Kind
from pledger import cli as m

NOW = "2024-04-01T02:00:00Z"


class Run:
    def __init__(self, db: str, monkeypatch: pytest.MonkeyPatch) -> None:
        self.db = db
        self.mp = monkeypatch
        self.outputs: dict[str, list[Any]] = {}

    def __call__(self, *args: str, now: str = NOW, expect: int = 0, stdin: str = "") -> Any:
        self.mp.setenv("PLEDGER_NOW", now)
        self.mp.setattr("sys.stdin", io.StringIO(stdin))
        out, err = io.StringIO(), io.StringIO()
        status = m.run([*args, "--db", self.db, "--json"], out, err)
        assert status == expect, (args, status, err.getvalue())
        # a refusal prints its JSON error on stderr
        data = json.loads(out.getvalue() or err.getvalue())
        self.outputs.setdefault(args[0], []).append(data)
        return data


def _walk(v: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(v, dict):
        for k, x in v.items():
            yield from _walk(x, f"{path}.{k}" if path else k)
    elif isinstance(v, list):
        yield path, v
        for x in v:
            yield from _walk(x, path + "[]")
    else:
        yield path, v


def _empty(v: Any) -> bool:
    return v is None or v == "" or v == []


def _signed_documents(run: Run, tmp_path: pathlib.Path, number: str, ec: pathlib.Path,
                      ec_pub: pathlib.Path, key: pathlib.Path, pub: pathlib.Path) -> None:
    """certificate --signed, verify --signed and their offline checks."""
    signed = run("certificate", number, "--signed", "--key", f"cert={ec}", "--key",
                 f"office={key}", "--actor", "registrar-1")
    assert signed["signed"] is True and signed["version"] >= 2
    (tmp_path / "cert.xml").write_text(signed["xml"])
    checked = run("verify-certificate", str(tmp_path / "cert.xml"), "--trust", f"cert={ec_pub}",
                  "--trust", f"office={pub}")
    assert checked["genuine"] is True and checked["number"] == number
    assert checked["version"] == signed["version"] and checked["signer"] == "cert"
    # the peer tool accepts it too
    subprocess.run(["xmlsec1", "--verify", "--pubkey-pem", str(ec_pub),
                    str(tmp_path / "cert.xml")], check=True, capture_output=True)
    stmt = run("verify", number, "--signed", "--key", f"cert={ec}")
    assert stmt["verified"] is True and stmt["state"] == "active"
    # not in force: the signed answer fails as the plain one does (exit 1)
    for args in ((), ("--at", "2040-01-01T00:00:00Z")):
        late = run("verify", number, "--signed", "--key", f"cert={ec}", *args,
                   now="2040-01-01T00:00:00Z", expect=1)
        plain = run("verify", number, *args, now="2040-01-01T00:00:00Z", expect=1)
        assert late["verified"] is plain["verified"] is False
        assert late["state"] == plain["state"] == "expired"
    (tmp_path / "statement.xml").write_text(stmt["xml"])
    st = run("verify-statement", str(tmp_path / "statement.xml"), "--trust", f"cert={ec_pub}",
             "--trust", f"office={pub}")
    assert st["genuine"] is True and st["number"] == number and st["actor"]
    subprocess.run(["xmlsec1", "--verify", "--pubkey-pem", str(ec_pub),
                    str(tmp_path / "statement.xml")], check=True, capture_output=True)
    (tmp_path / "bad-statement.xml").write_text(stmt["xml"].replace("<rank>", "<rank>9", 1))
    run("verify-statement", str(tmp_path / "bad-statement.xml"), "--trust", f"cert={ec_pub}",
        "--trust", f"office={pub}", expect=1)
    # one changed byte: refused, exit status 1, naming the check
    bad = re.sub(r"(<amount[^>]*>)(\d)",
                 lambda g: g.group(1) + str((int(g.group(2)) + 1) % 10), signed["xml"], count=1)
    assert bad != signed["xml"]
    (tmp_path / "bad.xml").write_text(bad)
    run("verify-certificate", str(tmp_path / "bad.xml"), "--trust", f"cert={ec_pub}",
        "--trust", f"office={pub}", expect=1)


def _data_line(run: Run, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """init --acceptance-point-of, exchange export/import/status and
    application-certificate: an acceptance point AP01 of the office FZ01
    (run's registry)."""
    ap = Run(str(tmp_path / "ap.db"), monkeypatch)
    ap.outputs = run.outputs
    ap("init", "--office", "AP01", "--acceptance-point-of", "FZ01")
    keys = {}
    for code in ("AP01", "FZ01"):
        key, pub = tmp_path / f"{code}.key", tmp_path / f"{code}.pub"
        subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-out", str(key)], check=True)
        subprocess.run(["openssl", "pkey", "-in", str(key), "-pubout", "-out", str(pub)],
                       check=True)
        keys[code] = (f"{code}={key}", f"{code}={pub}")
    uuid = ap("apply", str(sample_path(Kind.PATENT)), "--actor", "applicant-1")["uuid"]
    ap("review", uuid, "--actor", "applicant-1")
    ap("submit", uuid, "--actor", "applicant-1")
    ap("accept", uuid, "--actor", "clerk-1")
    if not pledger.xmlsig_available():
        assert ap("exchange", "export", "--to", "FZ01", "--key", keys["AP01"][0], "--actor",
                  "clerk-1", expect=5)["name"] == "PLEDGER_ENOTSUP"
        assert ap("exchange", "import", str(DATA / "app-patent.xml"), "--trust",
                  keys["FZ01"][1], "--actor", "clerk-1", expect=5)["name"] == "PLEDGER_ENOTSUP"
        ap("exchange", "status", "--actor", "clerk-1")
        run("exchange", "status", "--actor", "registrar-1")
        ap("application-certificate", uuid, "--actor", "clerk-1", expect=3)
        return
    assert run("exchange", "status", "--actor", "registrar-1")["lines"] == []
    # the acceptance point's list: accepted, then forwarded with its batch
    (entry,) = ap("applications", "--state", "accepted", "--actor", "clerk-1")["applications"]
    assert entry["uuid"] == uuid and entry["acceptance_number"]
    batch = tmp_path / "batch.xml"
    batch.write_text(ap("exchange", "export", "--to", "FZ01", "--key", keys["AP01"][0],
                        "--actor", "clerk-1")["xml"], encoding="utf-8")
    (entry,) = ap("applications", "--state", "forwarded", "--actor", "clerk-1")["applications"]
    assert entry["uuid"] == uuid and entry["registration_number"] is None
    receipt = tmp_path / "receipt.xml"
    receipt.write_text(run("exchange", "import", str(batch), "--trust", keys["AP01"][1],
                           "--key", keys["FZ01"][0], "--actor", "registrar-1")["receipt"],
                       encoding="utf-8")
    assert ap("exchange", "import", str(receipt), "--trust", keys["FZ01"][1], "--actor",
              "clerk-1")["kind"] == "receipt"
    number = run("register", uuid, "--actor", "registrar-1")["number"]
    results = tmp_path / "results.xml"
    results.write_text(run("exchange", "export", "--to", "AP01", "--key", keys["FZ01"][0],
                           "--actor", "registrar-1")["xml"], encoding="utf-8")
    ap("exchange", "import", str(results), "--trust", keys["FZ01"][1], "--key",
       keys["AP01"][0], "--actor", "clerk-1")
    assert number in ap("application-certificate", uuid, "--actor", "clerk-1")["xml"]
    # the office's registration number, as the acceptance point was told it
    (entry,) = ap("applications", "--actor", "clerk-1")["applications"]
    assert entry["registration_number"] == number, entry
    (line,) = ap("exchange", "status", "--actor", "clerk-1")["lines"]
    assert line == {"peer": "FZ01", "last_sent": 1, "last_acked": 1, "last_received": 1,
                    "pending": 0}


def test_every_json_field_is_filled_or_documented(tmp_path: pathlib.Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    run = Run(str(tmp_path / "j.db"), monkeypatch)
    run("init", "--office", "FZ01")
    run("calendar-load", "-", "--actor", "registrar-1",
        stdin="2024-10-01..2024-10-07 holiday National Day\n")
    run("check-id", "uscc", "91350100M000100Y43")
    run("check", str(sample_path(Kind.TRADEMARK)))
    nameless = tmp_path / "nameless.xml"
    nameless.write_text(sample_path(Kind.TRADEMARK).read_text(encoding="utf-8").replace(
        "91350100M000100Y43", "91350100M000100Y44", 1), encoding="utf-8")
    assert run("check", str(nameless), expect=1)["findings"]

    def accepted(kind: Kind) -> str:
        uuid = run("apply", str(sample_path(kind)), "--actor", "applicant-1")["uuid"]
        run("review", uuid, "--actor", "applicant-1")
        run("submit", uuid, "--actor", "applicant-1")
        run("accept", uuid, "--actor", "clerk-1")
        return uuid

    uuid = accepted(Kind.TRADEMARK)
    run("request-correction", uuid, "--note", "the goods", "--actor", "clerk-1")
    run("correct", uuid, "--set", "rights/right[1]/goods=罐头", "--actor", "clerk-1")
    number = run("register", uuid, "--actor", "registrar-1")["number"]
    rv = run("register", accepted(Kind.RECEIVABLE), "--actor", "registrar-1")
    # bulk filing: refused (an item without its amount), then filed
    bad = tmp_path / "bad-receivable.xml"
    bad.write_text(sample_path(Kind.RECEIVABLE).read_text(encoding="utf-8").replace(
        '<amount currency="CNY">100000000</amount>', "", 1), encoding="utf-8")
    refused = run("file-batch", str(sample_path(Kind.RECEIVABLE)), str(bad), "--actor",
                  "bank-qh", expect=1)
    assert not refused["filed"] and [i["blocked"] for i in refused["items"]] == [False, True]
    # the first blocked item named by its file, not by its index from 0
    assert f"(the first: {bad}," in refused["message"], refused["message"]
    filed = run("file-batch", str(sample_path(Kind.RECEIVABLE)),
                str(sample_path(Kind.RECEIVABLE)), "--actor", "bank-qh")
    assert filed["filed"] and filed["count"] == 2 and filed["items"][1]["modcode"]
    assert filed["replayed"] is False
    # under a key, sent twice: filed once, the second answer without modcodes
    keyed = [run("file-batch", str(sample_path(Kind.RECEIVABLE)), "--batch-key", "cli-1",
                 "--actor", "bank-qh") for _ in range(2)]
    assert [k["replayed"] for k in keyed] == [False, True]
    assert keyed[0]["items"][0]["number"] == keyed[1]["items"][0]["number"]
    assert keyed[0]["items"][0]["modcode"] and keyed[1]["items"][0]["modcode"] is None
    conflict = run("file-batch", str(sample_path(Kind.RECEIVABLE)),
                   str(sample_path(Kind.RECEIVABLE)), "--batch-key", "cli-1", "--actor",
                   "bank-qh", expect=4)
    assert conflict["error"].startswith("pledger file-batch: --batch-key"), conflict
    # an item the library refuses is named by its file, not by its index from 0
    mixed = run("file-batch", str(sample_path(Kind.RECEIVABLE)), str(sample_path(Kind.TRADEMARK)),
                "--actor", "bank-qh", expect=2)
    assert f": {sample_path(Kind.TRADEMARK)}: @kind: " in mixed["error"], mixed
    assert "item 1" not in mixed["error"], mixed
    run("refuse", accepted(Kind.LAND), "--ground", "RIGHT_SEIZED", "--note", "court",
        "--actor", "registrar-1")
    withdrawn = run("apply", str(sample_path(Kind.PATENT)), "--actor", "applicant-1")["uuid"]
    # stored under a key, twice: one draft; another file under the key: refused (4)
    drafts = [run("apply", str(sample_path(Kind.PATENT)), "--key", "cli-app-1", "--actor",
                  "applicant-1")["uuid"] for _ in range(2)]
    assert drafts[0] == drafts[1] != withdrawn
    run("apply", str(sample_path(Kind.EQUITY)), "--key", "cli-app-1", "--actor", "applicant-1",
        expect=4)
    run("withdraw", withdrawn, "--actor", "applicant-1")
    # the lists of applications: the clerk's queue, an applicant's own by pages
    queue = run("applications", "--state", "submitted", "--actor", "clerk-1")
    assert queue["count"] == 0 and queue["next_after"] is None
    everything = run("applications", "--actor", "clerk-1")["applications"]
    assert {a["filed_by"] for a in everything} == {"applicant-1", "bank-qh"}
    page = run("applications", "--limit", "1", "--actor", "applicant-1", "--role", "applicant")
    assert page["next_after"] == page["applications"][0]["uuid"]
    later = run("applications", "--after", page["next_after"], "--state", "withdrawn",
                "--actor", "applicant-1", "--role", "applicant")["applications"]
    assert [a["uuid"] for a in later] == [withdrawn]

    _data_line(run, tmp_path, monkeypatch)

    cert = run("certificate", number)
    run("change", number, "--amount", "1,234.56", "--note", "top-up", "--actor", "registrar-1")
    run("extend", number, "2027-04-30", "--actor", "registrar-1")
    run("show", number)
    run("show", number, "--xml")
    code = re.search(r"<verification_code>([^<]+)<", cert["xml"]).group(1)
    run("verify", number, "--code", code, expect=1)  # superseded since the change
    run("verify", number)
    run("search")
    run("search", "--party-name", "福建闽江食品", "--page-size", "1")
    run("rank", number)
    run("rank", number, "--compare", rv["number"])
    due = run("due", "--actor", "registrar-1", "--within", "3650")
    assert due["within_days"] == 3650 and due["count"] == len(due["items"])
    # the day it is for: the registry's (Asia/Shanghai) of PLEDGER_NOW
    assert run("due", "--actor", "registrar-1", now="2024-05-03T15:59:59Z")["today"] == \
        "2024-05-03"
    assert run("due", "--actor", "registrar-1", now="2024-05-03T16:00:00Z")["today"] == \
        "2024-05-04"
    run("stats", "--from", "2024-01-01", "--to", "2024-12-31")
    run("object", rv["number"], "--objector", "福建闽江食品有限公司", "--note", "paid",
        "--actor", "pledgor")
    run("record-litigation", rv["number"], "--actor", "registrar-1")
    run("dismiss-objection", rv["number"], "--note", "no claim", "--actor", "registrar-1")
    run("expire", "--actor", "registrar-1", now="2024-05-03T00:00:00Z")
    run("journal-verify", "--actor", "auditor-1")
    key, pub = tmp_path / "k.pem", tmp_path / "k.pub"
    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", str(key)], check=True)
    subprocess.run(["openssl", "pkey", "-in", str(key), "-pubout", "-out", str(pub)], check=True)
    cp = run("checkpoint", "--key", f"office={key}", "--actor", "registrar-1")["checkpoint"]
    run("checkpoint", "--actor", "registrar-1")
    (tmp_path / "cp.txt").write_text(cp)
    run("prove", "1")
    run("prove", "1", "--size", "2")
    run("consistency", str(tmp_path / "cp.txt"), "--trust", f"office={pub}")
    run("verify-log", "--actor", "auditor-1")
    run("verify-log", "--since", str(tmp_path / "cp.txt"), "--trust", f"office={pub}",
        "--actor", "auditor-1")
    # search reports: one recorded as a service would, listed, printed, checked offline
    kr = pledger.Keyring()
    kr.add_pem_file("office", str(key))
    with pledger.open(run.db) as reg:
        reg.set_actor("bank-1", pledger.Role.BANK)
        _, note = reg.issue_report(f"/v1/pledges/{number}", [number], signers=kr,
                                   kind=pledger.ReportKind.VERIFICATION)
    run("reports", "--actor", "auditor-1", "--role", "auditor")
    run("report", "1", "--actor", "auditor-1", "--role", "auditor")
    run("report", "1", "--trust", f"office={pub}", "--actor", "auditor-1", "--role", "auditor")
    assert run("verify-reports", "--trust", f"office={pub}", "--actor", "auditor-1",
               "--role", "auditor")["intact"] is True
    (tmp_path / "report.txt").write_text(note)
    assert run("verify-report", str(tmp_path / "report.txt"), "--trust",
               f"office={pub}")["results"] == [number]
    ec, ec_pub = tmp_path / "ec.pem", tmp_path / "ec.pub"
    subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-out", str(ec)], check=True)
    subprocess.run(["openssl", "pkey", "-in", str(ec), "-pubout", "-out", str(ec_pub)],
                   check=True)
    if pledger.xmlsig_available():
        _signed_documents(run, tmp_path, number, ec, ec_pub, key, pub)
    else:   # a library built without libxmlsec1 says so (PLEDGER_ENOTSUP)
        for args in (("certificate", number, "--signed", "--key", f"cert={ec}", "--key",
                      f"office={key}", "--actor", "registrar-1"),
                     ("verify", number, "--signed", "--key", f"cert={ec}")):
            assert run(*args, expect=5)["name"] == "PLEDGER_ENOTSUP"
        doc = DATA.parent / "fuzz" / "corpus" / "signed"
        for cmd, f in (("verify-certificate", "certificate.xml"),
                       ("verify-statement", "statement.xml")):
            assert run(cmd, str(doc / f), "--trust", f"cert={ec_pub}",
                       expect=5)["name"] == "PLEDGER_ENOTSUP"
    # last: the reference register would make the reviews above find more
    run("register-import", str(DATA / "register-small.xml"), "--actor", "registrar-1",
        now="2024-05-03T00:00:01Z")
    run("cancel", rv["number"], "--modcode", rv["modcode"], "--note", "repaid",
        "--actor", "pledgee", "--role", "applicant", now="2024-05-04T00:00:00Z")
    run("revoke", number, "--ground", "CONTRACT_VOID", "--note", "void",
        "--actor", "registrar-1", now="2024-05-04T00:00:00Z")

    assert cert["version"] == 1  # it was null when --version was not given

    parser = m.build_parser()
    subcommands = next(a for a in parser._actions if hasattr(a, "choices")
                       and isinstance(a.choices, dict)).choices
    assert set(run.outputs) == set(subcommands), set(subcommands) ^ set(run.outputs)

    problems = []
    for cmd, outputs in run.outputs.items():
        allowed = m.NULLABLE.get(cmd, {})
        seen = {p for data in outputs for p, _ in _walk(data, "")}
        for field in allowed:
            assert field in seen, f"{cmd}: NULLABLE names {field!r}, which it never prints"
        for data in outputs:
            for path, v in _walk(data, ""):
                if _empty(v) and path not in allowed:
                    problems.append(f"{cmd} {path} = {v!r}")
    assert not problems, "\n".join(problems)


def test_help_documents_the_nullable_fields() -> None:
    for cmd, fields in m.NULLABLE.items():
        out, err = io.StringIO(), io.StringIO()
        with pytest.raises(SystemExit):
            import contextlib
            with contextlib.redirect_stdout(out):
                m.build_parser().parse_args([cmd, "--help"])
        text = " ".join(out.getvalue().split())
        for field, reason in fields.items():
            assert field in text and " ".join(reason.split()) in text, (cmd, field)
