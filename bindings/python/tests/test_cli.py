"""The command line, driven with subprocess: every subcommand, its --json
form and its error exits (documented in ``pledger --help``)."""
from __future__ import annotations

import json
import pathlib
import re
import sqlite3
import sys

import pytest

import pledger

from conftest import DATA, HERE, SOURCE_ROOT, run_cli, sample_path
from pledger import Kind

TM = str(sample_path(Kind.TRADEMARK))
RV = str(sample_path(Kind.RECEIVABLE))
LAND = str(sample_path(Kind.LAND))


class Cli:
    """``pledger`` against one database."""

    def __init__(self, db: str) -> None:
        self.db = db

    def __call__(self, *args: str, expect: int = 0, now: str | None = None,
                 stdin: str | None = None):
        env = {"PLEDGER_NOW": now} if now else None
        r = run_cli(*args, "--db", self.db, env=env, stdin=stdin)
        assert r.status == expect, r
        if expect in (0, 1) and "--json" in args:
            r.data = r.json()
        if expect >= 2:
            assert r.out == "" and len(r.err.strip().splitlines()) == 1, r
        return r

    def flow_to_accepted(self, path: str) -> str:
        uuid = self("apply", path, "--actor", "applicant-1").out.strip()
        self("review", uuid, "--actor", "applicant-1")
        self("submit", uuid, "--actor", "applicant-1")
        self("accept", uuid, "--actor", "clerk-1")
        return uuid


@pytest.fixture
def cli(tmp_path: pathlib.Path) -> Cli:
    c = Cli(str(tmp_path / "cli.db"))
    r = c("init", "--office", "FZ01")
    assert r.out.startswith("created ") and "office FZ01" in r.out
    return c


def test_help_documents_exit_codes_and_commands() -> None:
    r = run_cli("--help")
    assert r.status == 0
    for line in ("0  success", "1  the review", "2  usage", "3  not found", "4  refused",
                 "5  database problem"):
        assert line in r.out
    for cmd in ("init", "register-import", "review", "submit", "accept", "request-correction",
                "correct", "register", "refuse", "change", "extend", "cancel", "revoke",
                "object", "verify", "search", "rank", "due", "stats", "certificate",
                "journal-verify", "calendar-load", "apply"):
        assert re.search(rf"^\s+{re.escape(cmd)}\s", r.out, re.M), cmd
        sub = run_cli(cmd, "--help")
        assert sub.status == 0 and "--db" in sub.out and "--json" in sub.out, cmd
    assert "--actor" in run_cli("accept", "--help").out
    assert re.match(r"pledger \d+\.\d+\.\d+", run_cli("--version").out)


def test_db_option_only_where_a_registry_is_read() -> None:
    """Every command lists --db exactly when it opens a registry; one that
    opens none still accepts it (a script passes one --db to every command)
    and reads no file."""
    from pledger.cli import COMMANDS
    none = {c.name for c in COMMANDS.values() if c.access == "none"}
    assert {"check-id", "verify-certificate", "verify-statement", "verify-report"} <= none
    for c in COMMANDS.values():
        out = run_cli(c.name, "--help").out
        usage = out.split("\n\n")[0]
        assert ("--db" in usage) == (c.name not in none), (c.name, usage)
    for extra in ([], ["--db", "/nonexistent/x.db"]):
        r = run_cli("check-id", "uscc", "91350100M000100Y43", *extra)
        assert r.status == 0 and "91350100M000100Y43" in r.out, r


def test_usage_errors_exit_2_on_one_line(cli: Cli) -> None:
    for args in (["frobnicate"], ["accept"], ["search", "--kind", "car"],
                 ["change", "R-1", "--actor", "r"],
                 ["change", "R-1", "--amount", "ten", "--actor", "r"]):
        r = run_cli(*args, "--db", cli.db)
        assert r.status == 2, r
        assert r.out == "" and len(r.err.strip().splitlines()) == 1, r
    r = run_cli("accept", "x", "--db", cli.db)  # no actor
    assert r.status == 2 and "--actor" in r.err
    r = run_cli("search", "--at", "yesterday", "--db", cli.db)
    assert r.status == 2 and "ISO 8601" in r.err


