"""The journal as a transparency log (``log.h``): keyrings, proofs,
signed checkpoints, and the offline checks a bank runs with the office's
public key alone.

    kr = pledger.Keyring()
    kr.add_pem_file("registry.example.cn/FZ01", "office.pub")
    cp = pledger.Checkpoint.open(note_text, kr)      # signature checked
    reg.check_log(cp)                                # later: the log extends it

Events are numbered from 1 (the journal's sequence numbers); a log's size
is its number of events.  Hashes are 32-byte ``bytes``.
"""
from __future__ import annotations

import dataclasses
import os
from typing import Any

from . import _ffi
from ._ffi import ffi, lib
from .errors import check

HASH_SIZE = 32


def _hash_arg(h: bytes, what: str) -> Any:
    if not isinstance(h, (bytes, bytearray)):
        raise _ffi._invalid(f"{what} must be bytes, not {type(h).__name__}", True)
    if len(h) != HASH_SIZE:
        raise _ffi._invalid(f"{what} must be {HASH_SIZE} bytes, not {len(h)}")
    return ffi.new("unsigned char[]", bytes(h))


class Keyring:
    """Keys that sign checkpoints (PEM private keys) or that a reader
    trusts (public keys; several at once, so a key can be rotated)."""

    __slots__ = ("_p",)

    def __init__(self) -> None:
        pp = ffi.new("pledger_keyring **")
        check(lib.pledger_keyring_new(pp))
        self._p = _ffi.gc(pp[0], lib.pledger_keyring_free)

    def add_pem_file(self, name: str, path: str | os.PathLike[str]) -> "Keyring":
        """Add the key in PEM file ``path`` under ``name`` (e.g.
        "registry.example.cn/FZ01"): Ed25519 or SM2 for checkpoints, ECDSA
        P-256 or RSA (2048 bits or more) for certificates.  Returns the
        keyring."""
        check(lib.pledger_keyring_add_pem_file(self._p, _ffi.cstr(name, "name"),
                                               _ffi.cpath(os.fspath(path))))
        return self

    def add_pem(self, name: str, pem: str | bytes) -> "Keyring":
        """Add a key from PEM text."""
        data = _ffi.data(pem, "pem", text=True)
        buf = ffi.new("char[]", bytes(data))
        check(lib.pledger_keyring_add_pem(self._p, _ffi.cstr(name, "name"), buf, len(data)))
        return self

    def add_vkey(self, vkey: str) -> "Keyring":
        """Add an Ed25519 verifier key "name+8hex+base64" (Go's note format)."""
        check(lib.pledger_keyring_add_vkey(self._p, _ffi.cstr(vkey, "vkey")))
        return self

    def __len__(self) -> int:
        return int(lib.pledger_keyring_count(self._p))

    @property
    def vkeys(self) -> list[str]:
        """Each key's text: a checkpoint key's verifier key text
        ("name+id+base64", to hand to readers), then each certificate
        key's name and type ("office ecdsa-p256")."""
        return [_ffi.string(lib.pledger_keyring_vkey(self._p, i)) or "" for i in range(len(self))]


@dataclasses.dataclass(frozen=True)
class Proof:
    """An inclusion or consistency proof: its hashes, leaf side first, and
    ``size``, the size of the log it is for (the log's size then when it
    was asked for the log now; 0 when read from text, which does not say).
    Proofs compare by their hashes."""
    hashes: tuple[bytes, ...]
    size: int = dataclasses.field(default=0, compare=False)

    @property
    def text(self) -> str:
        """One base64 hash a line, as :meth:`from_text` reads it."""
        import base64
        return "".join(base64.b64encode(h).decode() + "\n" for h in self.hashes)

    @classmethod
    def from_text(cls, text: str) -> "Proof":
        pp = ffi.new("pledger_proof **")
        check(lib.pledger_proof_parse(pp, _ffi.cstr(text, "text")))
        return _proof(pp[0])

    def _c(self) -> Any:
        pp = ffi.new("pledger_proof **")
        check(lib.pledger_proof_parse(pp, _ffi.cstr(self.text, "proof")))
        return ffi.gc(pp[0], lib.pledger_proof_free)


