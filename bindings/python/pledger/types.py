"""The answers of the library as small typed objects (dataclasses), and
the conversions between C and Python values of time.

Instants are timezone-aware :class:`datetime.datetime` in UTC (the C
side counts microseconds since 1970-01-01T00:00Z, which a datetime holds
exactly); calendar dates are :class:`datetime.date`; amounts are ``int``
counts of the currency's minor unit (fen for CNY), never floats.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
from typing import Any, Iterator, Mapping, Union

from . import _ffi
from ._i18n import _
from .enums import Kind, PledgeState, Severity

UTC = _dt.timezone.utc
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=UTC)

#: what the calls accept for an instant: an aware datetime (a naive one
#: is taken as UTC), a date (the first instant of that day in the
#: registry's calendar, at its UTC offset: what the command line and the
#: service read a date as) or microseconds since the epoch
Instant = Union[_dt.datetime, _dt.date, int]
#: what the calls accept for a calendar date
DateLike = Union[_dt.date, str]


def to_us(t: Instant, what: str = "instant") -> int:
    """Microseconds since the epoch of an :data:`Instant` (checked to fit
    the years 1 to 9999; the lowest ``int64_t``, the library's "now"
    marker :data:`AS_OF_CURRENT`, is no instant and refused)."""
    if isinstance(t, _dt.datetime):
        if t.tzinfo is None:
            t = t.replace(tzinfo=UTC)
        d = t - _EPOCH
        us = (d.days * 86400 + d.seconds) * 1_000_000 + d.microseconds
        # an offset can take a datetime past the years it holds in UTC
        # ("9999-12-31 23:59 -14:00" is the year 10000 there)
        if not MIN_US <= us <= MAX_US:
            raise _ffi._invalid(_("{what} {instant} is outside the years 1 to 9999 in "
                                  "UTC").format(what=what, instant=t.isoformat()))
        return us
    if isinstance(t, _dt.date):
        # without a registry (Registry._us reads it in the registry's
        # calendar): its midnight UTC
        return to_us(_dt.datetime(t.year, t.month, t.day, tzinfo=UTC))
    if isinstance(t, int) and not isinstance(t, bool):
        us = _ffi.cint(t, what, "int64_t")
        # the library's "now" marker is no instant: None asks for now
        if us == int(_ffi.lib.PLEDGER_AS_OF_CURRENT):
            raise _ffi._invalid(_("{what} {us} is the lowest int64_t, the library's \"now\" "
                                  "marker, not an instant (give None for now)").format(
                                      what=what, us=us))
        # what is taken is read back as a datetime: within its years
        if not MIN_US <= us <= MAX_US:
            raise _ffi._invalid(_("{what} {us} is outside the years 1 to 9999 (microseconds "
                                  "{min} to {max})").format(what=what, us=us, min=MIN_US,
                                                            max=MAX_US))
        return us
    raise _ffi._invalid(_("{what} must be a datetime, a date or microseconds (int), not "
                          "{type}").format(what=what, type=type(t).__name__), True)


#: the microseconds of the first and the last instant a datetime holds
MIN_US = -62135596800000000    # 0001-01-01T00:00:00Z
MAX_US = 253402300799999999    # 9999-12-31T23:59:59.999999Z


def from_us(us: int) -> _dt.datetime:
    """The UTC datetime of microseconds since the epoch, an instant the
    registry handed out.  One outside the years 1 to 9999 (which pledger
    never writes: a registry file changed outside pledger) raises
    :class:`pledger.Corrupt`, not Python's OverflowError."""
    try:
        return _EPOCH + _dt.timedelta(microseconds=int(us))
    except OverflowError:
        from .errors import Corrupt
        raise Corrupt(int(_ffi.lib.PLEDGER_ECORRUPT),
                      f"an instant of {int(us)} microseconds since 1970 is outside the years "
                      "1 to 9999: the registry holds what pledger never writes") from None


def date_str(d: DateLike, what: str = "date") -> str:
    """``YYYY-MM-DD`` of a date (a str is passed on for the library to check)."""
    if isinstance(d, _dt.datetime):
        raise _ffi._invalid(_("{what} must be a date or 'YYYY-MM-DD', not a "
                              "datetime").format(what=what), True)
    if isinstance(d, _dt.date):
        return d.isoformat()
    if isinstance(d, str):
        _ffi.data(d, what, text=True, binary=False)    # no lone surrogate, named
        return d
    raise _ffi._invalid(_("{what} must be a date or 'YYYY-MM-DD', not {type}").format(
        what=what, type=type(d).__name__), True)