def test_init_json_and_missing_db(tmp_path: pathlib.Path, cli: Cli) -> None:
    r = cli("init", "--json")
    assert r.data == {"db": cli.db, "created": False, "office": "FZ01", "site": "office",
                      "upstream": None}
    r = run_cli("init", "--json", "--db", str(tmp_path / "new.db"))
    assert r.status == 0 and r.json()["created"] is True and r.json()["office"] == "PLEDGER"
    # an existing registry reports the office it has; another --office is
    # refused, the file unchanged (it said "office ZZ99" and changed nothing)
    before = pathlib.Path(cli.db).read_bytes()
    r = run_cli("init", "--db", cli.db, "--office", "ZZ99")
    assert r.status == 2 and not r.out, r
    assert "--office ZZ99" in r.err and "a registry of office FZ01 already" in r.err, r.err
    assert pathlib.Path(cli.db).read_bytes() == before
    assert cli("init", "--office", "FZ01", "--json").data["office"] == "FZ01"
    assert "already a registry" in cli("init").out and "(office FZ01)" in cli("init").out
    # an empty file is made a registry: created, with the office asked
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    r = run_cli("init", "--json", "--db", str(empty), "--office", "SH00")
    assert r.status == 0 and r.json()["created"] is True and r.json()["office"] == "SH00", r
    # office codes as typed: lower case, full-width, spaces around
    r = run_cli("init", "--json", "--db", str(tmp_path / "ap.db"), "--office", " ｓｈ０１",
                "--acceptance-point-of", "bj00")
    assert r.status == 0 and r.json()["office"] == "SH01" and \
        r.json()["upstream"] == "BJ00", r
    # a refused init leaves no registry behind (it was made an office's)
    for bad in ("北京", "BJ 00", "", "x" * 17):
        made = tmp_path / "refused.db"
        r = run_cli("init", "--db", str(made), "--office", "SH02", "--acceptance-point-of", bad)
        assert r.status == 2 and "upstream" in r.err, (bad, r)
        assert not made.exists() and not pathlib.Path(f"{made}-wal").exists(), bad
    missing = str(tmp_path / "nope.db")
    r = run_cli("search", "--db", missing)
    assert r.status == 3 and "nope.db" in r.err and "init" in r.err
    assert not pathlib.Path(missing).exists()
    r = run_cli("search", "--db", missing, "--json")
    err = r.error() if r.status == 3 else None
    assert err and err["name"] == "PLEDGER_ENOTFOUND" and err["status"] == 3


def test_database_problems_exit_5(tmp_path: pathlib.Path) -> None:
    notdb = tmp_path / "notes.db"
    notdb.write_text("hello\n" * 200)
    r = run_cli("search", "--db", str(notdb))
    assert r.status == 5 and len(r.err.strip().splitlines()) == 1
    r = run_cli("search", "--db", str(notdb), "--json")
    assert r.status == 5 and r.error()["kind"] == "NotARegistry"
    newer = tmp_path / "newer.db"
    assert run_cli("init", "--db", str(newer)).status == 0
    con = sqlite3.connect(newer)
    con.execute("PRAGMA user_version = 9999")
    con.commit()
    con.close()
    r = run_cli("stats", "--from", "2024-01-01", "--to", "2024-12-31", "--db", str(newer))
    assert r.status == 5 and "9999" in r.err


