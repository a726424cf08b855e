"""The data line through Python: an acceptance point and its office as two
registry files, batches and receipts passed as bytes."""
from __future__ import annotations

import pathlib
import subprocess

import pytest

import pledger
from pledger import AppState, Kind, Role, Site
from conftest import Clock, sample

pytestmark = pytest.mark.skipif(not pledger.xmlsig_available(),
                                reason="this libpledger was built without libxmlsec1")


def keypair(tmp: pathlib.Path, stem: str) -> tuple[str, str]:
    key, pub = tmp / f"{stem}.key", tmp / f"{stem}.pub"
    subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-out", str(key)], check=True)
    subprocess.run(["openssl", "pkey", "-in", str(key), "-pubout", "-out", str(pub)],
                   check=True)
    return str(key), str(pub)


def ring(name: str, pem: str) -> pledger.Keyring:
    kr = pledger.Keyring()
    kr.add_pem_file(name, pem)
    return kr


def test_two_sites(tmp_path: pathlib.Path) -> None:
    ap_key, ap_pub = keypair(tmp_path, "fz01")
    of_key, of_pub = keypair(tmp_path, "bj00")
    clock = Clock()
    with pledger.open(str(tmp_path / "ap.db"), office="FZ01") as ap, \
            pledger.open(str(tmp_path / "of.db"), office="BJ00") as of:
        ap.set_clock(clock)
        of.set_clock(clock)
        ap.set_actor("registrar-fz", Role.REGISTRAR)
        ap.set_site("acceptance_point", "BJ00")
        assert ap.site == Site.ACCEPTANCE_POINT and ap.upstream == "BJ00"
        assert of.site == Site.OFFICE and of.upstream is None
        ap.set_actor("applicant-1", Role.APPLICANT)
        with sample(Kind.TRADEMARK) as app:
            uuid = ap.save(app)
        assert not ap.review(uuid).stops_submission
        ap.submit(uuid)
        ap.set_actor("clerk-fz", Role.CLERK)
        ap.accept(uuid)
        batch = ap.exchange_export("BJ00", ring("FZ01", ap_key))
        assert batch.startswith(b"<?xml") and ap.exchange_export("BJ00", ring("FZ01", ap_key)) \
            == batch
        of.set_actor("registrar-bj", Role.REGISTRAR)
        receipt = of.exchange_import(batch, ring("FZ01", ap_pub), ring("BJ00", of_key))
        assert receipt is not None
        assert of.exchange_import(batch, ring("FZ01", ap_pub), ring("BJ00", of_key)) == receipt
        assert ap.exchange_import(receipt, ring("BJ00", of_pub)) is None
        number = of.register(uuid).number
        results = of.exchange_export("FZ01", ring("BJ00", of_key))
        back = ap.exchange_import(results, ring("BJ00", of_pub), ring("FZ01", ap_key))
        assert back is not None
        of.exchange_import(back, ring("FZ01", ap_pub))
        app2 = ap.load(uuid)
        assert app2.state == AppState.REGISTERED and app2.registration_number == number
        assert ap.application_certificate(uuid) == of.application_certificate(uuid)
        (line,) = ap.exchange_status()
        assert (line.peer, line.last_sent, line.last_acked, line.last_received,
                line.pending) == ("BJ00", 1, 1, 1, 0)
        with pytest.raises(pledger.NotFound):
            ap.exchange_export("BJ00", ring("FZ01", ap_key))
        ap.set_actor("registrar-fz", Role.REGISTRAR)
        with pytest.raises(pledger.PermissionDenied, match="acceptance point"):
            ap.register(uuid)
        with pytest.raises(pledger.CodeMismatch):
            of.set_actor("registrar-bj", Role.REGISTRAR)
            of.exchange_import(batch.replace(b"A-FZ01", b"A-FZ02", 1), ring("FZ01", ap_pub),
                               ring("BJ00", of_key))
        with pytest.raises(pledger.PermissionDenied, match="unknown sender"):
            of.exchange_import(batch, ring("SH00", ap_pub), ring("BJ00", of_key))
        # the peer tool reads what both sites sign, and refuses a changed byte
        for name, doc, pub in (("batch", batch, ap_pub), ("receipt", receipt, of_pub),
                               ("results", results, of_pub)):
            f = tmp_path / f"{name}.xml"
            f.write_bytes(doc)
            subprocess.run(["xmlsec1", "--verify", "--pubkey-pem", pub, str(f)], check=True,
                           capture_output=True)
        f = tmp_path / "forged.xml"
        f.write_bytes(batch.replace(b"A-FZ01", b"A-FZ02", 1))
        assert subprocess.run(["xmlsec1", "--verify", "--pubkey-pem", ap_pub, str(f)],
                              capture_output=True).returncode != 0
        with pytest.raises(pledger.WrongType):
            of.exchange_import(42, ring("FZ01", ap_pub))  # type: ignore[arg-type]