_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}


def to_date(s: str | None) -> _dt.date | None:
    """The date of ``YYYY-MM-DD`` (None for None or ""), also as the library
    reads a date given to it: full-width digits and dashes, white space
    around it, ISO 8601's basic form ``YYYYMMDD``."""
    if not s:
        return None
    t = s.translate(_FULL_WIDTH).strip()
    if len(t) == 8 and t.isascii() and t.isdigit():
        t = f"{t[:4]}-{t[4:6]}-{t[6:]}"
    return _dt.date.fromisoformat(t)


def iso(t: _dt.datetime | _dt.date | None) -> str | None:
    """ISO 8601 text of an instant (``...Z``) or a date, None for None."""
    if t is None:
        return None
    if isinstance(t, _dt.datetime):
        return t.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return t.isoformat()


def from_iso(text: str) -> _dt.datetime:
    """The UTC datetime of an instant as the library writes it in its
    documents: ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z``."""
    return _dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


#: metadata of a dataclass field that :func:`as_dict` leaves out (a
#: nested object whose fields the answer already gives)
NOT_IN_DICT = {"as_dict": False}


def as_dict(obj: Any) -> Any:
    """A dataclass (or a list of them) as JSON-ready values: enums by
    their API names, instants and dates in ISO 8601."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: as_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)
                if f.metadata.get("as_dict", True)}
    if isinstance(obj, (list, tuple)):
        return [as_dict(x) for x in obj]
    if hasattr(obj, "api_name"):
        return obj.api_name
    if isinstance(obj, (_dt.datetime, _dt.date)):
        return iso(obj)
    return obj


@dataclasses.dataclass(frozen=True)
class Finding:
    """One finding of a review (``pledger_review_*``)."""
    code: str          #: stable code, e.g. "TM_BUNDLE_MISSING"
    severity: Severity  #: blocking, correctable, risk or notice
    path: str          #: the document field it is about ("" for the whole)
    message: str       #: in the language of pledger.set_language()
    basis: str         #: short legal-basis note

    @property
    def stops_submission(self) -> bool:
        """Blocking and correctable findings stop a submission."""
        return self.severity in (Severity.BLOCKING, Severity.CORRECTABLE)


@dataclasses.dataclass(frozen=True)
class Review:
    """The findings of a review, in the library's order."""
    findings: tuple[Finding, ...]

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    def count(self, severity: Severity) -> int:
        """How many findings have ``severity``."""
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def blocking(self) -> bool:
        """True when a finding is blocking (the application cannot be registered)."""
        return self.count(Severity.BLOCKING) > 0

    @property
    def stops_submission(self) -> bool:
        """True when the application cannot be submitted as it is
        (a blocking or a correctable finding)."""
        return any(f.stops_submission for f in self.findings)


@dataclasses.dataclass(frozen=True)
class Registration:
    """What registering an application gives."""
    number: str            #: the registration number
    modcode: str | None    #: receivables: the modification code (shown this once)


@dataclasses.dataclass(frozen=True)
class ExchangeLine:
    """One line of the data line (:meth:`pledger.Registry.exchange_status`)."""
    peer: str             #: the other site's office code
    last_sent: int        #: the last batch sent to it (0: none)
    last_acked: int       #: the last batch it acknowledged
    last_received: int    #: the last batch imported from it
    pending: int          #: items the next export would carry


@dataclasses.dataclass(frozen=True)
class Filed:
    """One item of a bulk filing (:meth:`pledger.Registry.file_batch`)."""
    uuid: str | None                #: the application; None when nothing was filed
    acceptance_number: str | None   #: None when nothing was filed
    number: str | None              #: the registration number; None when nothing was filed
    modcode: str | None             #: the modification code, given this once
    review: Review                  #: the item's review
    blocked: bool                   #: its findings stopped the batch
    #: filed before under the batch's key: this call filed nothing
    replayed: bool = False


