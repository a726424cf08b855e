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
