"""Search reports through Python and the command line: issued, read back
with the public key alone, listed by party for the auditor, a bank's own
only; a changed byte is not genuine."""
from __future__ import annotations

import json
import pathlib
import subprocess

import pytest

import pledger
from pledger import Kind, ReportKind, Role
from conftest import Flow, run_cli


@pytest.fixture
def keys(tmp_path: pathlib.Path) -> tuple[pledger.Keyring, pledger.Keyring, pathlib.Path]:
    key, pub = tmp_path / "reports.key", tmp_path / "reports.pub"
    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", str(key)], check=True)
    subprocess.run(["openssl", "pkey", "-in", str(key), "-pubout", "-out", str(pub)], check=True)
    signer, trusted = pledger.Keyring(), pledger.Keyring()
    signer.add_pem_file("FZ01-reports", str(key))
    trusted.add_pem_file("FZ01-reports", str(pub))
    return signer, trusted, pub


def test_issue_open_list(reg: pledger.Registry, flow: Flow, keys, db_path: str,
                         tmp_path: pathlib.Path) -> None:
    signer, trusted, pub = keys
    r1 = flow.registered(Kind.TRADEMARK)
    flow.act("bank-1", Role.BANK)
    pledgor = reg.verify(r1.number).pledgor_id     # masked for a bank? an organisation: not
    n, note = reg.issue_report(f"/v1/pledges/{r1.number}", [r1.number], signers=signer,
                               kind=ReportKind.VERIFICATION)
    assert n == 1
    rep = pledger.Report.open(note, trusted)
    assert (rep.number, rep.actor, rep.role, rep.kind) == (1, "bank-1", Role.BANK,
                                                          ReportKind.VERIFICATION)
    assert rep.results == (r1.number,) and rep.log_root == reg.log_root(rep.log_size)
    n2, _ = reg.issue_report("party_name=nobody", [], signers=signer, parties=["nobody"])
    assert n2 == 2
    # a service records for its accounts; a bank does not record for another
    with pytest.raises(pledger.PermissionDenied):
        reg.issue_report("q", signers=signer, actor="bank-2", role=Role.BANK)
    flow.act("pledgerd", Role.REGISTRAR)
    n3, _ = reg.issue_report("q", signers=signer, actor="bank-2", role=Role.BANK)
    assert n3 == 3
    # the auditor finds the verification under the pledgor it never typed
    flow.act("auditor-1", Role.AUDITOR)
    about = reg.reports(party=pledgor)
    assert [(e.number, e.actor, e.kind) for e in about] == [(1, "bank-1",
                                                            ReportKind.VERIFICATION)]
    assert [e.number for e in reg.reports(party="nobody")] == [2]
    assert [e.number for e in reg.reports(actor="bank-2")] == [3]
    assert [e.number for e in reg.reports(after=1, limit=1)] == [2]
    assert reg.report(1) == note
    # a bank: its own only
    flow.act("bank-1", Role.BANK)
    assert {e.actor for e in reg.reports()} == {"bank-1"}
    with pytest.raises(pledger.PermissionDenied):
        reg.report(3)
    with pytest.raises(pledger.PermissionDenied):
        reg.reports(actor="bank-2")
    # bad arguments are named
    with pytest.raises(pledger.InvalidArgument, match="limit"):
        reg.reports(limit=0)
    with pytest.raises(pledger.InvalidArgument, match=r"requests\[0\]\.query"):
        reg.issue_report("two\nlines", signers=signer)
    with pytest.raises(pledger.WrongType):
        reg.issue_report("q", "R-1", signers=signer)     # numbers is a sequence, not a str
    with pytest.raises(pledger.InvalidArgument, match="log_size"):
        reg.issue_report("q", signers=signer, log_size=10**6)
    flow.act("registrar-1", Role.REGISTRAR)
    checkpoint = reg.sign_checkpoint(signer)    # the same key: never read as a report
    with pytest.raises(pledger.InvalidArgument, match="line 1"):
        pledger.Report.open(checkpoint, trusted)

    # the command line: the auditor's list, a report checked with the key alone
    env = ["--db", db_path, "--actor", "auditor-1", "--role", "auditor"]
    r = run_cli("reports", "--party", pledgor, "--json", *env)
    assert r.status == 0, r
    assert [x["number"] for x in json.loads(r.out)["reports"]] == [1]
    r = run_cli("reports", *env)
    assert r.status == 0 and "bank-2" in r.out and "verification" in r.out
    r = run_cli("report", "1", "--trust", f"FZ01-reports={pub}", "--json", *env)
    assert r.status == 0 and json.loads(r.out)["results"] == [r1.number]
    f = tmp_path / "kept.txt"
    f.write_text(note)
    r = run_cli("verify-report", str(f), "--trust", f"FZ01-reports={pub}")
    assert r.status == 0 and "genuine" in r.out and r1.number in r.out
    f.write_text(note.replace("bank-1", "bank-7"))
    r = run_cli("verify-report", str(f), "--trust", f"FZ01-reports={pub}")
    assert r.status == 1 and "NOT GENUINE" in r.out
    r = run_cli("reports", "--db", db_path, "--actor", "clerk-1", "--role", "clerk")
    assert r.status == 4 and "search report" in r.err
    r = run_cli("reports", "--limit", "0", *env)
    assert r.status == 2 and "--limit" in r.err