def test_application_workflow(cli: Cli) -> None:
    r = cli("apply", TM, "--actor", "applicant-1", "--json")
    assert r.data["kind"] == "trademark" and r.data["state"] == "draft"
    uuid = r.data["uuid"]
    assert len(uuid) == 36
    # stdin works too
    uuid2 = cli("apply", "-", "--actor", "applicant-1",
                stdin=pathlib.Path(LAND).read_text(encoding="utf-8")).out.strip()
    assert len(uuid2) == 36 and uuid2 != uuid

    r = cli("review", uuid, "--actor", "applicant-1", "--json")
    assert r.data["submittable"] is True and r.data["blocking"] is False
    assert set(r.data["counts"]) == {"blocking", "correctable", "risk", "notice"}
    for f in r.data["findings"]:
        assert set(f) == {"code", "severity", "path", "message", "basis"}
    text = cli("review", uuid, "--actor", "applicant-1").out
    assert "it can be submitted" in text

    # wrong state and wrong role: 4
    r = cli("accept", uuid, "--actor", "clerk-1", expect=4)
    assert "accept is allowed only while it is submitted" in r.err
    r = cli("submit", uuid, "--actor", "clerk-1", "--role", "clerk", expect=4)
    assert "clerk-1" in r.err
    r = cli("submit", uuid, "--actor", "x", "--role", "bank", "--json", expect=4)
    assert r.error()["name"] == "PLEDGER_EPERM"
    r = cli("submit", uuid, "--actor", "applicant-1", "--json")
    assert r.data == {"uuid": uuid, "state": "submitted"}
    cli("request-correction", uuid, "--note", "x", "--actor", "clerk-1", expect=4)
    r = cli("accept", uuid, "--actor", "clerk-1", "--json")
    assert r.data == {"uuid": uuid, "acceptance_number": "A-FZ01-TM-2024-000001"}

    # correction round trip
    r = cli("request-correction", uuid, "--note", "the goods list is missing",
            "--actor", "clerk-1", "--json")
    assert r.data["state"] == "correction_requested"
    r = cli("correct", uuid, "--set", "rights/right[1]/goods=罐头；茶", "--actor", "clerk-1",
            "--json")
    assert r.data == {"uuid": uuid, "state": "accepted", "changed": 1}
    cli("correct", uuid, "--set", "nonsense", "--actor", "clerk-1", expect=2)

    r = cli("register", uuid, "--actor", "registrar-1", "--json")
    number = r.data["number"]
    assert number == "R-FZ01-TM-2024-000001" and r.data["modcode"] is None
    assert cli("register", uuid, "--actor", "registrar-1", expect=4).err

    # refuse and withdraw
    u3 = cli.flow_to_accepted(LAND)
    r = cli("refuse", u3, "--ground", "RIGHT_SEIZED", "--note", "court", "--actor",
            "registrar-1", "--json")
    assert r.data["state"] == "refused"
    cli("refuse", u3, "--ground", "X", "--actor", "registrar-1", expect=4)  # refused already
    cli("refuse", u3, "--actor", "registrar-1", expect=2)  # --ground is required
    u4 = cli("apply", LAND, "--actor", "applicant-1").out.strip()
    assert cli("withdraw", u4, "--actor", "applicant-1", "--json").data["state"] == "withdrawn"
    cli("withdraw", u4, "--actor", "applicant-1", expect=4)
    cli("review", "00000000-0000-0000-0000-000000000000", "--actor", "applicant-1", expect=3)