def test_a_batch_waiting_under_a_replaced_key_is_signed_anew(tmp_path: pathlib.Path) -> None:
    """The point's key replaced before the receipt came: the batch waiting
    goes again signed with the new key -- xmlsec1 verifies it with the new
    public key, not the old -- and the office takes it as the same batch."""
    old_key, old_pub = keypair(tmp_path, "old")
    new_key, new_pub = keypair(tmp_path, "new")
    of_key, _ = keypair(tmp_path, "bj00")
    clock = Clock()
    with pledger.open(str(tmp_path / "ap.db"), office="FZ01") as ap, \
            pledger.open(str(tmp_path / "of.db"), office="BJ00") as of:
        ap.set_clock(clock)
        of.set_clock(clock)
        ap.set_actor("registrar-fz", Role.REGISTRAR)
        ap.set_site("acceptance_point", "BJ00")
        ap.set_actor("applicant-1", Role.APPLICANT)
        with sample(Kind.TRADEMARK) as app:
            uuid = ap.save(app)
        ap.review(uuid)
        ap.submit(uuid)
        ap.set_actor("clerk-fz", Role.CLERK)
        ap.accept(uuid)
        first = ap.exchange_export("BJ00", ring("FZ01", old_key))
        again = ap.exchange_export("BJ00", ring("FZ01", new_key))
        assert again != first
        for doc, pub, ok in ((again, new_pub, True), (again, old_pub, False),
                             (first, old_pub, True)):
            f = tmp_path / "batch.xml"
            f.write_bytes(doc)
            r = subprocess.run(["xmlsec1", "--verify", "--pubkey-pem", pub, str(f)],
                               capture_output=True)
            assert (r.returncode == 0) == ok, r.stderr
        of.set_actor("registrar-bj", Role.REGISTRAR)
        receipt = of.exchange_import(again, ring("FZ01", new_pub), ring("BJ00", of_key))
        assert of.exchange_import(first, ring("FZ01", old_pub), ring("BJ00", of_key)) == receipt
        assert of.load(uuid).state == AppState.ACCEPTED


def test_a_batch_declaring_another_encoding_is_refused(tmp_path: pathlib.Path) -> None:
    """Bytes are read as UTF-8 whatever the XML declaration says; a signed
    batch or receipt whose declaration was changed to another encoding
    would be other characters (by="林书记") to a conforming reader, and the
    peer tool refuses its signature: pledger refuses it too, naming the
    declaration and its line, and nothing is stored.  "utf-8" in any case
    is UTF-8."""
    ap_key, ap_pub = keypair(tmp_path, "fz01")
    of_key, of_pub = keypair(tmp_path, "bj00")
    clock = Clock()
    with pledger.open(str(tmp_path / "ap.db"), office="FZ01") as ap, \
            pledger.open(str(tmp_path / "of.db"), office="BJ00") as of:
        ap.set_clock(clock)
        of.set_clock(clock)
        ap.set_actor("registrar-fz", Role.REGISTRAR)
        ap.set_site("acceptance_point", "BJ00")
        ap.set_actor("applicant-1", Role.APPLICANT)
        with sample(Kind.TRADEMARK) as app:
            uuid = ap.save(app)
        ap.review(uuid)
        ap.submit(uuid)
        ap.set_actor("林书记", Role.CLERK)
        ap.accept(uuid)
        batch = ap.exchange_export("BJ00", ring("FZ01", ap_key))
        assert b'by="\xe6\x9e\x97' in batch
        head = b'<?xml version="1.0" encoding="UTF-8"?>'
        assert batch.startswith(head)
        of.set_actor("registrar-bj", Role.REGISTRAR)
        for enc in (b"ISO-8859-1", b"GB18030", b"US-ASCII"):
            bad = batch.replace(b'encoding="UTF-8"', b'encoding="' + enc + b'"', 1)
            f = tmp_path / "bad.xml"
            f.write_bytes(bad)
            r = subprocess.run(["xmlsec1", "--verify", "--pubkey-pem", ap_pub, str(f)],
                               capture_output=True)
            assert r.returncode != 0, r.stderr
            with pytest.raises(pledger.InvalidDocument,
                               match=f"line 1: the XML declaration names encoding "
                                     f"'{enc.decode()}'"):
                of.exchange_import(bad, ring("FZ01", ap_pub), ring("BJ00", of_key))
            assert not of.exchange_status()
        lower = batch.replace(b'encoding="UTF-8"', b"encoding='utf-8'", 1)
        receipt = of.exchange_import(lower, ring("FZ01", ap_pub), ring("BJ00", of_key))
        assert of.load(uuid).state == AppState.ACCEPTED
        bad = receipt.replace(b'encoding="UTF-8"', b'encoding="GB18030"', 1)
        assert bad != receipt
        with pytest.raises(pledger.InvalidDocument, match="encoding 'GB18030'"):
            ap.exchange_import(bad, ring("BJ00", of_pub))
        assert ap.exchange_import(receipt, ring("BJ00", of_pub)) is None