def _proof(p: Any) -> Proof:
    try:
        n = int(lib.pledger_proof_count(p))
        return Proof(tuple(bytes(ffi.buffer(lib.pledger_proof_hash(p, i), HASH_SIZE))
                           for i in range(n)), int(lib.pledger_proof_tree_size(p)))
    finally:
        lib.pledger_proof_free(p)


def verify_inclusion(event: int, size: int, leaf: bytes, proof: Proof, root: bytes) -> None:
    """Check offline that ``proof`` shows ``leaf`` is event ``event`` of
    the log of ``size`` events with ``root``; raises
    :class:`pledger.CodeMismatch` when it does not."""
    check(lib.pledger_log_verify_inclusion(_ffi.cint(event, "event", "int64_t", 0),
                                           _ffi.cint(size, "size", "int64_t", 0),
                                           _hash_arg(leaf, "leaf"), proof._c(),
                                           _hash_arg(root, "root")))


def verify_consistency(old_size: int, size: int, old_root: bytes, root: bytes,
                       proof: Proof) -> None:
    """Check offline that the log of ``old_size`` events with
    ``old_root`` is a prefix of the log of ``size`` events with ``root``;
    raises :class:`pledger.CodeMismatch` when it is not."""
    check(lib.pledger_log_verify_consistency(_ffi.cint(old_size, "old_size", "int64_t", 0),
                                             _ffi.cint(size, "size", "int64_t", 0),
                                             _hash_arg(old_root, "old_root"),
                                             _hash_arg(root, "root"), proof._c()))


@dataclasses.dataclass(frozen=True)
class Checkpoint:
    """A signed checkpoint whose signature was checked."""
    origin: str
    size: int
    root: bytes
    signers: tuple[str, ...]   #: the trusted keys that signed it
    note: str                  #: the signed note itself
    _handle: Any = dataclasses.field(default=None, repr=False, compare=False)

    @classmethod
    def open(cls, note: str, trusted: Keyring) -> "Checkpoint":
        """Read ``note`` and check it was signed by a key of ``trusted``;
        raises :class:`pledger.CodeMismatch` (no trusted signature, or a
        failing one) or :class:`pledger.InvalidArgument` (not a
        checkpoint)."""
        if not isinstance(trusted, Keyring):
            raise _ffi._invalid("trusted must be a pledger.Keyring", True)
        data = _ffi.data(note, "note", text=True)
        buf = ffi.new("char[]", data)
        pp = ffi.new("pledger_checkpoint **")
        check(lib.pledger_checkpoint_open(pp, buf, len(data), trusted._p))
        c = ffi.gc(pp[0], lib.pledger_checkpoint_free)
        return cls(origin=_ffi.string(lib.pledger_checkpoint_origin(c)) or "",
                   size=int(lib.pledger_checkpoint_size(c)),
                   root=bytes(ffi.buffer(lib.pledger_checkpoint_root(c), HASH_SIZE)),
                   signers=tuple(_ffi.string(lib.pledger_checkpoint_signer(c, i)) or ""
                                 for i in range(int(lib.pledger_checkpoint_signer_count(c)))),
                   note=data.decode("utf-8"), _handle=c)


@dataclasses.dataclass(frozen=True)
class CertificateCheck:
    """What checking a signed certificate established (every check held).
    The certificate is genuine for its version; whether it is still the
    current one is a question for the registry (``Registry.verify`` with
    its code)."""
    signer: str          #: the trusted certificate key that signed it
    number: str          #: the registration number
    version: int         #: the certificate's version
    code: str            #: the verification code printed on it
    document: str        #: the certificate (root ``certificate``) as the log holds it
    event: int           #: the journal event that issued it
    log_size: int        #: the log it is proved in
    origin: str          #: the log's origin
    checkpoint: str      #: the signed checkpoint it carries (keep it for later checks)


def _document(xml: str | bytes, trusted: Keyring) -> tuple[Any, int]:
    """The arguments of an offline check: the document as a C buffer and
    its length, after the types are checked."""
    if not isinstance(trusted, Keyring):
        raise _ffi._invalid("trusted must be a pledger.Keyring", True)
    data = _ffi.data(xml, "xml", text=True)
    return ffi.new("char[]", bytes(data)), len(data)