@dataclasses.dataclass(frozen=True)
class Pledge:
    """One version of a registered pledge: the snapshot every read of a
    pledge gives (``pledger_pledge``) -- :meth:`pledger.Registry.pledge`,
    :attr:`Verification.pledge`, :attr:`SearchHit.pledge`.

    :meth:`field` reads any field by its path in the pledge document
    (``pledger_pledge_field``): ``"pledgor/name"``,
    ``"rights/*[2]/identifier"``, ``"history/entry[1]/operation"``."""
    number: str
    kind: Kind
    security: str           #: "pledge", or "mortgage" for sea-area and land rights
    state: PledgeState
    version: int
    registered_at: _dt.datetime
    valid_from: _dt.datetime
    valid_to: _dt.datetime | None  #: None while this version is current
    pledgor_name: str | None
    pledgor_id: str | None  #: resident numbers masked unless registrar or auditor
    pledgee_name: str | None
    pledgee_id: str | None
    amount: int             #: secured amount in minor units
    currency: str | None
    period_start: _dt.date | None
    period_end: _dt.date | None
    acceptance_number: str | None
    application_uuid: str | None
    rights: tuple[str, ...]  #: normalised identifiers of the pledged rights
    #: every field by its path in the pledge document, with its text there
    fields: Mapping[str, str] = dataclasses.field(default_factory=dict, repr=False,
                                                  compare=False, metadata=NOT_IN_DICT)

    def field(self, path: str) -> str | None:
        """The text of the field at ``path`` in the pledge document
        (:meth:`pledger.Registry.pledge_xml`), None when this pledge has no
        such field; ``*`` (or ``right``, as in application paths) stands for the
        kind's element in ``rights/*[N]/...``."""
        for alias in ("rights/*[", "rights/right["):
            if path.startswith(alias):
                path = f"rights/{self.kind.api_name}" + path[len(alias) - 1:]
        return self.fields.get(path)

    @classmethod
    def from_fields(cls, fields: Mapping[str, str]) -> "Pledge":
        """The pledge whose fields by their paths in the pledge document are
        ``fields`` (``pledger_pledge_field``; pledgerd sends them as
        "fields")."""
        kind = Kind.from_name(fields["kind"])
        rights = []
        while (r := fields.get(f"rights/{kind.api_name}[{len(rights) + 1}]/identifier")
               ) is not None:
            rights.append(r)
        valid_to = fields.get("valid_to")
        return cls(
            number=fields["registration_number"],
            kind=kind,
            security=fields["security"],
            state=PledgeState.from_name(fields["state"]),
            version=int(fields["version"]),
            registered_at=from_iso(fields["registered_at"]),
            valid_from=from_iso(fields["valid_from"]),
            valid_to=from_iso(valid_to) if valid_to else None,
            pledgor_name=fields.get("pledgor/name"),
            pledgor_id=fields.get("pledgor/id"),
            pledgee_name=fields.get("pledgee/name"),
            pledgee_id=fields.get("pledgee/id"),
            amount=int(fields["amount"]),
            currency=fields.get("amount/@currency"),
            period_start=to_date(fields.get("period/start")),
            period_end=to_date(fields.get("period/end")),
            acceptance_number=fields.get("acceptance_number"),
            application_uuid=fields.get("application"),
            rights=tuple(rights),
            fields=dict(fields))


@dataclasses.dataclass(frozen=True)
class Rejection:
    """A record of a reference-register file that was not imported."""
    line: int
    message: str


@dataclasses.dataclass(frozen=True)
class ImportReport:
    """The outcome of a reference-register import."""
    inserted: int
    updated: int
    unchanged: int
    rejected: int           #: all rejected records (only the first ones are kept below)
    sha256: str | None
    rejections: tuple[Rejection, ...]


@dataclasses.dataclass(frozen=True)
class JournalCheck:
    """The answer of a journal verification."""
    intact: bool
    bad_seq: int | None     #: the first bad event, None when intact
    count: int              #: events verified
    message: str            #: what was wrong ("" when intact)


@dataclasses.dataclass(frozen=True)
class ReportsCheck:
    """The answer of a verification of the search reports."""
    intact: bool
    bad_number: int | None  #: the first report found wrong, None when intact
    count: int              #: reports verified
    message: str            #: what was wrong ("" when intact)


@dataclasses.dataclass(frozen=True)
class RightRank:
    """A pledged right of a verified pledge and the pledge's rank on it."""
    right_id: str   #: normalised identifier (masked where it embeds a resident number)
    rank: int       #: 1 = first among the pledges in force on it; 0 when not in force