def test_review_blocked_exit_1(cli: Cli, tmp_path: pathlib.Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text(pathlib.Path(TM).read_text(encoding="utf-8").replace(
        "91350100M000100Y43", "91350100M000100Y44", 1), encoding="utf-8")
    uuid = cli("apply", str(bad), "--actor", "applicant-1").out.strip()
    r = cli("review", uuid, "--actor", "applicant-1", expect=1)
    assert "pledgor/id" in r.out and "cannot be submitted" in r.out
    r = cli("review", uuid, "--actor", "applicant-1", "--json", expect=1)
    assert r.data["submittable"] is False
    assert any(f["path"] == "pledgor/id" for f in r.data["findings"])
    r = cli("submit", uuid, "--actor", "applicant-1", expect=1)
    assert r.err.startswith("pledger submit: ")
    broken = tmp_path / "broken.xml"
    broken.write_text("<application")
    r = cli("apply", str(broken), "--actor", "applicant-1", expect=2)
    assert "line 1" in r.err
    cli("apply", str(tmp_path / "absent.xml"), "--actor", "applicant-1", expect=3)


def test_check_a_document_without_saving_it(cli: Cli, tmp_path: pathlib.Path) -> None:
    """`pledger check FILE`: the findings the review would give the
    document once saved, the same as `review` gives the saved one; exit 1
    when they stop its submission; nothing written (the journal keeps its
    size), no actor needed, the registry read-only."""
    bad = tmp_path / "bad.xml"
    bad.write_text(pathlib.Path(TM).read_text(encoding="utf-8").replace(
        "91350100M000100Y43", "91350100M000100Y44", 1), encoding="utf-8")
    def state() -> int:
        with pledger.open(cli.db, read_only=True) as reg:
            return reg.log_size()
    before = state()
    r = cli("check", str(bad), expect=1)
    assert "pledgor/id" in r.out and "cannot be submitted" in r.out
    checked = cli("check", str(bad), "--json", expect=1).data
    assert checked["submittable"] is False and checked["file"] == str(bad)
    assert state() == before, "check wrote to the registry"
    uuid = cli("apply", str(bad), "--actor", "applicant-1").out.strip()
    reviewed = cli("review", uuid, "--actor", "applicant-1", "--json", expect=1).data
    assert [(f["code"], f["path"]) for f in checked["findings"]] == \
        [(f["code"], f["path"]) for f in reviewed["findings"]]
    # a clean document: exit 0; from standard input too
    r = cli("check", TM)
    assert "can be submitted" in r.out
    r = cli("check", "-", stdin=pathlib.Path(TM).read_text(encoding="utf-8"))
    assert "can be submitted" in r.out
    # not a document: the line named, exit 2; no file: exit 3
    broken = tmp_path / "broken.xml"
    broken.write_text("<application")
    assert "line 1" in cli("check", str(broken), expect=2).err
    cli("check", str(tmp_path / "absent.xml"), expect=3)


def test_pledge_life_and_queries(cli: Cli, tmp_path: pathlib.Path) -> None:
    uuid = cli.flow_to_accepted(TM)
    number = cli("register", uuid, "--actor", "registrar-1").out.strip()

    r = cli("show", number, "--json")
    assert r.data["number"] == number and r.data["state"] == "active"
    assert r.data["kind"] == "trademark" and r.data["version"] == 1
    assert "state:" in cli("show", number).out
    assert "<pledge" in cli("show", number, "--xml").out

    cert = cli("certificate", number).out
    code = re.search(r"<verification_code>([^<]+)<", cert).group(1)
    r = cli("certificate", number, "--json")
    assert r.data["number"] == number and "<certificate" in r.data["xml"]
    cli("certificate", "R-NOPE", expect=3)

    r = cli("verify", number, "--code", code, "--json")
    assert r.data["verified"] is True and r.data["code_status"] == "matched"
    assert r.data["rank"] == 1
    assert "VERIFIED" in cli("verify", number, "--code", code).out
    r = cli("verify", number, "--code", "ZZZZ-ZZZZ-ZZZZ-ZZZZ", expect=1)
    assert "NOT VERIFIED" in r.out
    r = cli("verify", number, "--code", "ZZZZ-ZZZZ-ZZZZ-ZZZZ", "--json", expect=1)
    assert r.data["verified"] is False and r.data["code_status"] == "mismatch"
    cli("verify", "R-FZ01-TM-2024-000077", expect=3)

    r = cli("change", number, "--amount", "1,234.56", "--note", "top-up", "--actor",
            "registrar-1", "--json")
    assert (r.data["version"], r.data["amount"]) == (2, 123456)
    cli("change", number, "--actor", "registrar-1", expect=2)  # nothing to change
    # names the review refuses (PARTY_NAME_INVISIBLE), refused naming the field
    r = cli("change", number, "--pledgor-name", "王\u202e芳", "--actor", "registrar-1",
            expect=2)
    assert "--pledgor-name" in r.err and "U+202E" in r.err
    r = cli("change", number, "--pledgee-name", "\u00ad", "--actor", "registrar-1", expect=2)
    assert "--pledgee-name" in r.err and "U+00AD" in r.err
    r = cli("verify", number, "--code", code, "--json", expect=1)  # superseded now
    assert r.data["code_status"] == "superseded" and r.data["verified"] is False
    r = cli("extend", number, "2027-04-30", "--actor", "registrar-1", "--json")
    assert r.data["period_end"] == "2027-04-30" and r.data["version"] == 3
    cli("extend", number, "2027-02-30", "--actor", "registrar-1", expect=2)

    r = cli("search", "--json")
    assert r.data["count"] == 1 and r.data["hits"][0]["number"] == number
    assert r.data["continuation"] is None
    assert number in cli("search", "--kind", "trademark").out
    r = cli("search", "--party-name", "福建闽江食品", "--json")
    assert r.data["hits"][0]["name_match"] == "similar"
    assert "no pledge found" in cli("search", "--state", "cancelled").out
    cli("search", "--page-size", "-3", expect=2)

    r = cli("rank", number, "--json")
    assert r.data == {"number": number, "rank": 1, "at": None, "in_force": True}
    r = cli("rank", number, "--compare", number, "--json")
    assert r.data["compare"] == 0
    cli("rank", "R-NOPE", expect=3)
    # the number as a person types it; what is printed names it as issued
    typed = f" {number.lower()} "
    r = cli("rank", typed, "--json")
    assert r.data == {"number": number, "rank": 1, "at": None, "in_force": True}
    assert cli("rank", typed).out.startswith(f"{number}: rank 1")
    r = cli("rank", typed, "--compare", number.lower(), "--json")
    assert (r.data["number"], r.data["other"], r.data["first"]) == (number, number, number)
    assert cli("verify", typed, "--json").data["number"] == number
    assert cli("certificate", typed, "--json").data["number"] == number
    assert cli("show", typed, "--json").data["number"] == number
    r = cli("verify", typed, "--code", "AAAA-BBBB-CCCC-DDDD", "--json", expect=1)
    assert r.data["number"] == number
    cli("rank", "r-nope", expect=3)

    r = cli("stats", "--from", "2024-01-01", "--to", "2024-12-31", "--json")
    assert (r.data["registrations"], r.data["active"]) == (1, 1)
    assert r.data["amounts"] == [{"currency": "CNY", "registered": r.data["amounts"][0][
        "registered"], "active": 123456}]
    assert "registrations" in cli("stats", "--from", "2024-01-01", "--to", "2024-12-31").out
    cli("stats", "--from", "2024-12-31", "--to", "2024-01-01", expect=2)

    # the due list: registrar (default role), the pledge expiring
    r = cli("due", "--actor", "registrar-1", "--within", "3650", "--json")
    assert any(i["what"] == "expiry" and i["subject"] == number for i in r.data["items"])
    # the text says the day the days left count from (the registry's day of
    # PLEDGER_NOW, 2024-04-01T02:00Z: 10:00 in Asia/Shanghai)
    text = cli("due", "--actor", "registrar-1", "--within", "3650").out
    assert text.startswith("as of 2024-04-01, due within 3650 days or overdue:\n"), text
    assert number in text
    cli("due", "--actor", "bank-1", "--role", "bank", expect=4)

    r = cli("revoke", number, "--ground", "CONTRACT_VOID", "--actor", "registrar-1", "--json")
    assert r.data["state"] == "revoked"
    cli("cancel", number, "--actor", "registrar-1", expect=4)
    r = cli("verify", number, "--json", expect=1)  # not in force
    assert r.data["state"] == "revoked" and r.data["verified"] is False
    assert "not in force" in cli("rank", number).out

    r = cli("journal-verify", "--actor", "auditor-1", "--json")
    assert r.data["intact"] is True and r.data["count"] >= 8
    assert "journal intact" in cli("journal-verify", "--actor", "auditor-1").out
    cli("journal-verify", "--actor", "bank-1", "--role", "bank", expect=4)
    con = sqlite3.connect(cli.db)
    notes = con.execute("SELECT rowid, note FROM pledge_version").fetchall()
    con.execute("UPDATE pledge_version SET note = 'edited underneath'")
    con.commit()
    con.close()
    # the chain alone is intact; the replay check finds the changed row
    r = cli("journal-verify", "--chain-only", "--actor", "auditor-1", "--json")
    assert r.data["intact"] is True and r.data["count"] >= 8
    r = cli("journal-verify", "--actor", "auditor-1", "--json", expect=1)
    assert r.data["intact"] is False
    con = sqlite3.connect(cli.db)
    con.executemany("UPDATE pledge_version SET note = ? WHERE rowid = ?",
                    [(note, rowid) for rowid, note in notes])
    con.commit()
    con.close()
    assert cli("journal-verify", "--actor", "auditor-1", "--json").data["intact"] is True
    con = sqlite3.connect(cli.db)
    con.executescript("DROP TRIGGER journal_no_update;"
                      "UPDATE journal SET actor = 'mallory' WHERE seq = 2;")
    con.close()
    r = cli("journal-verify", "--actor", "auditor-1", expect=1)
    assert "broken at event 2" in r.out
    r = cli("journal-verify", "--actor", "auditor-1", "--json", expect=1)
    assert r.data["bad_seq"] == 2 and r.data["intact"] is False
    r = cli("journal-verify", "--chain-only", "--actor", "auditor-1", "--json", expect=1)
    assert r.data["bad_seq"] == 2


def test_receivable_modcode_object_cancel_expire(cli: Cli) -> None:
    uuid = cli.flow_to_accepted(RV)
    r = cli("register", uuid, "--actor", "registrar-1", "--json")
    number, code = r.data["number"], r.data["modcode"]
    assert len(code) == 19
    text_uuid = cli.flow_to_accepted(RV)
    text = cli("register", text_uuid, "--actor", "registrar-1").out
    assert "modification code:" in text and "shown only this once" in text

    cli("change", number, "--pledgee-name", "深圳前海商业银行", "--actor", "pledgee",
        "--role", "applicant", expect=2)  # the code is required
    cli("change", number, "--pledgee-name", "深圳前海商业银行", "--actor", "pledgee",
        "--role", "applicant", "--modcode", "0000-0000-0000-0000", expect=4)
    r = cli("change", number, "--pledgee-name", "深圳前海商业银行", "--actor", "pledgee",
            "--role", "applicant", "--modcode", code, "--json")
    assert r.data["version"] == 2

    r = cli("object", number, "--objector", "福建闽江食品有限公司", "--note", "paid",
            "--actor", "pledgor", "--json")
    assert r.data["state"] == "under_objection"
    # 31 days later the objection lapses
    r = cli("expire", "--actor", "registrar-1", "--json", now="2024-05-03T00:00:00Z")
    assert r.data == {"steps": 1}
    assert "0 deadlines applied" in cli("expire", "--actor", "registrar-1",
                                        now="2024-05-03T00:00:00Z").out
    # the modification code as a person types it: lower case, no dashes,
    # spaces, full-width -- as the verification code is read
    typed = " " + code.lower().replace("-", " ") + " "
    full = "".join(chr(ord(ch) + 0xFEE0) for ch in code.replace("-", ""))
    r = cli("extend", number, "2026-10-31", "--modcode", typed, "--actor", "pledgee",
            "--role", "applicant", "--json", now="2025-09-23T02:00:00Z")
    assert r.data["period_end"] == "2026-10-31"
    cli("extend", number, "2026-11-30", "--modcode", code[:-1], "--actor", "pledgee",
        "--role", "applicant", now="2025-09-23T03:00:00Z", expect=4)   # still a wrong one
    r = cli("cancel", number, "--modcode", full, "--note", "repaid", "--actor", "pledgee",
            "--role", "applicant", "--json", now="2025-09-24T02:00:00Z")
    assert r.data["state"] == "cancelled"


def test_objection_litigation_and_dismissal(cli: Cli) -> None:
    """The objection's whole course from the command line: it had object
    but neither the litigation nor the dismissal the registrar records
    (C and Python had them), so only a revocation or the lapse ended one."""
    uuid = cli.flow_to_accepted(RV)
    number = cli("register", uuid, "--actor", "registrar-1", "--json").data["number"]
    cli("object", number, "--objector", "福建闽江食品有限公司", "--actor", "pledgor")
    r = cli("record-litigation", number, "--actor", "registrar-1", "--json")
    assert (r.data["state"], r.data["version"]) == ("under_objection", 3)
    r = cli("record-litigation", number, "--actor", "registrar-1", expect=4)
    # the step is the command: not said twice
    assert r.err.startswith("pledger record-litigation: litigation on the objection") and \
        "record_litigation:" not in r.err, r
    # with litigation the objection does not lapse
    assert cli("expire", "--actor", "registrar-1", "--json",
               now="2024-06-01T00:00:00Z").data == {"steps": 0}
    cli("dismiss-objection", number, "--actor", "bank-1", "--role", "bank",
        now="2024-06-01T00:00:01Z", expect=4)
    r = cli("dismiss-objection", number, "--note", "驳回", "--actor", "registrar-1",
            now="2024-06-01T00:00:02Z")
    assert r.out.startswith(f"objection dismissed on {number}: active, version 4"), r
    r = cli("dismiss-objection", number, "--actor", "registrar-1", now="2024-06-01T00:00:03Z",
            expect=4)
    assert "dismiss_objection:" not in r.err and "under_objection" in r.err, r
    r = run_cli("dismiss-objection", number, "--actor", "registrar-1", "--db", cli.db,
                env={"LANGUAGE": "zh_CN", "PLEDGER_NOW": "2024-06-01T00:00:03Z"})
    assert r.status == 4 and "dismiss_objection：" not in r.err and "异议" in r.err, r


def test_more_error_exits(cli: Cli, tmp_path: pathlib.Path) -> None:
    uuid = cli.flow_to_accepted(TM)
    number = cli("register", uuid, "--actor", "registrar-1").out.strip()
    cli("show", "R-FZ01-TM-2024-000099", expect=3)
    cli("show", number, "--at", "2020-01-01T00:00:00Z", expect=3)  # not registered yet
    cli("expire", "--actor", "clerk-1", "--role", "clerk", expect=4)
    r = cli("object", number, "--objector", "someone", "--actor", "pledgor", expect=4)
    assert "receivable pledges only" in r.err
    cli("object", number, "--actor", "pledgor", expect=2)  # --objector is required
    cli("revoke", "R-FZ01-TM-2024-000099", "--ground", "X", "--actor", "registrar-1",
        expect=3)
    cli("correct", uuid, "--set", "pledgor/name=x", "--actor", "clerk-1", expect=4)
    notdb = tmp_path / "text.db"
    notdb.write_text("hello\n" * 100)
    r = run_cli("init", "--db", str(notdb), "--json")
    assert r.status == 5 and r.error()["name"] == "PLEDGER_ENOTDB"
    # a read-only command never writes: the registry file is opened read-only
    before = pathlib.Path(cli.db).read_bytes()
    cli("search")
    cli("verify", number)
    assert pathlib.Path(cli.db).read_bytes() == before


def test_calendar_load(cli: Cli, tmp_path: pathlib.Path) -> None:
    cal = tmp_path / "cal.txt"
    cal.write_text("# 2025\n2025-10-01..2025-10-08 holiday National Day\n"
                   "2025-09-28 workday make-up\n")
    r = cli("calendar-load", str(cal), "--actor", "registrar-1", "--json")
    assert r.data == {"entries": 2}
    assert "loaded 2 calendar entries" in cli("calendar-load", str(cal), "--actor",
                                              "registrar-1").out
    cli("calendar-load", str(cal), "--actor", "clerk-1", "--role", "clerk", expect=4)
    cal.write_text("2025-13-01 holiday\n")
    r = cli("calendar-load", str(cal), "--actor", "registrar-1", expect=2)
    assert "line 1" in r.err
    r = cli("calendar-load", "-", "--actor", "registrar-1", "--json",
            stdin="2026-01-01 holiday New Year\n")
    assert r.data == {"entries": 1}


def test_register_import(cli: Cli, tmp_path: pathlib.Path) -> None:
    small = str(DATA / "register-small.xml")
    r = cli("register-import", small, "--actor", "registrar-1", "--json")
    assert r.data["inserted"] > 10 and r.data["rejected"] == 0
    assert len(r.data["sha256"]) == 64 and r.err == ""  # no progress bar: not a terminal
    r = cli("register-import", small, "--actor", "registrar-1")
    assert re.search(r"unchanged:\s+\d", r.out) and re.search(r"inserted:\s+0\b", r.out)
    r = cli("register-import", str(DATA / "register-bad.xml"), "--actor", "registrar-1",
            "--json")
    assert r.data["rejected"] >= 5
    assert all(x["line"] > 0 and x["message"] for x in r.data["rejections"])
    text = cli("register-import", str(DATA / "register-bad.xml"), "--actor",
               "registrar-1").out
    assert "REJECTED BECAUSE" in text

    # a larger file with the progress bar forced on standard error
    gen = SOURCE_ROOT / "tests" / "gen-register.py"
    big = tmp_path / "big.xml"
    import subprocess
    subprocess.run([sys.executable, str(gen), "5000", str(big), "--first", "30000000"],
                   check=True)
    r = cli("register-import", str(big), "--progress", "always", "--actor", "registrar-1")
    assert "100.0%" in r.err and "5,000 records" in r.err and r.err.endswith("\n")
    assert re.search(r"inserted:\s+5,000", r.out)

    truncated = tmp_path / "truncated.xml"
    truncated.write_bytes(big.read_bytes()[:20000])
    r = cli("register-import", str(truncated), "--actor", "registrar-1", expect=2)
    assert "line" in r.err
    cli("register-import", str(tmp_path / "none.xml"), "--actor", "registrar-1", expect=3)
    cli("register-import", small, "--actor", "clerk-1", "--role", "clerk", expect=4)


def test_progress_bar_when_stderr_is_a_terminal(cli: Cli, tmp_path: pathlib.Path) -> None:
    import os
    import pty
    import subprocess
    big = tmp_path / "tty.xml"
    subprocess.run([sys.executable, str(SOURCE_ROOT / "tests" / "gen-register.py"), "3000",
                    str(big), "--first", "50000000"], check=True)
    master, slave = pty.openpty()
    env = dict(os.environ, PLEDGER_NOW="2024-04-01T02:00:00Z")
    p = subprocess.run([sys.executable, "-m", "pledger", "register-import", str(big),
                        "--db", cli.db, "--actor", "registrar-1"],
                       stdout=subprocess.PIPE, stderr=slave, env=env, timeout=120)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert p.returncode == 0
    assert b"\r[" in seen and b"100.0%" in seen and b"3,000 records" in seen
    assert b"inserted:  3,000" in p.stdout


def test_check_id() -> None:
    r = run_cli("check-id", "patent", "ZL 2013 1069 9744.2")
    assert r.status == 0 and r.out.strip() == "201310699744.2"
    wide = "９１３５０１００Ｍ０００１００Ｙ４３"  # full-width, as typed on some keyboards
    r = run_cli("check-id", "uscc", wide, "--json")
    assert r.json() == {"type": "uscc", "text": wide, "normalized": "91350100M000100Y43",
                        "valid": True}
    r = run_cli("check-id", "uscc", "91350100M000100Y44")
    assert r.status == 2 and "check character" in r.err


def test_environment_defaults(cli: Cli) -> None:
    uuid = run_cli("apply", TM, env={"PLEDGER_DB": cli.db, "PLEDGER_ACTOR": "applicant-9",
                                     "PLEDGER_ROLE": "applicant"})
    assert uuid.status == 0
    r = run_cli("review", uuid.out.strip(), "--json",
                env={"PLEDGER_DB": cli.db, "PLEDGER_ACTOR": "applicant-9"})
    assert r.status == 0
    r = run_cli("submit", uuid.out.strip(), env={"PLEDGER_DB": cli.db,
                                                 "PLEDGER_NOW": "not-a-time",
                                                 "PLEDGER_ACTOR": "a"})
    assert r.status == 2 and "PLEDGER_NOW" in r.err


def test_installed_script_runs_the_same_main() -> None:
    import subprocess
    p = subprocess.run([sys.executable, str(HERE.parent / "pledger-script.py"), "--version"],
                       capture_output=True, text=True)
    assert p.returncode == 0 and p.stdout.startswith("pledger ")


def test_in_process_run_returns_status(tmp_path: pathlib.Path) -> None:
    import io
    from pledger import cli as m
    out, err = io.StringIO(), io.StringIO()
    assert m.run(["init", "--db", str(tmp_path / "x.db"), "--json"], out, err) == 0
    assert json.loads(out.getvalue())["created"] is True
    assert m.run(["search", "--db", str(tmp_path / "y.db")], out, err) == 3
    assert m.table(["a", "name"], [(1, "福建")]) == "A  NAME\n1  福建"
