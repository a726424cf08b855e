"""The registry (``pledger_registry``): opening it, the workflow of
applications, the later life of pledges, the reference register, the
calendar and the journal."""
from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import os
import threading
from typing import Any, Callable, Iterator, Sequence

from . import _ffi
from ._ffi import ffi, lib
from .application import Application, app_states
from .enums import ALL as _ENUMS
from .enums import Kind, PledgeState, Role, Severity, Site
from .errors import InvalidArgument, ReviewBlocked, check, make_error
from .log import Checkpoint, Keyring, Proof, _proof
from .query import AS_OF_CURRENT, Cursor, pledge_of
from .report import ReportEntry
from .types import (ApplicationEntry, Certificate, CurrencyAmounts, DateLike, DueItem, DueList,
                    ExchangeLine, Filed, Finding, ImportReport, Instant, JournalCheck, Pledge,
                    Registration, Rejection, ReportsCheck, Review, RightRank, Stats,
                    Verification, date_str, from_us, to_date, to_us)

#: progress(records, bytes_read, total_bytes): return False to cancel
ProgressFn = Callable[[int, int, int], Any]



def _review_of(rv: Any) -> Review:
    """The findings of a ``pledger_review *`` (owned by the caller)."""
    out = []
    for i in range(lib.pledger_review_count(rv)):
        out.append(Finding(
            code=_ffi.string(lib.pledger_review_code(rv, i)) or "",
            severity=Severity(lib.pledger_review_severity(rv, i)),
            path=_ffi.string(lib.pledger_review_path(rv, i)) or "",
            message=_ffi.string(lib.pledger_review_message(rv, i)) or "",
            basis=_ffi.string(lib.pledger_review_basis(rv, i)) or ""))
    return Review(tuple(out))

def open(path: str | os.PathLike[str], *, read_only: bool = False, create: bool = True,
         timeout: float = 5.0, office: str | None = None) -> "Registry":
    """Open the registry stored at ``path`` (``":memory:"`` for a private
    in-memory one).

    :param read_only: a read-only connection; every write raises
        :class:`pledger.ReadOnly`.  The file must exist.
    :param create: create the file and its schema when it is missing
        (else :class:`pledger.NotFound`); ignored with ``read_only``.
    :param timeout: seconds to wait for another writer.
    :param office: the office code this handle acts for (1-16 of A-Z,
        0-9, '-'); None for the registry's default.
    :raises NotARegistry: the file is not a pledger registry.
    :raises TooNew: the registry was written by a newer pledger.

    The result is a context manager::

        with pledger.open("pledger.db") as reg:
            ...
    """
    return Registry(path, read_only=read_only, create=create, timeout=timeout, office=office)



#: the library's bounds (query.h): a page of hits, a list of applications
#: or reports (page_size, limit), a due list's horizon in days
#: (within_days); a value past them is refused stating them, the same for
#: a huge value as for a small one (a huge one stated the C type's range)
LIST_MAX = 10000
WITHIN_DAYS_MAX = 3650