def test_a_tampered_report_row_is_corrupt(reg: pledger.Registry, flow: Flow, keys,
                                          db_path: str) -> None:
    """A report whose role or kind in the reports' file is none pledger
    writes (the file edited with its checks ignored) is PLEDGER_ECORRUPT
    naming the report; the auditor's list gave it role and kind None."""
    import sqlite3
    signer, _trusted, _pub = keys
    flow.act("bank-1", Role.BANK)
    for q in ("a", "b"):
        reg.issue_report(q, [], signers=signer)
    flow.act("auditor-1", Role.AUDITOR)
    assert [e.number for e in reg.reports()] == [1, 2]
    for column, value in (("role", "martian"), ("kind", "x")):
        c = sqlite3.connect(db_path + ".reports")
        c.executescript("PRAGMA ignore_check_constraints = 1;"
                        "DROP TRIGGER IF EXISTS search_report_no_update;"
                        f"UPDATE search_report SET {column} = '{value}' WHERE number = 2;")
        c.close()
        with pytest.raises(pledger.Corrupt, match=f"search report 2: .*'{value}'"):
            reg.reports()
        c = sqlite3.connect(db_path + ".reports")
        c.execute(f"UPDATE search_report SET {column} = ? WHERE number = 2",
                  ("bank" if column == "role" else "search",))
        c.commit()
        c.close()
        assert [e.number for e in reg.reports()] == [1, 2]


def test_an_instant_no_year_holds_is_corrupt(reg: pledger.Registry, flow: Flow, keys,
                                             db_path: str) -> None:
    """A report issued at an instant outside the years 1 to 9999 (the
    reports' file edited outside pledger): the command line said
    "internal error: OverflowError"; it is the registry's damage, named."""
    import sqlite3
    signer, _trusted, _pub = keys
    flow.act("bank-1", Role.BANK)
    reg.issue_report("a", [], signers=signer)
    c = sqlite3.connect(db_path + ".reports")
    c.executescript("DROP TRIGGER IF EXISTS search_report_no_update;"
                    "UPDATE search_report SET issued_at = -9223372036854775808;")
    c.close()
    with pytest.raises(pledger.Corrupt, match="outside the years 1 to 9999"):
        pledger.types.from_us(-(2**63))
    r = run_cli("reports", "--db", db_path, "--actor", "auditor-1", "--role", "auditor")
    assert r.status == 5 and "outside the years 1 to 9999" in r.err, r
    assert "internal error" not in r.err and "Traceback" not in r.err