def xmlsig_available() -> bool:
    """Whether the loaded libpledger can sign and check XML signatures."""
    return bool(lib.pledger_xmlsig_available())


def verify_certificate(xml: str | bytes, trusted: Keyring) -> CertificateCheck:
    """Check a signed certificate with public keys alone (no registry):
    the XML signature (a certificate key of ``trusted``), the checkpoint's
    signature (a checkpoint key of ``trusted``), the inclusion proof, and
    that the logged event issued this certificate.  Raises
    :class:`pledger.CodeMismatch` naming the check that failed,
    :class:`pledger.InvalidDocument` for what is not a signed certificate,
    :class:`pledger.NotSupported` without libxmlsec1."""
    buf, n = _document(xml, trusted)
    pp = ffi.new("pledger_certificate_check **")
    check(lib.pledger_certificate_verify(pp, buf, n, trusted._p))
    c = ffi.gc(pp[0], lib.pledger_certificate_check_free)
    s = _ffi.string
    return CertificateCheck(
        signer=s(lib.pledger_certificate_check_signer(c)) or "",
        number=s(lib.pledger_certificate_check_number(c)) or "",
        version=int(lib.pledger_certificate_check_version(c)),
        code=s(lib.pledger_certificate_check_code(c)) or "",
        document=s(lib.pledger_certificate_check_document(c)) or "",
        event=int(lib.pledger_certificate_check_event(c)),
        log_size=int(lib.pledger_certificate_check_log_size(c)),
        origin=s(lib.pledger_certificate_check_origin(c)) or "",
        checkpoint=s(lib.pledger_certificate_check_checkpoint(c)) or "")


@dataclasses.dataclass(frozen=True)
class StatementCheck:
    """What checking a verification statement established (every check
    held): what the registry answered, to whom and when."""
    signer: str          #: the trusted certificate key that signed it
    number: str          #: the registration number asked about
    state: str           #: the pledge's state then ("active", "cancelled", ...)
    as_of: str           #: the instant answered for (ISO 8601, UTC)
    answered_at: str     #: when it was answered (ISO 8601, UTC)
    actor: str           #: to whom
    code_status: str     #: "not_given", "matched" or "superseded"
    rank: int            #: the rank then (0: not in force)
    document: str        #: the pledge document (root ``pledge``)
    event: int           #: the event that made that version
    log_size: int        #: the log it is proved in
    checkpoint: str      #: the signed checkpoint it carries


def verify_statement(xml: str | bytes, trusted: Keyring) -> StatementCheck:
    """Check a verification statement with public keys alone: the XML
    signature, the checkpoint's signature and the event's inclusion.
    Raises :class:`pledger.CodeMismatch` naming the check that failed,
    :class:`pledger.InvalidDocument` for what is not a statement."""
    buf, n = _document(xml, trusted)
    pp = ffi.new("pledger_statement_check **")
    check(lib.pledger_statement_verify(pp, buf, n, trusted._p))
    c = ffi.gc(pp[0], lib.pledger_statement_check_free)
    s = _ffi.string
    return StatementCheck(
        signer=s(lib.pledger_statement_check_signer(c)) or "",
        number=s(lib.pledger_statement_check_number(c)) or "",
        state=s(lib.pledger_statement_check_state(c)) or "",
        as_of=s(lib.pledger_statement_check_as_of(c)) or "",
        answered_at=s(lib.pledger_statement_check_answered_at(c)) or "",
        actor=s(lib.pledger_statement_check_actor(c)) or "",
        code_status=s(lib.pledger_statement_check_code_status(c)) or "",
        rank=int(lib.pledger_statement_check_rank(c)),
        document=s(lib.pledger_statement_check_document(c)) or "",
        event=int(lib.pledger_statement_check_event(c)),
        log_size=int(lib.pledger_statement_check_log_size(c)),
        checkpoint=s(lib.pledger_statement_check_checkpoint(c)) or "")


__all__ = ["StatementCheck", "verify_statement", "Keyring", "Proof", "Checkpoint", "verify_inclusion", "verify_consistency",
           "HASH_SIZE", "CertificateCheck", "verify_certificate", "xmlsig_available"]