class Registry:
    """An open registry.  It may be shared by threads: its calls take
    turns (one lock a registry, held for the whole call, so each call's
    error message is its own); threads that should read and write side by
    side open a registry each.

    Every call that changes the registry checks the actor set with
    :meth:`set_actor` and its role (docs/design.md §3); failures raise the
    :class:`pledger.Error` subclass of the library's code, with its
    message.  Closed by :meth:`close`, by leaving a ``with`` block, or
    when collected.
    """

    __slots__ = ("_p", "_clock_cb", "_lock", "path", "__weakref__")

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False,
                 create: bool = True, timeout: float = 5.0,
                 office: str | None = None) -> None:
        self._lock = threading.RLock()
        self._p: Any = None
        self._clock_cb: Any = None
        c_path = _ffi.cpath(path)    # refused by type, NUL or surrogate before anything
        self.path = os.fspath(path)
        opts = ffi.new("pledger_open_options *")
        opts.version = lib.PLEDGER_OPEN_OPTIONS_VERSION
        opts.read_only = 1 if read_only else 0
        opts.create = 1 if create else 0
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
            raise _ffi._invalid(f"timeout must be a number of seconds, not "
                                f"{type(timeout).__name__}", True)
        if not timeout >= 0:  # NaN too
            raise InvalidArgument(int(lib.PLEDGER_EINVAL), "timeout must be >= 0 seconds")
        # a wait longer than a C int of milliseconds (24 days) is "for ever"
        opts.busy_timeout_ms = int(round(min(timeout * 1000, 2**31 - 1)))
        office_c = _ffi.cstr(office, "office")
        opts.office_code = office_c
        pp = ffi.new("pledger_registry **")
        check(lib.pledger_open(pp, c_path, opts))
        self._p = _ffi.gc(pp[0], lib.pledger_close)

    # ---- the handle -------------------------------------------------------------

    @property
    def _h(self) -> Any:
        if self._p is None:
            raise InvalidArgument(int(lib.PLEDGER_EINVAL), "the registry is closed")
        return self._p

    def _check(self, rc: int, fields: dict[str, str] | None = None) -> None:
        """Raise the exception of @rc, its message in the caller's words
        (@fields: the C fields a call's arguments name otherwise)."""
        if rc != 0:
            raise make_error(rc, self._p, fields)

    def close(self) -> None:
        """Close the registry now (it is closed anyway when collected)."""
        if self._p is not None:
            ffi.release(self._p)
            self._p = None
            self._clock_cb = None

    @property
    def closed(self) -> bool:
        return self._p is None

    def __enter__(self) -> "Registry":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._p is None else f"office {self.office}"
        return f"<pledger.Registry {self.path!r} {state}>"

    @property
    def errmsg(self) -> str:
        """The message of the last failed call on this handle ("" after a success)."""
        return _ffi.string(lib.pledger_errmsg(self._h)) or ""

    @property
    def office(self) -> str:
        """The office code this handle acts for."""
        return _ffi.string(lib.pledger_office_code(self._h)) or ""

    @property
    def actor(self) -> str | None:
        """The actor set with :meth:`set_actor`, or None."""
        return _ffi.string(lib.pledger_actor(self._h))

    def set_actor(self, name: str, role: Role | int | str) -> None:
        """Say who performs the following calls, in which role (a
        :class:`Role` or its API name); the name is journaled."""
        self._check(lib.pledger_set_actor(self._h, _ffi.cstr(name, "name"),
                                          Role.c_value(role, "role")))

    def set_number_template(self, template: str) -> None:
        """Set the template of acceptance and registration numbers, e.g.
        ``"{series}-{office}-{kind}-{year}-{seq:6}"`` (the default;
        ``{series}``, ``{year}`` and ``{seq:N}`` are required).  Role:
        registrar; journaled."""
        self._check(lib.pledger_set_number_template(self._h, _ffi.cstr(template, "template")))

    @property
    def time_zone(self) -> str:
        """The office's time zone, an IANA name ("Asia/Shanghai" unless
        :meth:`set_time_zone` chose another): the zone in which people
        are shown instants (the command line shows them to the minute)."""
        return _ffi.string(lib.pledger_time_zone(self._h)) or ""

    def set_time_zone(self, tz: str) -> None:
        """Set the office's time zone (an IANA name such as
        "Asia/Shanghai"; it must be in the system's zone database).  Role:
        registrar; journaled.  The registry's calendar dates keep following
        its UTC offset."""
        self._check(lib.pledger_set_time_zone(self._h, _ffi.cstr(tz, "tz")))

    @contextlib.contextmanager
    def snapshot(self) -> Iterator["Registry"]:
        """Read from one state of the registry: inside ``with
        reg.snapshot():`` every read on this handle (verifications,
        searches, ranks, certificates, ``log_size()``, search reports)
        answers from the registry as it was when the block began, whatever
        other handles or processes change meanwhile.  A change on this
        handle inside the block raises :class:`pledger.WrongState`
        (``PLEDGER_ESTATE``).  The block holds the registry's turn, as a
        call does: another thread's calls on this registry wait for its
        end rather than read inside it.  Keep the block short."""
        with self._lock:
            self._check(lib.pledger_read_begin(self._h))
            try:
                yield self
            finally:
                if self._p is not None:    # closed inside the block: nothing to end
                    lib.pledger_read_end(self._p)

    # ---- the journal as a transparency log (log.h) -------------------------------

    def log_size(self) -> int:
        """The number of events in the log (the journal)."""
        out = ffi.new("uint64_t *")
        self._check(lib.pledger_log_size(self._h, out))
        return int(out[0])

    def log_root(self, size: int | None = None) -> bytes:
        """The root hash of the log when it had ``size`` events (default:
        now)."""
        n = self.log_size() if size is None else size
        out = ffi.new("unsigned char[32]")
        self._check(lib.pledger_log_root(self._h, _ffi.cint(n, "size", "int64_t", minimum=0), out))
        return bytes(out)

    def log_leaf(self, event: int) -> bytes:
        """The leaf hash of event ``event`` (1-based); ``pledger.Corrupt``
        when the event as stored is not the tree's leaf for it."""
        out = ffi.new("unsigned char[32]")
        self._check(lib.pledger_log_leaf(self._h, _ffi.cint(event, "event", "int64_t", minimum=0), out))
        return bytes(out)

    def prove_inclusion(self, event: int, size: int = 0) -> Proof:
        """The proof that event ``event`` is in the log of ``size`` events
        (0: now)."""
        pp = ffi.new("pledger_proof **")
        self._check(lib.pledger_log_prove_inclusion(pp, self._h,
                                                    _ffi.cint(event, "event", "int64_t", minimum=0),
                                                    _ffi.cint(size, "size", "int64_t", minimum=0)))
        return _proof(pp[0])

    def prove_consistency(self, old_size: int, size: int = 0) -> Proof:
        """The proof that the log of ``old_size`` events is a prefix of the
        log of ``size`` events (0: now)."""
        pp = ffi.new("pledger_proof **")
        self._check(lib.pledger_log_prove_consistency(
            pp, self._h, _ffi.cint(old_size, "old_size", "int64_t", minimum=0),
            _ffi.cint(size, "size", "int64_t", minimum=0)))
        return _proof(pp[0])

    @property
    def log_origin(self) -> str:
        """The first line of the log's checkpoints."""
        return _ffi.string(lib.pledger_log_origin(self._h)) or ""

    def set_log_origin(self, origin: str) -> None:
        """Name the log (e.g. "registry.example.cn/FZ01").  Role:
        registrar; journaled."""
        self._check(lib.pledger_set_log_origin(self._h, _ffi.cstr(origin, "origin")))

    def sign_checkpoint(self, signers: Keyring) -> str:
        """Sign a checkpoint of the log as it is now with every key of
        ``signers`` (private keys), keep it, and return the signed note.
        Role: registrar.  Refused (``pledger.Corrupt``), nothing kept, when
        a checkpoint the registry signed before contradicts the log (its
        history was rewritten): a log never signs a fork."""
        if not isinstance(signers, Keyring):
            raise _ffi._invalid("signers must be a pledger.Keyring", True)
        pp = ffi.new("char **")
        self._check(lib.pledger_checkpoint_sign(pp, self._h, signers._p))
        return _ffi.take_string(pp) or ""

    def sign_certificate(self, number: str, signers: Keyring, version: int = 0) -> str:
        """The certificate of ``version`` (0: the latest) of pledge
        ``number``, signed for reading without the registry: an XML
        Signature with the certificate key of ``signers`` (ECDSA P-256 or
        RSA), the issuing event's inclusion proof and a checkpoint (the
        latest stored one when it covers the event, else a new one signed
        with the checkpoint key of ``signers``).  Role: registrar."""
        if not isinstance(signers, Keyring):
            raise _ffi._invalid("signers must be a pledger.Keyring", True)
        pp = ffi.new("char **")
        self._check(lib.pledger_certificate_sign(pp, ffi.NULL, self._h,
                                                 _ffi.cstr(number, "number"),
                                                 _ffi.cint(version, "version", "int", 0),
                                                 signers._p))
        return _ffi.take_string(pp) or ""

    # ---- sites and the data line ----------------------------------------------

    def set_site(self, site: Site | int | str, upstream: str | None = None) -> None:
        """Record what this registry is, before it holds any application:
        ``"office"`` (the default), or ``"acceptance_point"`` with the code
        of the office it forwards to (``upstream``).  Role: registrar."""
        site_c = Site.c_value(site, "site")
        self._check(lib.pledger_set_site(self._h, site_c, _ffi.cstr(upstream, "upstream")))

    @property
    def site(self) -> Site:
        """What this registry is: :attr:`Site.OFFICE` or
        :attr:`Site.ACCEPTANCE_POINT`."""
        return Site(lib.pledger_registry_site(self._h))

    @property
    def upstream(self) -> str | None:
        """An acceptance point's office code; None for an office."""
        return _ffi.string(lib.pledger_registry_upstream(self._h))

    def exchange_export(self, to: str, signers: Keyring) -> bytes:
        """The next batch for the office (or acceptance point) ``to``,
        signed with the certificate key of ``signers``: while the last
        batch sent has no receipt, that batch again, the same bytes (signed
        anew when ``signers``' key is not the one that signed it: the same
        batch to its receiver).
        :class:`pledger.NotFound` when nothing is pending.  Role: clerk or
        registrar."""
        if not isinstance(signers, Keyring):
            raise _ffi._invalid("signers must be a pledger.Keyring", True)
        pp = ffi.new("char **")
        n = ffi.new("size_t *")
        self._check(lib.pledger_exchange_export(pp, n, self._h, _ffi.cstr(to, "to"),
                                                signers._p))
        try:
            return bytes(ffi.buffer(pp[0], n[0]))
        finally:
            lib.pledger_free(pp[0])

    def exchange_import(self, data: bytes | str, trusted: Keyring,
                        signers: Keyring | None = None) -> bytes | None:
        """Import a batch (returns the signed receipt to send back; the
        same receipt for a batch imported before) or a receipt (returns
        None).  ``trusted`` holds the peers' certificate public keys, each
        named by its office code; ``signers`` the certificate key that
        signs the receipt.  Role: clerk or registrar."""
        if not isinstance(trusted, Keyring):
            raise _ffi._invalid("trusted must be a pledger.Keyring", True)
        if signers is not None and not isinstance(signers, Keyring):
            raise _ffi._invalid("signers must be a pledger.Keyring", True)
        raw = _ffi.data(data, "data", text=True)
        pp = ffi.new("char **")
        n = ffi.new("size_t *")
        self._check(lib.pledger_exchange_import(
            pp, n, self._h, ffi.new("char[]", bytes(raw)), len(raw), trusted._p,
            signers._p if signers is not None else ffi.NULL))
        if pp[0] == ffi.NULL:
            return None
        try:
            return bytes(ffi.buffer(pp[0], n[0]))
        finally:
            lib.pledger_free(pp[0])

    def exchange_status(self) -> tuple[ExchangeLine, ...]:
        """The lines of this registry: per peer, the last batch sent,
        acknowledged and received, and how many items are pending."""
        pp = ffi.new("pledger_exchange_line **")
        n = ffi.new("size_t *")
        self._check(lib.pledger_exchange_status(pp, n, self._h))
        try:
            return tuple(ExchangeLine(peer=ffi.string(pp[0][i].peer).decode("ascii"),
                                      last_sent=int(pp[0][i].last_sent),
                                      last_acked=int(pp[0][i].last_acked),
                                      last_received=int(pp[0][i].last_received),
                                      pending=int(pp[0][i].pending))
                         for i in range(n[0]))
        finally:
            lib.pledger_free(pp[0])

    def application_certificate(self, uuid: str) -> str:
        """The certificate of a registered application as its office
        issued it (at an acceptance point: what the office's decision
        carried)."""
        pp = ffi.new("char **")
        self._check(lib.pledger_application_certificate(pp, self._h, _ffi.cstr(uuid, "uuid")))
        return _ffi.take_string(pp) or ""

    def verify_statement(self, number: str, signers: Keyring, code: str | None = None,
                         at: Instant | None = None) -> str:
        """The answer of :meth:`verify` as a signed verification statement
        (XML) a bank can file as evidence: the query, when and to whom, the
        code's status, the rank, the pledge version (masked as this actor
        sees it) and its event's inclusion proof with a checkpoint.
        ``signers`` holds the certificate key (ECDSA P-256 or RSA).  The
        exceptions of :meth:`verify`; :class:`pledger.WrongState` when no
        checkpoint covers the version's event yet."""
        if not isinstance(signers, Keyring):
            raise _ffi._invalid("signers must be a pledger.Keyring", True)
        opts = ffi.new("pledger_verify_options *")
        opts.version = lib.PLEDGER_VERIFY_OPTIONS_VERSION
        code_c = _ffi.cstr(code, "code")
        opts.code = code_c
        opts.as_of = AS_OF_CURRENT if at is None else self._us(at, "at")
        pp = ffi.new("char **")
        self._check(lib.pledger_verify_statement(pp, ffi.NULL, self._h,
                                                 _ffi.cstr(number, "number"), opts, signers._p),
                    {"as_of": "at"})
        return _ffi.take_string(pp) or ""

    def latest_checkpoint(self) -> str | None:
        """The latest checkpoint the registry signed, or None."""
        pp = ffi.new("char **")
        self._check(lib.pledger_checkpoint_latest(pp, self._h))
        return _ffi.take_string(pp)

    # ---- search reports ----------------------------------------------------------

    def issue_report(self, query: str, numbers: Sequence[str] = (), *,
                     signers: Keyring, kind: Any = None, parties: Sequence[str] = (),
                     actor: str | None = None, role: Any = None,
                     log_size: int = 0, asked: Sequence[str] = ()) -> tuple[int, str]:
        """Record an answer given (a search by default; ``kind`` =
        ``ReportKind.VERIFICATION`` for one registration) as a numbered
        search report signed with the checkpoint keys of ``signers``:
        ``query`` the question on one line, ``numbers`` the registration
        numbers answered, ``parties`` those asked about, ``asked`` the
        registration numbers asked about (a verification's, answered or
        refused: the auditor finds the report under their parties).  For another
        ``actor``/``role`` than the registry's, the registrar records (a
        service).  Returns (number, signed note)."""
        from .enums import ReportKind
        if not isinstance(signers, Keyring):
            raise _ffi._invalid("signers must be a pledger.Keyring", True)
        seqs = []
        for what, seq in (("numbers", numbers), ("parties", parties), ("asked", asked)):
            try:    # any iterable of str (a generator too), read once
                items = None if isinstance(seq, (str, bytes)) else list(seq)
            except TypeError:
                items = None
            if items is None or not all(isinstance(x, str) for x in items):
                raise _ffi._invalid(f"{what} must be a sequence of str", True)
            seqs.append(items)
        numbers, parties, asked = seqs
        keep = []
        req = ffi.new("pledger_report_request *")
        req.version = lib.PLEDGER_REPORT_REQUEST_VERSION
        req.kind = int(ReportKind.SEARCH if kind is None else ReportKind(kind))
        keep.append(_ffi.cstr(query, "query"))
        req.query = keep[-1]
        if actor is not None:
            keep.append(_ffi.cstr(actor, "actor"))
            req.actor = keep[-1]
        req.role = 0 if role is None else int(Role(role))
        for field, seq in (("numbers", numbers), ("parties", parties), ("asked", asked)):
            arr = ffi.new("char *[]", max(len(seq), 1))
            for i, x in enumerate(seq):
                keep.append(_ffi.cstr(x, field))
                arr[i] = keep[-1]
            keep.append(arr)
            setattr(req, field, arr)
        req.number_count = len(numbers)
        req.party_count = len(parties)
        req.asked_count = len(asked)
        req.log_size = _ffi.cint(log_size, "log_size", "int64_t", 0)
        notes = ffi.new("char *[1]")
        nums = ffi.new("uint64_t[1]")
        self._check(lib.pledger_report_issue(notes, nums, self._h, req, 1, signers._p))
        return int(nums[0]), _ffi.take_string(notes) or ""

    def report(self, number: int) -> str:
        """Search report ``number`` as handed out: its text and its proof
        (the same bytes; a report of the first form: its signed note).
        Role auditor or registrar; a bank its own."""
        pp = ffi.new("char **")
        self._check(lib.pledger_report_get(pp, self._h,
                                           _ffi.cint(number, "number", "int64_t", 1)))
        return _ffi.take_string(pp) or ""

    def reports(self, party: str | None = None, actor: str | None = None,
                since: Instant | None = None, until: Instant | None = None,
                after: int = 0, limit: int = 1000) -> list[ReportEntry]:
        """The search reports about ``party`` (its question named it, or its
        answer named a registration of which it is the pledgor or pledgee,
        by identifier, or the pledgor, by name), issued to
        ``actor``, between ``since`` and ``until`` (inclusive), numbered
        above ``after``, at most ``limit`` (1 to 10,000).  Role auditor or
        registrar; a bank lists its own."""
        f = ffi.new("pledger_report_filter *")
        f.version = lib.PLEDGER_REPORT_FILTER_VERSION
        keep = [_ffi.cstr(party, "party"), _ffi.cstr(actor, "actor")]
        f.party, f.actor = keep
        setattr(f, "from", AS_OF_CURRENT if since is None else self._us(since, "since"))
        f.to = AS_OF_CURRENT if until is None else self._us(until, "until")
        f.after = _ffi.cint(after, "after", "int64_t", 0)
        f.limit = _ffi.cint(limit, "limit", "int", 1, LIST_MAX)
        pp = ffi.new("pledger_report_list **")
        self._check(lib.pledger_report_find(pp, self._h, f), {"from": "since", "to": "until"})
        lst = ffi.gc(pp[0], lib.pledger_report_list_free)
        return ReportEntry.from_list(lst)

    def check_log(self, old: Checkpoint) -> None:
        """The witness check: raises :class:`pledger.CodeMismatch` unless
        the log today extends the log ``old`` describes (a checkpoint
        opened with :meth:`pledger.Checkpoint.open`)."""
        if not isinstance(old, Checkpoint) or old._handle is None:
            raise _ffi._invalid("old must be a pledger.Checkpoint from Checkpoint.open()", True)
        self._check(lib.pledger_log_check(self._h, old._handle))

    def _us(self, t: Instant, what: str) -> int:
        """Microseconds of an instant given to a call: a date is the first
        instant of that day in the registry's calendar (its UTC offset,
        as its deadlines and statistics count days), as the command line
        and the service read a date; a datetime or microseconds as
        :func:`to_us`."""
        if isinstance(t, _dt.date) and not isinstance(t, _dt.datetime):
            out = ffi.new("int64_t *")
            check(lib.pledger_instant_parse_registry(out, self._h, t.isoformat().encode()))
            return int(out[0])
        return to_us(t, what)

    @property
    def now(self) -> _dt.datetime:
        """The registry's current instant (UTC datetime): the clock set
        with :meth:`set_clock`, else the system clock
        (:class:`pledger.InvalidArgument` when that clock gives no instant
        of the years 1 to 9999 -- one that raised -- as the steps are
        refused then)."""
        us = int(lib.pledger_now(self._h))
        if not lib.PLEDGER_INSTANT_MIN <= us <= lib.PLEDGER_INSTANT_MAX:
            raise _ffi._invalid(f"the registry's clock gives {us} microseconds since 1970, "
                                "not an instant from 0000-01-01 to 9999-12-31")
        return from_us(us)

    def set_clock(self, clock: Callable[[], Instant] | None) -> None:
        """Replace the clock "now" is read from (for tests and replays):
        ``clock()`` returns a datetime or microseconds since the epoch.
        None restores the system clock.  An exception in ``clock`` cannot
        cross the C call: it is printed, and a step that reads the clock
        then is refused (:class:`pledger.InvalidArgument` naming the clock),
        nothing recorded -- not recorded at an instant the clock never gave."""
        if clock is None:
            self._check(lib.pledger_set_clock(self._h, ffi.NULL, ffi.NULL))
            self._clock_cb = None
            return
        if not callable(clock):
            raise _ffi._invalid(f"clock must be callable (or None), not "
                                f"{type(clock).__name__}", True)

        def read(payload: Any) -> int:
            return to_us(clock(), "the clock's instant")

        def failed(exc_type: Any, exc: Any, tb: Any) -> int:
            import traceback
            traceback.print_exception(exc_type, exc, tb)
            # no instant: the library records nothing at it
            return int(lib.PLEDGER_AS_OF_CURRENT)

        cb = ffi.callback("pledger_clock_fn", read, onerror=failed)
        self._check(lib.pledger_set_clock(self._h, cb, ffi.NULL))
        self._clock_cb = cb

    # ---- applications ----------------------------------------------------------

    def save(self, app: Application, *, key: str | None = None) -> str:
        """Store an application (the first save creates a draft); returns
        its UUID.  A saved reviewed application becomes a draft again.

        :param key: the caller's name of a new application's first save (1
            to 128 of A-Z a-z 0-9 . _ : -), to send it again safely when the
            answer was lost: the same document under the same key is saved
            once, and the call returns the UUID saved then (``app`` gets its
            state now); another document under it, or a key of a bulk
            filing, raises :class:`pledger.Conflict`
            (``pledger_application_save_keyed``)."""
        if not isinstance(app, Application):
            raise _ffi._invalid(f"app must be a pledger.Application, not {type(app).__name__}",
                                True)
        if key is None:
            self._check(lib.pledger_application_save(self._h, app._h))
        else:
            if not isinstance(key, str):
                raise _ffi._invalid(f"key must be str, not {type(key).__name__}", True)
            self._check(lib.pledger_application_save_keyed(self._h, app._h,
                                                           _ffi.cstr(key, "key"), ffi.NULL))
        return app.uuid or ""

    def load(self, uuid: str) -> Application:
        """Load a stored application, identity numbers in full.  Role:
        clerk, registrar or auditor; an applicant only what it saved
        itself; a bank, or no actor, gets :class:`pledger.PermissionDenied`
        (a bank reads registrations: :meth:`verify`, :meth:`search`,
        :meth:`certificate`, masked)."""
        pp = ffi.new("pledger_application **")
        self._check(lib.pledger_application_load(pp, self._h, _ffi.cstr(uuid, "uuid")))
        return Application._wrap(pp[0])

    def applications(self, states: Any = None, *, kind: Kind | int | str | None = None,
                     filed_by: str | None = None, after: str | None = None,
                     limit: int = 1000) -> list[ApplicationEntry]:
        """The applications in the order they were saved, without their
        documents: in ``states`` (an :class:`pledger.AppState`, its name,
        or several; the state today: an application whose correction
        window closed is withdrawn), of ``kind``, saved by ``filed_by``,
        saved after the application ``after`` (the last UUID of the
        previous page), at most ``limit`` (1 to 10,000).  Role: clerk,
        registrar or auditor; an applicant lists its own (another
        ``filed_by`` raises :class:`pledger.PermissionDenied`); a bank is
        refused."""
        f = ffi.new("pledger_app_filter *")
        f.version = lib.PLEDGER_APP_FILTER_VERSION
        for st in app_states(states):
            f.states |= 1 << int(st)
        f.kind = Kind.c_value(kind, "kind") if kind is not None else 0
        keep = [_ffi.cstr(filed_by, "filed_by"), _ffi.cstr(after, "after")]
        f.filed_by, f.after = keep
        f.limit = _ffi.cint(limit, "limit", "int", 1, LIST_MAX)
        pp = ffi.new("pledger_app_list **")
        self._check(lib.pledger_application_list(pp, self._h, f))
        lst = ffi.gc(pp[0], lib.pledger_app_list_free)
        AppState = _ENUMS["AppState"]
        s = _ffi.string
        return [ApplicationEntry(
                    uuid=s(lib.pledger_app_list_uuid(lst, i)) or "",
                    kind=Kind(int(lib.pledger_app_list_kind(lst, i))),
                    state=AppState(int(lib.pledger_app_list_state(lst, i))),
                    filed_by=s(lib.pledger_app_list_filed_by(lst, i)) or "",
                    saved_at=from_us(lib.pledger_app_list_saved_at(lst, i)),
                    updated_at=from_us(lib.pledger_app_list_updated_at(lst, i)),
                    acceptance_number=s(lib.pledger_app_list_acceptance_number(lst, i)),
                    registration_number=s(lib.pledger_app_list_registration_number(lst, i)),
                    pledgor_name=s(lib.pledger_app_list_pledgor_name(lst, i)),
                    pledgee_name=s(lib.pledger_app_list_pledgee_name(lst, i)))
                for i in range(int(lib.pledger_app_list_count(lst)))]

    def file_batch(self, apps: Sequence[Application], *,
                   key: str | None = None) -> tuple[Filed, ...]:
        """File many registrations of one kind at once (bulk filing: the
        kinds the pledgee files alone, receivables; role applicant).  Every
        application is saved, reviewed, submitted, accepted and registered
        in one transaction, with consecutive registration numbers; each
        ``Application`` then carries its UUID and numbers.  When any item's
        review stops it, nothing is filed and :class:`pledger.ReviewBlocked`
        is raised with ``items``: every item's :class:`Filed`, its review
        and whether it stopped the batch.

        :param key: the caller's name of the batch (1 to 128 of A-Z a-z 0-9
            . _ : -), to send it again safely when the answer was lost: the
            same documents under the same key are filed once, and the call
            answers with what was registered (``Filed.replayed``, no
            modification codes); other documents under it raise
            :class:`pledger.Conflict` (``pledger_file_batch_keyed``)."""
        if isinstance(apps, (str, bytes)) or not isinstance(apps, Sequence):
            raise _ffi._invalid(f"apps must be a sequence of Application, not "
                                f"{type(apps).__name__}", True)
        for i, a in enumerate(apps):
            if not isinstance(a, Application):
                raise _ffi._invalid(f"apps[{i}] must be an Application, not "
                                    f"{type(a).__name__}", True)
        arr = ffi.new("pledger_application *[]", max(len(apps), 1))
        for i, a in enumerate(apps):
            arr[i] = a._h
        pp = ffi.new("pledger_filing **")
        if key is None:
            rc = lib.pledger_file_batch(pp, self._h, arr, len(apps))
        else:
            rc = lib.pledger_file_batch_keyed(pp, self._h, _ffi.cstr(key, "key"), arr,
                                              len(apps))
        if rc != 0 and pp[0] == ffi.NULL:
            raise make_error(rc, self._p)
        err = make_error(rc, self._p) if rc != 0 else None
        f = _ffi.gc(pp[0], lib.pledger_filing_free)
        try:
            items = tuple(self._filed(f, i) for i in range(lib.pledger_filing_count(f)))
        finally:
            ffi.release(f)
        if err is not None:
            if isinstance(err, ReviewBlocked):
                err.items = items
            raise err
        return items

    @staticmethod
    def _filed(f: Any, i: int) -> Filed:
        rv = lib.pledger_filing_review(f, i)
        return Filed(
            uuid=_ffi.string(lib.pledger_filing_uuid(f, i)),
            acceptance_number=_ffi.string(lib.pledger_filing_acceptance_number(f, i)),
            number=_ffi.string(lib.pledger_filing_number(f, i)),
            modcode=_ffi.string(lib.pledger_filing_modcode(f, i)),
            review=_review_of(rv),
            blocked=bool(lib.pledger_filing_item_blocked(f, i)),
            replayed=bool(lib.pledger_filing_replayed(f)))

    def review(self, uuid: str) -> Review:
        """Review a stored application against every rule of its kind and
        the reference register; the result is stored and journaled.  The
        applicant's messages show resident identity numbers masked, the
        clerk's in full."""
        pp = ffi.new("pledger_review **")
        self._check(lib.pledger_application_review(pp, self._h, _ffi.cstr(uuid, "uuid")))
        rv = _ffi.gc(pp[0], lib.pledger_review_free)
        try:
            return _review_of(rv)
        finally:
            ffi.release(rv)

    def check(self, app: Application) -> Review:
        """Review a document without storing it: the findings its review
        would give once saved (``pledger_application_check``), as an online
        form shows them while the applicant types.  Nothing is written or
        journaled and no role is needed; resident identity numbers are
        shown masked but to a clerk, a registrar and an auditor."""
        if not isinstance(app, Application):
            raise _ffi._invalid(f"app must be a pledger.Application, not {type(app).__name__}",
                                True)
        pp = ffi.new("pledger_review **")
        self._check(lib.pledger_application_check(pp, self._h, app._h))
        rv = _ffi.gc(pp[0], lib.pledger_review_free)
        try:
            return _review_of(rv)
        finally:
            ffi.release(rv)

    def submit(self, uuid: str) -> None:
        """Submit a reviewed application (:class:`pledger.ReviewBlocked`
        when its review stops it)."""
        self._check(lib.pledger_application_submit(self._h, _ffi.cstr(uuid, "uuid")))

    def accept(self, uuid: str) -> str:
        """Accept a submitted application; returns its acceptance number."""
        pp = ffi.new("char **")
        self._check(lib.pledger_application_accept(pp, self._h, _ffi.cstr(uuid, "uuid")))
        return _ffi.take_string(pp) or ""

    def request_correction(self, uuid: str, note: str) -> None:
        """Ask the applicant to cure a deficiency within 30 days."""
        self._check(lib.pledger_application_request_correction(
            self._h, _ffi.cstr(uuid, "uuid"), _ffi.cstr(note, "note")))

    def correct(self, app: Application) -> None:
        """Record the corrected document of an application awaiting
        correction (``app`` loaded with :meth:`load`, then edited).  It is
        reviewed as at submission: :class:`ReviewBlocked` (nothing
        recorded) while the review has a blocking or correctable finding."""
        if not isinstance(app, Application):
            raise _ffi._invalid(f"app must be a pledger.Application, not {type(app).__name__}",
                                True)
        self._check(lib.pledger_application_correct(self._h, app._h))

    def register(self, uuid: str) -> Registration:
        """Register an accepted application: the pledge exists from now.
        Receivables also get their modification code, returned this once."""
        num = ffi.new("char **")
        code = ffi.new("char **")
        rc = lib.pledger_application_register(num, code, self._h, _ffi.cstr(uuid, "uuid"))
        if rc != 0:
            err = make_error(rc, self._p)
            _ffi.take_string(num)
            _ffi.take_string(code)
            raise err
        number = _ffi.take_string(num) or ""
        return Registration(number=number, modcode=_ffi.take_string(code))

    def refuse(self, uuid: str, ground: str, note: str | None = None) -> None:
        """Refuse an accepted application on ``ground`` (a ground code)."""
        self._check(lib.pledger_application_refuse(
            self._h, _ffi.cstr(uuid, "uuid"), _ffi.cstr(ground, "ground"),
            _ffi.cstr(note, "note")))

    def withdraw(self, uuid: str) -> None:
        """Withdraw an application that has not been decided."""
        self._check(lib.pledger_application_withdraw(self._h, _ffi.cstr(uuid, "uuid")))

    # ---- pledges ---------------------------------------------------------------

    def _snapshot(self, number: str, at: Instant | None) -> Any:
        pp = ffi.new("pledger_pledge **")
        if at is None:
            rc = lib.pledger_pledge_get(pp, self._h, _ffi.cstr(number, "number"))
        else:
            rc = lib.pledger_pledge_get_at(pp, self._h, _ffi.cstr(number, "number"),
                                       self._us(at, "at"))
        self._check(rc, {"at_us": "at"})
        return _ffi.gc(pp[0], lib.pledger_pledge_free)

    def pledge(self, number: str, at: Instant | None = None) -> Pledge:
        """The current version of a pledge, or the one valid at ``at``
        (:class:`pledger.NotFound` before its registration;
        :class:`pledger.InvalidArgument` for an ``at`` later than
        :attr:`now`: the registry answers only for instants that have
        passed)."""
        p = self._snapshot(number, at)
        try:
            return pledge_of(p)
        finally:
            ffi.release(p)

    def pledge_xml(self, number: str, at: Instant | None = None) -> str:
        """A pledge version as an XML document, with its history up to it
        (``at`` as :meth:`pledge` takes it)."""
        p = self._snapshot(number, at)
        try:
            pp = ffi.new("char **")
            check(lib.pledger_pledge_to_xml(pp, p))
            return _ffi.take_string(pp) or ""
        finally:
            ffi.release(p)

    def certificate(self, number: str, version: int = 0) -> str:
        """The certificate document of a pledge (``version`` 0: the latest;
        a superseded one says so)."""
        pp = ffi.new("char **")
        self._check(lib.pledger_certificate_get(pp, self._h, _ffi.cstr(number, "number"),
                                                _ffi.cint(version, "version", minimum=0)))
        return _ffi.take_string(pp) or ""

    def load_certificate(self, number: str, version: int = 0) -> Certificate:
        """A certificate of a pledge as a record (``pledger_certificate_load``):
        its version, verification code, status, the instants it was issued
        and superseded, and its document (``version`` 0: the latest)."""
        pp = ffi.new("pledger_certificate **")
        self._check(lib.pledger_certificate_load(pp, self._h, _ffi.cstr(number, "number"),
                                                 _ffi.cint(version, "version", minimum=0)))
        c = _ffi.gc(pp[0], lib.pledger_certificate_free)
        try:
            s = _ffi.string
            sup = lib.pledger_certificate_superseded_at(c)
            return Certificate(
                number=s(lib.pledger_certificate_number(c)) or "",
                version=int(lib.pledger_certificate_version(c)),
                code=s(lib.pledger_certificate_code(c)) or "",
                status=_ENUMS["CertificateStatus"](lib.pledger_certificate_status_of(c)),
                issued_at=from_us(lib.pledger_certificate_issued_at(c)),
                superseded_at=from_us(sup) if sup else None,
                xml=s(lib.pledger_certificate_xml(c)) or "")
        finally:
            ffi.release(c)

    def change(self, number: str, *, pledgor_name: str | None = None,
               pledgee_name: str | None = None, amount: int | str | None = None,
               note: str | None = None, modcode: str | None = None) -> None:
        """Change party names or the secured amount (a new version and a new
        certificate).  ``amount`` is minor units (an int) or a str as people
        write it in the pledge's currency ("3,000,000.00", "300万元",
        :func:`pledger.parse_money`).  ``modcode`` is required for
        receivables."""
        if isinstance(amount, str):
            from .money import parse_money
            _ffi.cstr(amount, "amount")     # refused as the amount, not parse_money's text
            amount = parse_money(amount, self.pledge(number).currency or "CNY")
        ch = ffi.new("pledger_change *")
        keep = [_ffi.cstr(pledgor_name, "pledgor_name"), _ffi.cstr(pledgee_name, "pledgee_name"),
                _ffi.cstr(note, "note")]
        ch.version = lib.PLEDGER_CHANGE_VERSION
        ch.pledgor_name, ch.pledgee_name, ch.note = keep
        ch.amount = -1 if amount is None else _ffi.cint(amount, "amount", "int64_t", minimum=1)
        self._check(lib.pledger_pledge_change(self._h, _ffi.cstr(number, "number"), ch,
                                              _ffi.cstr(modcode, "modcode")))

    def extend(self, number: str, new_end: DateLike, modcode: str | None = None) -> None:
        """Extend the registration period to ``new_end``."""
        self._check(lib.pledger_pledge_extend(
            self._h, _ffi.cstr(number, "number"), _ffi.cstr(date_str(new_end, "new_end"), "new_end"),
            _ffi.cstr(modcode, "modcode")))

    def cancel(self, number: str, modcode: str | None = None, note: str | None = None) -> None:
        """Cancel a pledge."""
        self._check(lib.pledger_pledge_cancel(self._h, _ffi.cstr(number, "number"),
                                              _ffi.cstr(modcode, "modcode"),
                                              _ffi.cstr(note, "note")))

    def revoke(self, number: str, ground: str, note: str | None = None) -> None:
        """Revoke a registration on ``ground`` (a ground code)."""
        self._check(lib.pledger_pledge_revoke(self._h, _ffi.cstr(number, "number"),
                                              _ffi.cstr(ground, "ground"),
                                              _ffi.cstr(note, "note")))

    def object(self, number: str, objector: str, note: str | None = None) -> None:
        """Register an objection to a receivable pledge."""
        self._check(lib.pledger_pledge_object(self._h, _ffi.cstr(number, "number"),
                                              _ffi.cstr(objector, "objector"),
                                              _ffi.cstr(note, "note")))

    def record_litigation(self, number: str) -> None:
        """Record that litigation was filed on an objection."""
        self._check(lib.pledger_pledge_record_litigation(self._h, _ffi.cstr(number, "number")))

    def dismiss_objection(self, number: str, note: str | None = None) -> None:
        """End an objection: the pledge is active again."""
        self._check(lib.pledger_pledge_dismiss_objection(
            self._h, _ffi.cstr(number, "number"), _ffi.cstr(note, "note")))

    def expire(self) -> int:
        """Apply every deadline that has passed; returns how many steps
        were taken."""
        out = ffi.new("int *")
        self._check(lib.pledger_registry_expire(out, self._h))
        return int(out[0])

    # ---- calendar and journal --------------------------------------------------

    def calendar_load(self, text: str) -> None:
        """Load public holidays and make-up working days
        (``YYYY-MM-DD holiday|workday [name]``, ranges ``A..B``, ``#`` comments)."""
        b = _ffi.data(text, "text", text=True, binary=False)
        self._check(lib.pledger_calendar_load(self._h, b, len(b)))

    def add_working_days(self, date: DateLike, n: int) -> _dt.date:
        """``date`` plus ``n`` working days by the registry's calendar."""
        out = ffi.new("char[11]")
        self._check(lib.pledger_calendar_add_working_days(
            out, self._h, _ffi.cstr(date_str(date, "date"), "date"), _ffi.cint(n, "n")))
        d = to_date(ffi.string(out).decode("ascii"))
        assert d is not None
        return d

    def journal_verify(self, chain_only: bool = False) -> JournalCheck:
        """Verify the journal's hash chain from the first event and that the
        state tables are its replay; ``chain_only`` checks the chain alone
        (much faster; run the full check on a schedule).  Both hold the
        Merkle tree and every checkpoint the registry keeps to the events:
        a history rewritten with every hash recomputed is not intact."""
        bad = ffi.new("int64_t *")
        count = ffi.new("int64_t *")
        fn = lib.pledger_journal_verify_chain if chain_only else lib.pledger_journal_verify
        self._check(fn(bad, count, self._h))
        msg = self.errmsg if bad[0] else ""
        return JournalCheck(intact=bad[0] == 0, bad_seq=int(bad[0]) or None,
                            count=int(count[0]), message=msg)

    def report_verify(self, trusted: Keyring | None = None) -> ReportsCheck:
        """Verify the search reports kept beside the registry: every report
        from number 1 without a gap, each row as its text, its log line the
        journal's root, the auditor's keys as its text names, the Merkle
        tree of the texts as kept, each checkpoint of the reports' log over
        that tree and signed by a key of ``trusted`` (None: signatures not
        checked, only what they sign).  Role auditor or registrar."""
        if trusted is not None and not isinstance(trusted, Keyring):
            raise _ffi._invalid("trusted must be a pledger.Keyring or None", True)
        bad = ffi.new("uint64_t *")
        count = ffi.new("uint64_t *")
        self._check(lib.pledger_report_verify(bad, count, self._h,
                                              ffi.NULL if trusted is None else trusted._p))
        msg = self.errmsg if bad[0] else ""
        return ReportsCheck(intact=bad[0] == 0, bad_number=int(bad[0]) or None,
                            count=int(count[0]), message=msg)

    # ---- what banks ask (query.h) ----------------------------------------------

    def verify(self, number: str, code: str | None = None,
               at: Instant | None = None) -> Verification:
        """Verify a registration (and a certificate's verification code):
        its version valid at ``at`` (default: the current one), its ranks
        and what the code is.  :class:`pledger.CodeMismatch` when the code
        is no certificate's of this pledge, :class:`pledger.NotFound` for
        an unknown number (or one not yet registered at ``at``).  ``at``
        may not be later than :attr:`now` (:class:`pledger.InvalidArgument`:
        the registry answers only for instants that have passed)."""
        opts = ffi.new("pledger_verify_options *")
        opts.version = lib.PLEDGER_VERIFY_OPTIONS_VERSION
        code_c = _ffi.cstr(code, "code")
        opts.code = code_c
        opts.as_of = AS_OF_CURRENT if at is None else self._us(at, "at")
        pp = ffi.new("pledger_verification **")
        self._check(lib.pledger_verify(pp, self._h, _ffi.cstr(number, "number"), opts),
                    {"as_of": "at"})
        v = _ffi.gc(pp[0], lib.pledger_verification_free)
        try:
            p = pledge_of(lib.pledger_verification_pledge(v))
            as_of = lib.pledger_verification_as_of(v)
            sup = lib.pledger_verification_code_superseded_at(v)
            return Verification(
                number=p.number, kind=p.kind, security=p.security, state=p.state,
                version=p.version, registered_at=p.registered_at, valid_from=p.valid_from,
                as_of=None if as_of == AS_OF_CURRENT else from_us(as_of),
                pledgor_name=p.pledgor_name, pledgor_id=p.pledgor_id,
                pledgee_name=p.pledgee_name, pledgee_id=p.pledgee_id,
                amount=p.amount, currency=p.currency,
                period_start=p.period_start, period_end=p.period_end,
                rights=tuple(RightRank(r, int(lib.pledger_verification_right_rank(v, i)))
                             for i, r in enumerate(p.rights)),
                rank=int(lib.pledger_verification_rank(v)),
                code_status=_ENUMS["CodeStatus"](lib.pledger_verification_code_status(v)),
                code_version=int(lib.pledger_verification_code_version(v)),
                code_superseded_at=from_us(sup) if sup else None,
                pledge=p)
        finally:
            ffi.release(v)

    def search(self, *, kind: Kind | int | str | None = None, right: str | None = None,
               party_id: str | None = None, party_name: str | None = None,
               side: Any = None, state: PledgeState | int | str | None = None,
               registered_from: DateLike | None = None,
               registered_to: DateLike | None = None, as_of: Instant | None = None,
               page_size: int = 0, after: str | None = None,
               all_pages: bool = True) -> Cursor:
        """Search pledges; every criterion given must hold.  Returns an
        iterator of :class:`pledger.SearchHit` in registration order.

        :param kind: a :class:`Kind` (required with ``right``).
        :param right: a pledged right's identifier (see query.h).
        :param party_id: a party identifier, exact after normalisation.
        :param party_name: a party name; hits are marked exact or similar.
        :param side: a :class:`PartySide` for ``party_id``/``party_name``.
        :param state: the state at ``as_of``.
        :param registered_from, registered_to: registration days, inclusive.
        :param as_of: answer from the versions valid at this instant (no
            later than :attr:`now`: the registry answers only for instants
            that have passed).
        :param page_size: hits per page (1-10000, 0 for 100).
        :param after: a continuation token (resume after that page).
        :param all_pages: fetch the following pages as iteration goes;
            False stops after one page (then see ``cursor.continuation``).
        """
        for arg, value in (("right", right), ("party_id", party_id),
                           ("party_name", party_name), ("after", after)):
            if value is not None and not isinstance(value, str):
                raise _ffi._invalid(f"{arg} must be str, not {type(value).__name__}", True)
        fields: dict[str, Any] = {
            "kind": Kind.c_value(kind, "kind") if kind is not None else None,
            "right_id": right, "party_id": party_id, "party_name": party_name,
            "party_side": (_ENUMS["PartySide"].c_value(side, "side")
                           if side is not None else None),
            "state": PledgeState.c_value(state, "state") if state is not None else None,
            "registered_from": None if registered_from is None else date_str(
                registered_from, "registered_from"),
            "registered_to": None if registered_to is None else date_str(
                registered_to, "registered_to"),
            "as_of": AS_OF_CURRENT if as_of is None else self._us(as_of, "as_of"),
            "page_size": _ffi.cint(page_size, "page_size", "int", 0, LIST_MAX), "after": after,
        }
        return Cursor(self, fields, all_pages)

    def rank(self, number: str, at: Instant | None = None) -> int:
        """The rank of a pledge among those in force on its right(s) at
        ``at`` (1 = first, ``at`` no later than :attr:`now`); 0 when it is
        not in force then."""
        out = ffi.new("int *")
        self._check(lib.pledger_rank(out, self._h, _ffi.cstr(number, "number"),
                                     AS_OF_CURRENT if at is None else self._us(at, "at")),
                    {"at_us": "at"})
        return int(out[0])

    def compare(self, number_a: str, number_b: str) -> int:
        """-1 when ``number_a`` ranks first, 1 when ``number_b`` does, 0
        when both are the same registration."""
        out = ffi.new("int *")
        self._check(lib.pledger_compare(out, self._h, _ffi.cstr(number_a, "number_a"),
                                        _ffi.cstr(number_b, "number_b")))
        return int(out[0])

    def due(self, at: Instant | None = None, within_days: int = 30) -> DueList:
        """What is due or overdue at ``at`` (default: now), up to
        ``within_days`` calendar days ahead: a list of :class:`DueItem`
        whose ``today`` is the registry's day of ``at``.  Role: clerk,
        registrar or auditor."""
        opts = ffi.new("pledger_due_options *")
        opts.version = lib.PLEDGER_DUE_OPTIONS_VERSION
        opts.at = AS_OF_CURRENT if at is None else self._us(at, "at")
        opts.within_days = _ffi.cint(within_days, "within_days", "int", 0, WITHIN_DAYS_MAX)
        pp = ffi.new("pledger_due **")
        self._check(lib.pledger_due_get(pp, self._h, opts))
        d = _ffi.gc(pp[0], lib.pledger_due_free)
        try:
            what = _ENUMS["DueWhat"]
            return DueList([DueItem(what=what(lib.pledger_due_what_of(d, i)),
                                    subject=_ffi.string(lib.pledger_due_subject(d, i)) or "",
                                    kind=Kind(lib.pledger_due_kind(d, i)),
                                    date=to_date(_ffi.string(lib.pledger_due_date(d, i))),
                                    days_left=int(lib.pledger_due_days_left(d, i)))
                            for i in range(lib.pledger_due_count(d))],
                           to_date(_ffi.string(lib.pledger_due_today(d))))
        finally:
            ffi.release(d)

    def stats(self, start: DateLike, end: DateLike, *, kind: Kind | int | str | None = None,
              office: str | None = None) -> Stats:
        """The figures of the days ``start`` to ``end`` (inclusive), for
        one kind and one office or all."""
        kind_c = Kind.c_value(kind, "kind") if kind is not None else 0
        q = ffi.new("pledger_stats_query *")
        q.version = lib.PLEDGER_STATS_QUERY_VERSION
        keep = [_ffi.cstr(date_str(start, "start"), "start"), _ffi.cstr(date_str(end, "end"), "end"),
                _ffi.cstr(office, "office")]
        setattr(q, "from", keep[0])
        q.to = keep[1]
        q.kind = kind_c
        q.office = keep[2]
        pp = ffi.new("pledger_stats **")
        self._check(lib.pledger_stats_get(pp, self._h, q), {"from": "start", "to": "end"})
        st = _ffi.gc(pp[0], lib.pledger_stats_free)
        try:
            def amount(v: int) -> int | None:
                return None if v < 0 else int(v)
            amounts = tuple(
                CurrencyAmounts(_ffi.string(lib.pledger_stats_currency(st, i)) or "",
                                amount(lib.pledger_stats_amount_registered(st, i)),
                                amount(lib.pledger_stats_amount_active(st, i)))
                for i in range(lib.pledger_stats_currency_count(st)))
            return Stats(start=to_date(date_str(start)), end=to_date(date_str(end)),
                         kind=Kind(kind_c) if kind_c else None, office=office,
                         registrations=int(lib.pledger_stats_registrations(st)),
                         cancellations=int(lib.pledger_stats_cancellations(st)),
                         active=int(lib.pledger_stats_active(st)), amounts=amounts)
        finally:
            ffi.release(st)

    # ---- the reference register -------------------------------------------------

    def register_import(self, source: str | os.PathLike[str] | bytes, *,
                        progress: ProgressFn | None = None) -> ImportReport:
        """Import a reference register: a file name, or the XML as bytes.

        ``progress(records, bytes_read, total_bytes)`` is called as the
        import goes; returning False cancels it (nothing changes,
        :class:`pledger.Cancelled`), and so does an exception, which is
        then raised again here (KeyboardInterrupt included)."""
        opts = ffi.new("pledger_import_options *")
        opts.version = lib.PLEDGER_IMPORT_OPTIONS_VERSION
        raised: list[BaseException] = []
        cb = None
        if progress is not None:
            def call(records: int, done: int, total: int, payload: Any) -> int:
                if raised:
                    return 1
                try:
                    return 1 if progress(int(records), int(done), int(total)) is False else 0
                except BaseException as e:  # noqa: B902 (KeyboardInterrupt cancels too)
                    raised.append(e)
                    return 1
            cb = ffi.callback("pledger_import_progress_fn", call)
            opts.progress = cb
        pp = ffi.new("pledger_import_report **")
        if isinstance(source, (bytes, bytearray, memoryview)):
            data = bytes(source)
            rc = lib.pledger_register_import_memory(pp, self._h, data, len(data), opts)
        else:
            rc = lib.pledger_register_import(pp, self._h, _ffi.cpath(source), opts)
        if raised:
            if rc == 0:
                lib.pledger_import_report_free(pp[0])
            raise raised[0]
        self._check(rc)
        r = _ffi.gc(pp[0], lib.pledger_import_report_free)
        try:
            n = lib.pledger_import_report_rejection_count(r)
            rejections = tuple(
                Rejection(int(lib.pledger_import_report_rejection_line(r, i)),
                          _ffi.string(lib.pledger_import_report_rejection_message(r, i)) or "")
                for i in range(n))
            return ImportReport(
                inserted=int(lib.pledger_import_report_inserted(r)),
                updated=int(lib.pledger_import_report_updated(r)),
                unchanged=int(lib.pledger_import_report_unchanged(r)),
                rejected=int(lib.pledger_import_report_rejected(r)),
                sha256=_ffi.string(lib.pledger_import_report_sha256(r)),
                rejections=rejections)
        finally:
            ffi.release(r)


def _take_turns(cls: type) -> type:
    """Every method of @cls holds the registry's lock for the whole call:
    the C handle is used by one thread at a time (two at once crashed the
    interpreter), and the error message a failed call reads is its own."""
    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def locked(self: Any, *args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return fn(self, *args, **kwargs)
        return locked

    for name, member in list(vars(cls).items()):
        if name in ("__init__", "__slots__") or name.startswith("__") and name not in (
                "__enter__", "__exit__"):
            continue
        if isinstance(member, property):
            setattr(cls, name, property(wrap(member.fget) if member.fget else None,
                                        wrap(member.fset) if member.fset else None,
                                        member.fdel, member.__doc__))
        elif callable(member) and not isinstance(member, (staticmethod, classmethod, type)):
            setattr(cls, name, wrap(member))
    return cls


_take_turns(Registry)

__all__ = ["open", "Registry", "ProgressFn"]
