"""Search reports: the numbered, signed record of an answer given to a bank
(``<pledger/report.h>``).  A bank keeps the note -- the report's text and
its proof in the registry's log of reports, up to a signed checkpoint --
and checks it with the registry's public key alone (:meth:`Report.open`);
the auditor lists who asked about a party
(:meth:`pledger.Registry.reports`)."""
from __future__ import annotations

import dataclasses
from typing import Any

from . import _ffi
from ._ffi import ffi, lib
from .enums import ReportKind, Role
from .errors import check
from .log import HASH_SIZE, Keyring


@dataclasses.dataclass(frozen=True)
class Report:
    """A search report whose proof and checkpoint signature were checked."""
    origin: str                 #: the log origin of the registry that issued it
    number: int                 #: its number (1, 2, 3 … per registry)
    issued_at: int              #: when, microseconds since 1970 (UTC)
    actor: str                  #: to whom
    role: Any                   #: in what role (:class:`pledger.Role`)
    kind: Any                   #: :class:`pledger.ReportKind`: SEARCH or VERIFICATION
    query: str                  #: the question, one line
    log_size: int               #: the log size the answer was read at
    log_root: bytes             #: the log's root at that size
    results: tuple[str, ...]    #: the registration numbers the answer named
    parties: tuple[str, ...]    #: the parties the question was about, by their name keys
    asked: tuple[str, ...]      #: the registration numbers the question was about
    signers: tuple[str, ...]    #: the trusted keys that signed its checkpoint
    note: str                   #: the report as handed out: text and proof

    @classmethod
    def open(cls, note: str | bytes, trusted: Keyring) -> "Report":
        """Read ``note`` and check its proof holds for its text up to a
        checkpoint of the reports' log signed by a key of ``trusted``;
        raises :class:`pledger.CodeMismatch` (no trusted signature, a
        failing one, a proof that does not hold) or
        :class:`pledger.InvalidArgument` (not a report, naming the line)."""
        if not isinstance(trusted, Keyring):
            raise _ffi._invalid("trusted must be a pledger.Keyring", True)
        data = _ffi.data(note, "note", text=True)
        buf = ffi.new("char[]", bytes(data))
        pp = ffi.new("pledger_report **")
        check(lib.pledger_report_open(pp, buf, len(data), trusted._p))
        r = ffi.gc(pp[0], lib.pledger_report_free)
        return cls(
            origin=_ffi.string(lib.pledger_report_origin(r)) or "",
            number=int(lib.pledger_report_number(r)),
            issued_at=int(lib.pledger_report_issued_at(r)),
            actor=_ffi.string(lib.pledger_report_actor(r)) or "",
            role=Role(int(lib.pledger_report_role(r))),
            kind=ReportKind(int(lib.pledger_report_kind_of(r))),
            query=_ffi.string(lib.pledger_report_query(r)) or "",
            log_size=int(lib.pledger_report_log_size(r)),
            log_root=bytes(ffi.buffer(lib.pledger_report_log_root(r), HASH_SIZE)),
            results=tuple(_ffi.string(lib.pledger_report_result(r, i)) or ""
                          for i in range(int(lib.pledger_report_result_count(r)))),
            parties=tuple(_ffi.string(lib.pledger_report_party(r, i)) or ""
                          for i in range(int(lib.pledger_report_party_count(r)))),
            asked=tuple(_ffi.string(lib.pledger_report_asked(r, i)) or ""
                        for i in range(int(lib.pledger_report_asked_count(r)))),
            signers=tuple(_ffi.string(lib.pledger_report_signer(r, i)) or ""
                          for i in range(int(lib.pledger_report_signer_count(r)))),
            note=bytes(data).decode("utf-8"))


@dataclasses.dataclass(frozen=True)
class ReportEntry:
    """One report in a list (:meth:`pledger.Registry.reports`), without its note."""
    number: int
    issued_at: int       #: microseconds since 1970 (UTC)
    actor: str
    role: Any            #: :class:`pledger.Role`
    kind: Any            #: :class:`pledger.ReportKind`
    query: str
    result_count: int    #: how many registrations the answer named
    log_size: int

    @classmethod
    def from_list(cls, lst: Any) -> list["ReportEntry"]:
        return [cls(number=int(lib.pledger_report_list_number(lst, i)),
                     issued_at=int(lib.pledger_report_list_issued_at(lst, i)),
                     actor=_ffi.string(lib.pledger_report_list_actor(lst, i)) or "",
                     role=Role(int(lib.pledger_report_list_role(lst, i))),
                     kind=ReportKind(int(lib.pledger_report_list_kind(lst, i))),
                     query=_ffi.string(lib.pledger_report_list_query(lst, i)) or "",
                     result_count=int(lib.pledger_report_list_result_count(lst, i)),
                     log_size=int(lib.pledger_report_list_log_size(lst, i)))
                for i in range(int(lib.pledger_report_list_count(lst)))]