def test_report_verify(reg: pledger.Registry, flow: Flow, keys, db_path: str) -> None:
    """The auditor's check of the reports' file, in Python and on the
    command line: intact with and without the key; an edited "asked by"
    (row and text alike, so only the tree shows it) and a deleted party
    key are each named by report; exit status 1, the JSON says which."""
    import sqlite3
    signer, trusted, pub = keys
    r1 = flow.registered(Kind.TRADEMARK)
    flow.act("bank-1", Role.BANK)
    reg.issue_report("party_id=91440300MA5DXXXX1K", [r1.number], signers=signer,
                     parties=["91440300MA5DXXXX1K"])
    n, note = reg.issue_report("party_name=Nobody Ltd", [], signers=signer,
                               parties=["Nobody Ltd"])
    assert pledger.Report.open(note, trusted).parties == ("nobody",)
    flow.act("auditor-1", Role.AUDITOR)
    assert reg.report_verify(trusted) == pledger.ReportsCheck(True, None, 2, "")
    assert reg.report_verify().intact
    env = ["--db", db_path, "--actor", "auditor-1", "--role", "auditor"]
    r = run_cli("verify-reports", "--trust", f"FZ01-reports={pub}", "--json", *env)
    assert r.status == 0, r
    assert json.loads(r.out) == {"intact": True, "count": 2, "bad_number": None, "message": "",
                                 "signatures_checked": True}
    r = run_cli("verify-reports", *env)
    assert r.status == 0 and "2 reports verified" in r.out and "--trust" in r.out, r
    # a bank may not
    r = run_cli("verify-reports", "--db", db_path, "--actor", "bank-1", "--role", "bank")
    assert r.status == 4, r

    c = sqlite3.connect(db_path + ".reports")
    c.executescript("DROP TRIGGER search_report_no_update;"
                    "UPDATE search_report SET actor = 'bank-9', "
                    "note = replace(note, 'by bank-1 bank', 'by bank-9 bank') WHERE number = 1;")
    c.close()
    check = reg.report_verify(trusted)
    assert (check.intact, check.bad_number, check.count) == (False, 1, 0)
    assert "another subtree" in check.message
    r = run_cli("verify-reports", "--json", *env)
    assert r.status == 1, r
    assert json.loads(r.out)["bad_number"] == 1
    r = run_cli("verify-reports", "--lang", "zh_CN", *env)
    assert r.status == 1 and "查询报告 1" in r.out, r

    c = sqlite3.connect(db_path + ".reports")
    c.executescript("UPDATE search_report SET actor = 'bank-1', "
                    "note = replace(note, 'by bank-9 bank', 'by bank-1 bank') WHERE number = 1;"
                    "DELETE FROM report_key_recent WHERE number = 2 AND what = 1;")
    c.close()
    check = reg.report_verify(trusted)
    assert (check.bad_number, check.count) == (2, 1)
    assert "other parties" in check.message
    with pytest.raises(pledger.WrongType):
        reg.report_verify("key")    # type: ignore[arg-type]


def test_a_refused_verification_is_found_under_the_registration_asked(
        reg: pledger.Registry, flow: Flow, keys) -> None:
    """A wrong code guessed for a registration names nothing in its answer;
    the registration asked about (``asked``) puts it under the pledgor for
    the auditor, and the report says it."""
    signer, trusted, _pub = keys
    r1 = flow.registered(Kind.TRADEMARK)
    pledgor = reg.verify(r1.number).pledgor_id
    flow.act("bank-1", Role.BANK)
    n, note = reg.issue_report(f"/v1/pledges/{r1.number}?code=*", [], signers=signer,
                               kind=ReportKind.VERIFICATION, asked=[r1.number])
    rep = pledger.Report.open(note, trusted)
    assert rep.results == () and rep.asked == (r1.number,)
    flow.act("auditor-1", Role.AUDITOR)
    assert [e.number for e in reg.reports(party=pledgor)] == [n]
    assert reg.report_verify(trusted).intact
    with pytest.raises(pledger.InvalidArgument, match=r"asked\[0\]"):
        reg.issue_report("q", signers=signer, asked=["R-" + "1" * 96])
    # the number as the bank typed it is kept as the register writes it:
    # lower case, full width and spaces find the pledgor all the same
    flow.act("bank-1", Role.BANK)
    typed = [r1.number.lower(), " " + r1.number + " ",
             "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in r1.number)]
    numbers = []
    for t in typed:
        n2, note2 = reg.issue_report(f"/v1/pledges/{t}?code=*", [], signers=signer,
                                     kind=ReportKind.VERIFICATION, asked=[t])
        assert pledger.Report.open(note2, trusted).asked == (r1.number,), t
        numbers.append(n2)
    flow.act("auditor-1", Role.AUDITOR)
    assert [e.number for e in reg.reports(party=pledgor)] == [n, *numbers]
    assert reg.report_verify(trusted).intact
    with pytest.raises(pledger.WrongType):
        reg.issue_report("q", signers=signer, asked="R-1")
