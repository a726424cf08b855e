"""The journal as a transparency log from Python and the command line:
proofs a bank checks offline, signed checkpoints, and the witness check
that refuses a rewritten history."""
from __future__ import annotations

import base64
import json
import pathlib
import subprocess

import pytest

import pledger
from conftest import Flow, run_cli, sample_path
from pledger import Kind, Role


def keypair(tmp: pathlib.Path, stem: str, alg: str = "ed25519") -> tuple[str, str]:
    key, pub = tmp / f"{stem}.key", tmp / f"{stem}.pub"
    curve = ["-pkeyopt", "ec_paramgen_curve:P-256"] if alg == "EC" else []
    subprocess.run(["openssl", "genpkey", "-algorithm", alg, *curve, "-out", str(key)],
                   check=True, capture_output=True)
    subprocess.run(["openssl", "pkey", "-in", str(key), "-pubout", "-out", str(pub)],
                   check=True, capture_output=True)
    return str(key), str(pub)


def test_every_event_proved_offline(reg: pledger.Registry, flow: Flow) -> None:
    flow.registered(Kind.TRADEMARK)
    flow.registered(Kind.RECEIVABLE)
    size = reg.log_size()
    root = reg.log_root()
    assert size > 5 and len(root) == 32
    for ev in range(1, size + 1):
        p = reg.prove_inclusion(ev)
        assert p.size == size   # asked for the log now: which size that was
        assert reg.prove_inclusion(1, ev).size == ev
        pledger.verify_inclusion(ev, size, reg.log_leaf(ev), p, root)
        parsed = pledger.Proof.from_text(p.text)
        assert parsed.size == 0 and parsed == p   # the text does not say; same hashes
        pledger.verify_inclusion(ev, size, reg.log_leaf(ev), parsed, root)
        with pytest.raises(pledger.CodeMismatch):
            pledger.verify_inclusion(ev, size, reg.log_leaf(ev), p, bytes(32))
        c = reg.prove_consistency(ev)
        assert c.size == size
        pledger.verify_consistency(ev, size, reg.log_root(ev), root, c)
    with pytest.raises(pledger.InvalidArgument):
        reg.prove_inclusion(size + 1)
    with pytest.raises(pledger.InvalidArgument):
        pledger.verify_inclusion(1, 1, b"short", pledger.Proof(()), bytes(32))


def test_checkpoint_sign_open_rotate_and_witness(tmp_path: pathlib.Path, reg: pledger.Registry,
                                                 flow: Flow) -> None:
    key, pub = keypair(tmp_path, "office")
    key2, pub2 = keypair(tmp_path, "office-2027")
    sm2, sm2pub = keypair(tmp_path, "office-sm2", "sm2")
    flow.registered(Kind.TRADEMARK)
    flow.act("registrar-1", Role.REGISTRAR)
    reg.set_log_origin("registry.example.cn/FZ01")
    signers = pledger.Keyring().add_pem_file("registry.example.cn/FZ01", key) \
                               .add_pem_file("registry.example.cn/FZ01-sm2", sm2)
    note = reg.sign_checkpoint(signers)
    assert note.startswith(f"registry.example.cn/FZ01\n{reg.log_size()}\n")
    assert reg.latest_checkpoint() == note
    trusted = pledger.Keyring().add_pem_file("registry.example.cn/FZ01", pub2) \
                               .add_pem_file("registry.example.cn/FZ01", pub)
    cp = pledger.Checkpoint.open(note, trusted)
    assert (cp.origin, cp.size, cp.root) == ("registry.example.cn/FZ01", reg.log_size(),
                                             reg.log_root())
    assert cp.signers == ("registry.example.cn/FZ01",)
    only_sm2 = pledger.Keyring().add_pem_file("registry.example.cn/FZ01-sm2", sm2pub)
    assert pledger.Checkpoint.open(note, only_sm2).signers == ("registry.example.cn/FZ01-sm2",)
    # verifier key text round-trips
    vk = pledger.Keyring().add_vkey(trusted.vkeys[1])
    assert pledger.Checkpoint.open(note, vk).size == cp.size
    flow.registered(Kind.PATENT)
    reg.check_log(cp)
    with pytest.raises(pledger.CodeMismatch):
        pledger.Checkpoint.open(note.replace(f"\n{cp.size}\n", f"\n{cp.size + 1}\n"), trusted)
    with pytest.raises(pledger.CodeMismatch):
        pledger.Checkpoint.open(note, pledger.Keyring().add_pem_file(
            "registry.example.cn/FZ01", pub2))
    flow.act("clerk-1", Role.CLERK)
    with pytest.raises(pledger.PermissionDenied):
        reg.sign_checkpoint(signers)