@dataclasses.dataclass(frozen=True)
class Verification:
    """The answer to a verification of a registration number (and
    possibly a certificate's verification code) at an instant."""
    number: str
    kind: Kind
    security: str
    state: PledgeState
    version: int
    registered_at: _dt.datetime
    valid_from: _dt.datetime
    as_of: _dt.datetime | None       #: None: the current versions
    pledgor_name: str | None
    pledgor_id: str | None
    pledgee_name: str | None
    pledgee_id: str | None
    amount: int
    currency: str | None
    period_start: _dt.date | None
    period_end: _dt.date | None
    rights: tuple[RightRank, ...]
    rank: int                        #: the largest per-right rank; 0 when not in force
    code_status: Any                 #: a CodeStatus
    code_version: int                #: the version the matched certificate was issued for
    code_superseded_at: _dt.datetime | None
    #: the pledge version answered from, as :meth:`pledger.Registry.pledge`
    #: gives it (from a remote registry too: pledgerd sends its fields)
    pledge: Pledge | None = dataclasses.field(default=None, repr=False, compare=False,
                                              metadata=NOT_IN_DICT)

    @property
    def in_force(self) -> bool:
        """Active or under objection at the instant asked about."""
        return self.rank > 0


@dataclasses.dataclass(frozen=True)
class SearchHit:
    """One pledge a search found, read from its version valid at the
    query's instant."""
    number: str
    kind: Kind
    state: PledgeState
    version: int
    registered_at: _dt.datetime
    pledgor_name: str | None
    pledgor_id: str | None
    pledgee_name: str | None
    pledgee_id: str | None
    amount: int
    currency: str | None
    period_start: _dt.date | None
    period_end: _dt.date | None
    name_match: Any                  #: a NameMatch
    #: the pledge version found, as :meth:`pledger.Registry.pledge` gives it
    #: (from a remote registry too: pledgerd sends its fields)
    pledge: Pledge | None = dataclasses.field(default=None, repr=False, compare=False,
                                              metadata=NOT_IN_DICT)


@dataclasses.dataclass(frozen=True)
class Certificate:
    """An issued certificate of a pledge (``pledger_certificate``):
    :meth:`pledger.Registry.load_certificate`."""
    number: str                      #: the registration number
    version: int                     #: the pledge version it was issued for
    code: str                        #: the verification code, "XXXX-XXXX-XXXX-XXXX"
    #: a CertificateStatus: current, superseded, or the last certificate of a
    #: pledge that ended (cancelled, revoked, expired)
    status: Any
    issued_at: _dt.datetime
    superseded_at: _dt.datetime | None  #: None while no newer one superseded it
    xml: str = dataclasses.field(repr=False)  #: the certificate document

    @property
    def current(self) -> bool:
        """True while no newer certificate superseded it and the pledge is
        in force (status CURRENT)."""
        return self.status.api_name == "current"


@dataclasses.dataclass(frozen=True)
class DueItem:
    """One item of the due list."""
    what: Any                        #: a DueWhat
    subject: str                     #: an application UUID or a registration number
    kind: Kind
    date: _dt.date                   #: the due day (the last day allowed)
    days_left: int                   #: 0 due today, negative overdue


class DueList(list[DueItem]):
    """The due list: a list of :class:`DueItem`, and ``today``, the day it
    is for (the registry's day of the instant asked), from which each
    item's ``days_left`` counts."""

    def __init__(self, items: Any, today: _dt.date) -> None:
        super().__init__(items)
        self.today = today

    def __repr__(self) -> str:
        return f"DueList({list.__repr__(self)}, today={self.today!r})"


@dataclasses.dataclass(frozen=True)
class ApplicationEntry:
    """One application of a list (:meth:`pledger.Registry.applications`),
    without its document."""
    uuid: str
    kind: Kind
    state: Any                       #: an AppState, as it is today
    filed_by: str                    #: the actor that saved it
    saved_at: _dt.datetime           #: when it was first saved (UTC)
    updated_at: _dt.datetime         #: when its last step was taken (UTC)
    acceptance_number: str | None
    registration_number: str | None
    pledgor_name: str | None
    pledgee_name: str | None


@dataclasses.dataclass(frozen=True)
class CurrencyAmounts:
    """The secured amounts of one currency in statistics (minor units;
    None when the exact total does not fit in 64 bits)."""
    currency: str
    registered: int | None           #: registered in the period (as registered)
    active: int | None               #: in force at the end of the period


@dataclasses.dataclass(frozen=True)
class Stats:
    """The figures of a period."""
    start: _dt.date
    end: _dt.date
    kind: Kind | None
    office: str | None
    registrations: int
    cancellations: int
    active: int                      #: pledges in force at the end of the period
    amounts: tuple[CurrencyAmounts, ...]
