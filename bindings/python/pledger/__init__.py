"""pledger: a registry of pledges over trademarks, patents, receivables,
equity, emission rights, sea-area and land rights — Python bindings of
libpledger.

Quick tour::

    import pledger
    from pledger import Kind, Role

    with pledger.open("pledger.db", office="FZ01") as reg:
        app = pledger.Application.from_file("app-trademark.xml")
        reg.set_actor("applicant-1", Role.APPLICANT)
        uuid = reg.save(app)
        review = reg.review(uuid)              # every deficiency at once
        for f in review:
            print(f.severity.api_name, f.code, f.path, f.message)
        reg.submit(uuid)                       # pledger.ReviewBlocked if it may not
        reg.set_actor("clerk-1", Role.CLERK)
        acceptance = reg.accept(uuid)
        reg.set_actor("registrar-1", Role.REGISTRAR)
        number = reg.register(uuid).number
        print(reg.pledge(number).state.api_name)   # "active"
        print(reg.certificate(number))             # the certificate, XML

What is here:

- :func:`open` / :class:`Registry`: a registry database, a context
  manager; the workflow (save, review, submit, accept,
  request_correction, correct, register, refuse, withdraw), the later
  life of a pledge (change, extend, cancel, revoke, object, ...), reading
  pledges at any instant, certificates, the reference register import
  with a progress callback, the working-day calendar, the journal check,
  and what banks ask: :meth:`Registry.verify` (with a certificate's
  code), :meth:`Registry.search` (an iterator over the library's cursor),
  :meth:`Registry.rank`, :meth:`Registry.compare`, :meth:`Registry.due`
  and :meth:`Registry.stats`, now or at any past instant.
- :class:`Application`: an application document, read and written by
  field paths such as ``app["pledgor/name"]``.
- :func:`normalize_id` / :func:`is_valid_id`: check an identifier (USCC,
  resident number, patent number, ...) and get its normal form.
- :func:`parse_money` / :func:`format_money`: an amount as typed
  ("3,000,000.00", "300万元", "3.5亿") to minor units, and back.
- :func:`set_language`: the language of messages ("zh_CN", "en"), in
  the library and the bindings alike.
- Enumerations as :class:`enum.IntEnum` (:class:`Kind`, :class:`Role`,
  :class:`AppState`, :class:`PledgeState`, :class:`Severity`,
  :class:`IdType`, ...), each member with its ``api_name``.
- Answers as frozen dataclasses (:class:`Finding`, :class:`Review`,
  :class:`Pledge`, :class:`Registration`, :class:`ImportReport`,
  :class:`JournalCheck`, :class:`ReportsCheck`, :class:`Verification`, :class:`SearchHit`,
  :class:`Certificate`,
  :class:`DueItem`, :class:`Stats`, ...).  Instants are UTC datetimes, dates
  :class:`datetime.date`, amounts ``int`` minor units (fen).  A date given
  for an instant is the first instant of that day in the registry's
  calendar, as the command line and the service read it.
- Errors: every failing call raises a subclass of :class:`Error`
  (:class:`NotFound`, :class:`WrongState`, :class:`Conflict`,
  :class:`PermissionDenied`, :class:`ReadOnly`, :class:`Busy`,
  :class:`Corrupt`, :class:`InvalidDocument`, ...) carrying ``code`` and
  the library's ``message``; so does every argument the bindings refuse
  before calling it (an int beyond its C type: :class:`InvalidArgument`;
  a value of the wrong type: :class:`WrongType`, also a TypeError).

C handles are freed when their Python objects are collected (``ffi.gc``)
or at once with ``close()`` / ``with``.  The library is loaded in cffi's
ABI mode: ``$PLEDGER_LIBRARY`` if set, else ``libpledger.so.0``; the
declarations are generated from the C headers at build time
(``$PLEDGER_CDEF`` overrides where they are read from).

``pledger.ffi`` and ``pledger.lib`` are the raw cffi objects: every C
function and constant of the headers, for what the classes above do not
cover yet.

The command line is ``python3 -m pledger --help`` (also installed as
``pledger``).
"""
from __future__ import annotations

from ._ffi import ffi, lib
from ._ffi import ffi as _ffi_ffi, lib as _lib
from .application import Application
from .enums import ALL as _ENUMS
from .enums import ApiEnum, AppState, ErrorCode, IdType, Kind, PledgeState, Role, Severity
from .errors import (Busy, Cancelled, CodeMismatch, Conflict, Corrupt, Error, InvalidArgument,
                     InvalidDocument, IOFailure, NotARegistry, NotFound, OutOfMemory,
                     PermissionDenied, ReadOnly, ReviewBlocked, TooNew, WrongState,
                     WrongType, NotSupported, error_class)
from .ident import is_valid_id, normalize_id
from .money import format_money, parse_money
from ._i18n import set_language
from .log import (CertificateCheck, Checkpoint, Keyring, Proof, StatementCheck,
                  verify_certificate, verify_consistency, verify_inclusion, verify_statement,
                  xmlsig_available)
from .query import AS_OF_CURRENT, Cursor
from .registry import ProgressFn, Registry, open
from .remote import RemoteCursor, RemoteRegistry, connect
from .report import Report, ReportEntry
from .types import (ApplicationEntry, CurrencyAmounts, DateLike, DueItem, DueList, ExchangeLine,
                    Filed, Finding, ImportReport, Instant, JournalCheck, Pledge, Registration,
                    Rejection, ReportsCheck, Review, RightRank, SearchHit, Stats, Verification,
                    Certificate)

globals().update(_ENUMS)


def version() -> str:
    """The version of the loaded libpledger, "MAJOR.MINOR.MICRO"."""
    return _ffi_ffi.string(_lib.pledger_version()).decode("ascii")


def strerror(code: int) -> str:
    """The library's name and explanation of a result code."""
    from ._ffi import cint
    return _ffi_ffi.string(_lib.pledger_strerror(cint(code, "code"))).decode("utf-8")


__version__ = version()

__all__ = [
    "open", "connect", "Registry", "RemoteRegistry", "RemoteCursor", "Application", "version", "strerror", "ProgressFn", "ffi", "lib",
    "Instant", "DateLike",
    "Error", "InvalidArgument", "NotFound", "WrongState", "Conflict", "PermissionDenied",
    "ReadOnly", "Busy", "IOFailure", "Corrupt", "NotARegistry", "TooNew", "InvalidDocument",
    "OutOfMemory", "ReviewBlocked", "CodeMismatch", "Cancelled", "NotSupported", "WrongType", "error_class",
    "ApiEnum", "Kind", "Role", "AppState", "PledgeState", "Severity", "IdType", "ErrorCode",
    "ApplicationEntry", "Finding", "Review", "Registration", "Pledge", "Rejection", "ImportReport",
    "JournalCheck", "ReportsCheck", "Verification", "RightRank", "SearchHit", "Certificate", "Cursor", "DueItem",
    "DueList", "Stats",
    "CurrencyAmounts", "AS_OF_CURRENT", "normalize_id", "is_valid_id", "parse_money",
    "format_money", "set_language", "Keyring", "Proof", "Checkpoint", "verify_inclusion",
    "CertificateCheck", "verify_certificate", "xmlsig_available", "StatementCheck",
    "verify_statement",
    "verify_consistency", "Report", "ReportEntry",
]
__all__ += sorted(n for n in _ENUMS if n not in __all__)