def _history(db: str, amount: str) -> None:
    clock = [1_711_936_800_000_000]
    with pledger.open(db, office="FZ01") as r:
        r.set_clock(lambda: clock[0])
        f = Flow(r, type("C", (), {"advance": lambda self, d: None})())
        number = f.registered(Kind.TRADEMARK).number
        r.set_actor("registrar-1", Role.REGISTRAR)
        r.change(number, amount=amount)
        f.registered(Kind.PATENT)


def test_rewritten_history_refused(tmp_path: pathlib.Path) -> None:
    key, pub = keypair(tmp_path, "office")
    honest, forged = str(tmp_path / "honest.db"), str(tmp_path / "forged.db")
    _history(honest, "4,500,000.00")
    _history(forged, "999")            # the same steps, an amount rewritten
    with pledger.open(honest) as r:
        r.set_actor("registrar-1", Role.REGISTRAR)
        note = r.sign_checkpoint(pledger.Keyring().add_pem_file("pledger/FZ01", key))
    cp = pledger.Checkpoint.open(note, pledger.Keyring().add_pem_file("pledger/FZ01", pub))
    with pledger.open(forged) as f:
        assert f.log_size() == cp.size
        f.set_actor("auditor-1", Role.AUDITOR)
        assert f.journal_verify().intact           # self-consistent...
        with pytest.raises(pledger.CodeMismatch, match="rewritten"):
            f.check_log(cp)                        # ...but not what the bank saw
    with pledger.open(honest) as r:
        r.check_log(cp)
    # the command line says the same, with exit status 1
    cpfile = tmp_path / "cp.txt"
    cpfile.write_text(note, encoding="utf-8")
    ok = run_cli("consistency", str(cpfile), "--trust", f"pledger/FZ01={pub}", "--db", honest)
    assert ok.status == 0 and ok.out.startswith("consistent:"), ok
    bad = run_cli("consistency", str(cpfile), "--trust", f"pledger/FZ01={pub}", "--db", forged,
                  "--json")
    assert bad.status == 1 and bad.json()["consistent"] is False, bad
    r = run_cli("verify-log", "--since", str(cpfile), "--trust", f"pledger/FZ01={pub}",
                "--db", forged, "--actor", "auditor-1")
    assert r.status == 1 and "journal intact" in r.out and "NOT CONSISTENT" in r.out, r


def test_own_checkpoint_refuses_rewritten_history(tmp_path: pathlib.Path) -> None:
    """The forged file keeps the checkpoint the office signed before the
    rewrite: the office does not sign a fork (nothing kept), and the
    journal checks name the checkpoint the events contradict."""
    import sqlite3
    key, _pub = keypair(tmp_path, "office")
    honest, forged = str(tmp_path / "honest.db"), str(tmp_path / "forged.db")
    _history(honest, "4,500,000.00")
    _history(forged, "999")
    r = run_cli("checkpoint", "--key", f"pledger/FZ01={key}", "--db", honest,
                "--actor", "registrar-1", "--json")
    assert r.status == 0, r
    size = r.json()["size"]
    with sqlite3.connect(forged) as db:
        db.execute("ATTACH ? AS honest", (honest,))
        db.execute("INSERT INTO checkpoint SELECT * FROM honest.checkpoint")
    r = run_cli("checkpoint", "--key", f"pledger/FZ01={key}", "--db", forged,
                "--actor", "registrar-1")
    assert r.status == 5 and f"checkpoint of {size} events" in r.err, r
    with sqlite3.connect(forged) as db:
        assert db.execute("SELECT count(*) FROM checkpoint").fetchone()[0] == 1
    for args in (["journal-verify"], ["journal-verify", "--chain-only"], ["verify-log"]):
        r = run_cli(*args, "--db", forged, "--actor", "auditor-1", "--json")
        assert r.status == 1 and r.json()["intact"] is False, (args, r)
        assert f"checkpoint of {size} events" in r.json()["message"], (args, r)
    with pledger.open(forged) as f:
        f.set_actor("registrar-1", Role.REGISTRAR)
        with pytest.raises(pledger.Corrupt, match="rewritten"):
            f.sign_checkpoint(pledger.Keyring().add_pem_file("pledger/FZ01", key))
    # the honest registry: intact, and signs on
    r = run_cli("journal-verify", "--chain-only", "--db", honest, "--actor", "auditor-1")
    assert r.status == 0, r
    assert run_cli("checkpoint", "--key", f"pledger/FZ01={key}", "--db", honest,
                   "--actor", "registrar-1").status == 0


def test_prove_refuses_an_edited_event(tmp_path: pathlib.Path) -> None:
    """An event row edited, the tree left as it was: prove names the event
    and exits non-zero rather than print a leaf no verifier accepts."""
    import sqlite3
    db = str(tmp_path / "e.db")
    _history(db, "4,500,000.00")
    with sqlite3.connect(db) as h:
        h.execute("DROP TRIGGER journal_no_update")
        h.execute("UPDATE journal SET payload = payload || ' ' WHERE seq = 3")
    r = run_cli("prove", "3", "--db", db)
    assert r.status == 5 and "event 3 " in r.err, r
    assert run_cli("prove", "2", "--db", db).status == 0


def test_cli_checkpoint_and_prove(tmp_path: pathlib.Path) -> None:
    key, pub = keypair(tmp_path, "office")
    db = str(tmp_path / "c.db")
    assert run_cli("init", "--db", db, "--office", "FZ01").status == 0
    uuid = run_cli("apply", str(sample_path(Kind.TRADEMARK)), "--actor", "a", "--db", db).out.strip()
    assert run_cli("review", uuid, "--actor", "a", "--db", db).status == 0
    r = run_cli("checkpoint", "--db", db, "--actor", "r")
    assert r.status == 3 and "no checkpoint" in r.err, r
    r = run_cli("checkpoint", "--key", f"pledger/FZ01={key}", "--db", db, "--actor", "r",
                "--json")
    assert r.status == 0, r
    note = r.json()["checkpoint"]
    assert run_cli("checkpoint", "--db", db, "--actor", "r").out.rstrip("\n") == note.rstrip("\n")
    p = run_cli("prove", "2", "--db", db, "--json")
    assert p.status == 0, p
    d = p.json()
    proof = pledger.Proof(tuple(base64.b64decode(h) for h in d["proof"]))
    pledger.verify_inclusion(2, d["size"], base64.b64decode(d["leaf"]), proof,
                             base64.b64decode(d["root"]))
    assert run_cli("prove", "99", "--db", db).status == 2
    assert run_cli("checkpoint", "--key", "nokeyfile", "--db", db, "--actor", "r").status == 2
    r = run_cli("checkpoint", "--key", "pledger/FZ01=/nonexistent.pem", "--db", db,
                "--actor", "r")
    assert r.status == 3 and "/nonexistent.pem" in r.err, r
    # Chinese
    r = run_cli("consistency", "-", "--trust", f"pledger/FZ01={pub}", "--db", db,
                env={"LANGUAGE": "zh_CN"}, stdin=note)
    assert r.status == 0 and "一致" in r.out, r


def test_signed_certificate_offline(tmp_path: pathlib.Path, reg: pledger.Registry,
                                    flow: Flow) -> None:
    ec, ec_pub = keypair(tmp_path, "cert", "EC")
    ed, ed_pub = keypair(tmp_path, "log")
    number = flow.registered(Kind.PATENT).number
    flow.act("registrar-1", Role.REGISTRAR)
    signers = pledger.Keyring().add_pem_file("office", ec).add_pem_file("log", ed)
    if not pledger.xmlsig_available():   # built without libxmlsec1: it says so
        with pytest.raises(pledger.NotSupported) as ns:
            reg.sign_certificate(number, signers)
        assert "libxmlsec1" in ns.value.message
        assert reg.latest_checkpoint() is None
        return
    assert pledger.Keyring().add_pem_file("office", ec).vkeys == ["office ecdsa-p256"]
    xml = reg.sign_certificate(number, signers)
    trusted = pledger.Keyring().add_pem_file("office", ec_pub).add_pem_file("log", ed_pub)
    c = pledger.verify_certificate(xml, trusted)
    assert (c.number, c.version, c.signer, c.log_size) == (number, 1, "office", reg.log_size())
    assert c.document == reg.certificate(number)
    assert c.checkpoint == reg.latest_checkpoint()
    assert pledger.Checkpoint.open(c.checkpoint, trusted).size == c.log_size
    # the same from bytes; a changed byte, an untrusted key, not a signed certificate
    assert pledger.verify_certificate(xml.encode(), trusted).code == c.code
    with pytest.raises(pledger.CodeMismatch) as e:
        pledger.verify_certificate(xml.replace(c.code, c.code[::-1]), trusted)
    assert "signature" in e.value.message
    other = pledger.Keyring().add_pem_file("office", keypair(tmp_path, "x", "EC")[1]) \
                             .add_pem_file("log", ed_pub)
    with pytest.raises(pledger.CodeMismatch):
        pledger.verify_certificate(xml, other)
    with pytest.raises(pledger.InvalidDocument):
        pledger.verify_certificate("<x/>", trusted)
    # read as UTF-8 only: another declared encoding (the parties' names are
    # Chinese: other characters to a conforming reader) is refused
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    for enc in ("ISO-8859-1", "GB18030"):
        with pytest.raises(pledger.InvalidDocument, match=f"line 1: .*encoding '{enc}'"):
            pledger.verify_certificate(xml.replace('"UTF-8"', f'"{enc}"', 1), trusted)
    with pytest.raises(pledger.WrongType):
        pledger.verify_certificate(xml, "office.pub")  # type: ignore[arg-type]
    # a bank may not sign; a keyring without a certificate key is refused
    flow.act("bank-1", Role.BANK)
    with pytest.raises(pledger.PermissionDenied):
        reg.sign_certificate(number, signers)
    flow.act("registrar-1", Role.REGISTRAR)
    with pytest.raises(pledger.InvalidArgument) as e:
        reg.sign_certificate(number, pledger.Keyring().add_pem_file("log", ed))
    assert "signers" in e.value.message


def test_verification_statement_offline(tmp_path: pathlib.Path, reg: pledger.Registry,
                                        flow: Flow) -> None:
    ec, ec_pub = keypair(tmp_path, "cert", "EC")
    ed, ed_pub = keypair(tmp_path, "log")
    number = flow.registered(Kind.TRADEMARK).number
    flow.act("registrar-1", Role.REGISTRAR)
    reg.sign_checkpoint(pledger.Keyring().add_pem_file("log", ed))
    flow.act("zhao.bank", Role.BANK)
    signers = pledger.Keyring().add_pem_file("office", ec)
    if not pledger.xmlsig_available():   # built without libxmlsec1: it says so
        with pytest.raises(pledger.NotSupported):
            reg.verify_statement(number, signers)
        return
    xml = reg.verify_statement(number, signers)
    trusted = pledger.Keyring().add_pem_file("office", ec_pub).add_pem_file("log", ed_pub)
    s = pledger.verify_statement(xml, trusted)
    assert (s.number, s.actor, s.state, s.code_status, s.rank) == \
        (number, "zhao.bank", "active", "not_given", 1)
    assert s.document == reg.pledge_xml(number)
    assert s.checkpoint == reg.latest_checkpoint()
    with pytest.raises(pledger.CodeMismatch):
        reg.verify_statement(number, signers, code="AAAA-BBBB-CCCC-DDDD")
    with pytest.raises(pledger.CodeMismatch):
        pledger.verify_statement(xml.replace("<rank>1<", "<rank>2<"), trusted)
    with pytest.raises(pledger.InvalidDocument):
        pledger.verify_certificate(xml, trusted)   # a statement is no certificate
    with pytest.raises(pledger.InvalidDocument, match="encoding 'GB18030'"):
        pledger.verify_statement(xml.replace('"UTF-8"', '"GB18030"', 1), trusted)
