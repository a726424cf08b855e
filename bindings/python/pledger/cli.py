"""The command line: ``python3 -m pledger`` (installed as ``pledger``).

Run ``pledger --help`` for the subcommands and ``pledger COMMAND --help``
for each one.  Everything goes through the public Python API of this
package, so the command line shows what a script can do.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as _dt
import json
import os
import re
import sys
import unicodedata
from typing import Any, Callable, Mapping, NoReturn, Sequence, TextIO

from . import errors as E
from ._i18n import N_, NP_, _, ngettext, pgettext
from .application import Application
from .enums import AppState, Kind, PledgeState, Role, Severity, Site
from .registry import Registry
from .types import MAX_US, MIN_US, as_dict, from_us, iso, to_us

PROG = "pledger"

EXIT_OK = 0
EXIT_FAILED = 1      # review stops submission, verification failed, journal broken
EXIT_USAGE = 2
EXIT_NOT_FOUND = 3
EXIT_REFUSED = 4
EXIT_DATABASE = 5
EXIT_BUSY = 75       # busy, try again later: nothing was done (sysexits EX_TEMPFAIL)
EXIT_INTERNAL = 70   # an unexpected exception: a bug (sysexits EX_SOFTWARE)
EXIT_OUTPUT = 74     # the answer could not be written (sysexits EX_IOERR)

EPILOG = N_("""\
exit status:
  0  success
  1  the review found what stops submission (a blocking or correctable
     finding), a submission was refused for its review, a verification
     failed (unknown certificate code, pledge not in force), or the
     journal or the search reports are broken
  2  usage: a bad option or argument, an invalid value or document
  3  not found: the database file, an input file, an application, a pledge
  4  refused: not allowed in the current state, not allowed to the
     actor's role, a conflict with stored data (the right is already
     pledged), a wrong modification code
  5  database problem: read-only, damaged, not a pledger registry,
     written by a newer pledger, input/output (a service that cannot be
     reached, a certificate not taken), out of memory
  70 internal error: libpledger cannot be loaded, or an unexpected
     exception (a bug; please report the one-line message)
  74 the answer could not be written (a full disk, a closed pipe): what
     a writing command did is done, and its answer is on standard error
  75 busy, try again later: nothing was done -- the database stayed
     locked, or the service (--url) refused the request for now: too many
     requests for the account (HTTP 429; the message says in how many
     seconds), another verification running, the registry not opened
     for the request, or stopping (HTTP 503)
  130 interrupted (Ctrl-C); an interrupted import changes nothing

environment:
  PLEDGER_DB      default for --db (else ./pledger.db)
  PLEDGER_URL     default for --url: a pledgerd service asked instead of
                  the file, unless --db is given
  PLEDGER_TOKEN   default for --token
  PLEDGER_CACERT  default for --cacert
  PLEDGER_ACTOR   default for --actor
  PLEDGER_ROLE    default for --role (else each command's usual role)
  PLEDGER_NOW     take this instant as "now" (ISO 8601, e.g.
                  2024-04-01T02:00:00Z, or microseconds since the epoch):
                  for replays and tests
  PLEDGER_LANG    default for --lang
  PLEDGER_LIBRARY the libpledger to load (else libpledger.so.0)
  LANGUAGE, LC_ALL, LC_MESSAGES, LANG
                  the language without --lang and $PLEDGER_LANG, as
                  gettext reads them (LANGUAGE=zh_CN: Simplified Chinese)

Errors are written to standard error as one line (a JSON object with
--json).  Without --json the output is a readable table or text.
Control characters in what is printed (C0, DEL, C1) are shown escaped,
as \\x1b.  Instants are shown in the registry's time zone, to the
minute; --json gives them in ISO 8601 (UTC, "Z").
""")


class UsageError(Exception):
    """A command line that cannot run (exit status 2)."""


class _ParseError(UsageError):
    """argparse's refusal, already a whole line: it names the command
    (``pledger search: ...``) and must not be prefixed again; ``message``
    is what was wrong, without the command and the pointer to --help."""

    def __init__(self, prog: str, message: str) -> None:
        super().__init__(_("{prog}: {message} (see --help)").format(prog=prog,
                                                                    message=message))
        self.message = message


class Failed(Exception):
    """The command ran and its answer is negative (exit status 1)."""


@dataclasses.dataclass
class Result:
    """What a command answers: data for --json, text for people."""
    data: Any
    text: str
    status: int = EXIT_OK


# ---- output ------------------------------------------------------------------------

#: the control characters never written raw to a terminal: C0, DEL and C1
_CONTROL_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _hex(m: "re.Match[str]") -> str:
    return f"\\x{ord(m.group()):02x}"


def escape(s: str, keep_newlines: bool = False) -> str:
    """``s`` with every control character (U+0000-U+001F, U+007F-U+009F)
    written as ``\\xNN``, the way the library quotes them in its messages,
    so that nothing printed can drive the terminal; a value or a message
    (a line: a table's cell, a field, an error) with its format characters
    and separators too, as ``\\u202E`` (:func:`pledger.errors.shown`), so
    that none turns it around or hides part of it.  ``keep_newlines``: a
    whole text of several lines (a search report, a checkpoint), printed
    to be kept and checked as it is: its line breaks and its other
    characters as they are, its control characters escaped."""
    if keep_newlines:
        return _CONTROL_BUT_NEWLINE.sub(_hex, s)
    return E.shown(s)


def _json_char(ch: str) -> str:
    """@ch as a JSON \\u escape (a pair of them past U+FFFF)."""
    cp = ord(ch)
    if cp > 0xFFFF:
        cp -= 0x10000
        return f"\\u{0xD800 + (cp >> 10):04x}\\u{0xDC00 + (cp & 0x3FF):04x}"
    return f"\\u{cp:04x}"


def _json_text(data: Any, **kw: Any) -> str:
    """JSON of ``data`` in which DEL, C1, the format characters and the
    separators (U+202E, U+200B, U+2028: :func:`pledger.errors.shown`) are
    \\u escapes too (json.dumps escapes only C0, and writes the line
    breaks of its indentation as they are): the same data, none of it
    obeyed by the terminal it is read on."""
    text = json.dumps(data, ensure_ascii=False, **kw)
    if text.isascii() and "\x7f" not in text:
        return text
    return "".join(_json_char(ch) if ord(ch) >= 0x7f and E.unseen(ch) else ch for ch in text)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else
               0 if unicodedata.combining(c) else 1 for c in s)


def _pad(s: str, w: int) -> str:
    return s + " " * max(0, w - _width(s))


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain-text table; columns sized for CJK wide characters."""
    cells = [[escape("" if v is None else str(v)) for v in r] for r in rows]
    widths = [_width(h) for h in headers]
    for r in cells:
        for i, v in enumerate(r):
            widths[i] = max(widths[i], _width(v))
    lines = ["  ".join(_pad(h.upper(), widths[i]) for i, h in enumerate(headers)).rstrip()]
    for r in cells:
        lines.append("  ".join(_pad(v, widths[i]) for i, v in enumerate(r)).rstrip())
    return "\n".join(lines)


def fields(pairs: Sequence[tuple[str, Any]]) -> str:
    """``name: value`` lines, aligned."""
    w = max((_width(k) for k, _ in pairs), default=0)
    return "\n".join(f"{_pad(k + ':', w + 1)} {escape('' if v is None else str(v))}"
                     for k, v in pairs)


def money(amount: int | None, currency: str | None) -> str:
    """An amount as people read it: "3,000,000.00 CNY"."""
    if amount is None:
        return ""
    from .money import format_money
    try:
        text = format_money(amount, currency or "CNY")
    except E.Error:  # a currency this library does not know: minor units
        return f"{amount} {currency or ''}".rstrip()
    return f"{text} {currency or ''}".rstrip()


#: what people read for each enumeration value (the codes stay in --json)
_LABELS: dict[tuple[str, str], tuple[str, str]] = {k: k for k in [
    NP_("kind", "trademark"), NP_("kind", "patent"), NP_("kind", "receivable"),
    NP_("kind", "equity"), NP_("kind", "emission"), NP_("kind", "sea_area"),
    NP_("kind", "land"),
    NP_("state", "draft"), NP_("state", "reviewed"), NP_("state", "submitted"),
    NP_("state", "accepted"), NP_("state", "correction_requested"),
    NP_("state", "registered"), NP_("state", "refused"), NP_("state", "withdrawn"),
    NP_("state", "forwarded"), NP_("site", "office"), NP_("site", "acceptance_point"),
    NP_("state", "active"), NP_("state", "cancelled"), NP_("state", "revoked"),
    NP_("state", "expired"), NP_("state", "under_objection"),
    NP_("severity", "blocking"), NP_("severity", "correctable"), NP_("severity", "risk"),
    NP_("severity", "notice"),
    NP_("due", "acceptance"), NP_("due", "registration"), NP_("due", "correction"),
    NP_("due", "expiry"), NP_("due", "objection"),
    NP_("match", "none"), NP_("match", "exact"), NP_("match", "similar"),
    NP_("match", "branch"),
    NP_("code", "not_given"), NP_("code", "matched"), NP_("code", "superseded"),
    NP_("role", "applicant"), NP_("role", "clerk"), NP_("role", "registrar"),
    NP_("role", "bank"), NP_("role", "auditor"),
    NP_("security", "pledge"), NP_("security", "mortgage"),
    NP_("report", "search"), NP_("report", "verification"),
]}


def label(context: str, value: Any) -> str:
    """The word people read for an enumeration value (``api_name``) of
    ``context`` ("kind", "state", "severity", "due", "match", "code",
    "role", "security")."""
    name = getattr(value, "api_name", value)
    if (context, name) in _LABELS:
        return pgettext(context, name)
    return str(name)


#: what a Chinese counter types for a choice besides the word the
#: catalogue gives it (label(), in Chinese whatever the language shown)
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "trademark": ("商标", "注册商标", "商标权"), "patent": ("专利",),
    "equity": ("公司股权",), "emission": ("排污许可",), "sea_area": ("海域",),
    "land": ("土地经营权", "农村土地经营权"),
    "active": ("正常",), "cancelled": ("注销",), "revoked": ("撤销",),
    "expired": ("到期", "已期满", "期满"), "under_objection": ("异议",),
    "reviewed": ("已预审",), "correction_requested": ("补正",), "withdrawn": ("撤回",),
    "either": ("任一方", "双方"), "pledgor": ("出质人",), "pledgee": ("质权人",),
    "uscc": ("统一社会信用代码", "社会信用代码"), "resident": ("居民身份证", "身份证"),
    "passport": ("护照",), "foreign_reg": ("境外登记号", "境外注册号"),
}


def _fold_word(text: str) -> str:
    return re.sub(r"[\s_-]+", "_", unicodedata.normalize("NFKC", text).strip().lower())


def _choice(context: str, names: Sequence[str]) -> Callable[[str], str]:
    """An option's converter to one of @names: the name itself in any
    case, full width, with '-' or a space for '_', or its Chinese word
    (the catalogue's label of @context, and _SYNONYMS), whatever the
    language shown.  Anything else is left for argparse to refuse,
    listing the choices."""
    from ._i18n import _catalogue
    zh = _catalogue("zh_CN")
    table: dict[str, str] = {}
    for n in names:
        words = [n, *_SYNONYMS.get(n, ())]
        if (context, n) in _LABELS:
            words.append(zh.pgettext(context, n))
        for w in words:
            table.setdefault(_fold_word(w), n)

    def convert(text: str) -> str:
        return table.get(_fold_word(text), text)
    convert.__name__ = context
    return convert


class Clock:
    """How the command line shows instants: in the registry's time zone
    (an attribute of the registry, by default Asia/Shanghai), to the
    minute, with the offset: "2026-12-03 17:05 +08:00"."""

    def __init__(self, zone_name: str | None) -> None:
        self.name = zone_name or "UTC"
        self.zone: _dt.tzinfo = _dt.timezone.utc
        if zone_name:
            try:
                import zoneinfo
                self.zone = zoneinfo.ZoneInfo(zone_name)
            except Exception:  # noqa: BLE001 (no zone database: UTC, said so)
                self.name = "UTC"

    def __call__(self, t: _dt.datetime | _dt.date | None) -> str:
        if t is None:
            return ""
        if not isinstance(t, _dt.datetime):
            return t.isoformat()
        try:
            local = t.astimezone(self.zone)
        except OverflowError:   # the zone's offset takes it past the year 9999 (or 1)
            local = t.astimezone(_dt.timezone.utc)
        off = local.strftime("%z")
        off = f"{off[:3]}:{off[3:]}" if off else "+00:00"
        return f"{local:%Y-%m-%d %H:%M} {off}"


#: the clock of the command running (set in :func:`run`)
when = Clock(None)


# ---- the commands ------------------------------------------------------------------

Handler = Callable[[Registry, argparse.Namespace], Result]


@dataclasses.dataclass
class Command:
    name: str
    help: str
    handler: Handler
    role: str | None        # the usual role (None: no actor needed)
    access: str             # "init", "write" or "read"
    setup: Callable[[argparse.ArgumentParser], None]


COMMANDS: dict[str, Command] = {}


def command(name: str, help: str, *, role: str | None = None, access: str = "write",
            args: Callable[[argparse.ArgumentParser], None] = lambda p: None
            ) -> Callable[[Handler], Handler]:
    def deco(fn: Handler) -> Handler:
        COMMANDS[name] = Command(name, help, fn, role, access, args)
        return fn
    return deco


#: the most the library reads of a document (PL_XML_MAX_SIZE), and of an
#: exchange batch (PL_EXCHANGE_MAX_SIZE)
DOCUMENT_MAX = 16 * 1024 * 1024
# a <filings> document holds many: the library reads up to 256 MiB of one
FILINGS_MAX = 256 * 1024 * 1024
BATCH_MAX = 128 * 1024 * 1024
REGISTER_STDIN_MAX = 1024 * 1024 * 1024


def _read_input(path: str, binary: bool = False, limit: int = DOCUMENT_MAX) -> Any:
    """The whole of file @path ("-": standard input), refused past @limit
    bytes (characters, read as text) before more is read: /dev/zero or a
    wrong file is an error naming it, not all the memory there is."""
    name = "standard input" if path == "-" else path
    if path == "-" and not binary and not hasattr(sys.stdin, "buffer"):
        data = sys.stdin.read(limit + 1)   # a text stream put in its place (tests, embedding)
        if len(data) > limit:
            raise UsageError(_("{file}: larger than {limit} bytes, the most the library "
                               "reads of it").format(file=name, limit=limit))
        return re.sub("\r\n?", "\n", data)
    if path == "-":
        data = sys.stdin.buffer.read(limit + 1)
    else:
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    if len(data) > limit:
        raise UsageError(_("{file}: larger than {limit} bytes, the most the library reads "
                           "of it").format(file=name, limit=limit))
    if binary:
        return data
    # text: UTF-8, or refused naming the line (Python's codec message named
    # neither the file nor the line, and standard input read with the
    # locale's errors said "a lone surrogate"); line ends as text mode reads them
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise UsageError(_("{file}: line {line}: not UTF-8 text (byte 0x{byte:02x})").format(
            file=name, line=data[:e.start].count(b"\n") + 1, byte=data[e.start])) from None
    return re.sub("\r\n?", "\n", text)


#: The library's bounds of a page of search hits, of a list of applications
#: or of reports (query.h: page_size, limit) and of a due list's horizon
#: in days (query.h: within_days).
LIST_MAX = 10000
WITHIN_DAYS_MAX = 3650


#: full-width forms (U+FF01..U+FF5E) and the ideographic space as their
#: ASCII, and U+2212 MINUS SIGN as '-': numbers and instants as people type
#: them at a Chinese keyboard, as the library reads dates and identifiers
_HALF_WIDTH = {**{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}, 0x3000: 0x20, 0x2212: 0x2D}


def half_width(text: str) -> str:
    """@text with its full-width forms as ASCII (``_HALF_WIDTH``)."""
    return text.translate(_HALF_WIDTH)


class IntOption:
    """The type of a numeric option: an integer that fits the C type the
    library takes (``ctype``), at least ``minimum`` and at most
    ``maximum`` (the library's own bound where it has one, so that the
    range a refusal states is the range the command takes); anything else
    is a usage error (exit status 2) naming the option, never an overflow.
    The range is checked by the bindings' own conversion (``_ffi.cint``)."""

    def __init__(self, ctype: str = "int", minimum: int = 0,
                 maximum: int | None = None) -> None:
        self.ctype = ctype
        self.minimum = minimum
        self.maximum = maximum
        self.__name__ = "integer"   # argparse names the type in its messages

    def __call__(self, text: str) -> int:
        from ._ffi import cint
        t = half_width(text).strip()
        if not re.fullmatch(r"[+-]?[0-9]+", t):
            raise argparse.ArgumentTypeError(_("{text!r} is not an integer").format(text=text))
        try:
            v = int(t)
        except ValueError:  # more digits than Python converts: far out of range
            v = (-1 if t.startswith("-") else 1) << 100_000
        try:
            return cint(v, _("the value"), self.ctype, self.minimum, self.maximum)
        except E.InvalidArgument as e:
            raise argparse.ArgumentTypeError(e.message) from None


def _uuid_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("uuid", help=_("the application's UUID"))


def _number_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("number", help=_("the registration number"))


def _office_code(s: str) -> str:
    """An office code as typed: full-width forms and lower case folded, the
    white space around it dropped ("bj00", "ＢＪ００ " are BJ00); the library
    says what is wrong with one that is none."""
    return unicodedata.normalize("NFKC", s).strip().upper()


def _init_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--office", metavar="CODE", type=_office_code,
                   help=_("the registry's default office code (A-Z, 0-9, '-'; default "
                          "PLEDGER)"))
    p.add_argument("--acceptance-point-of", metavar="OFFICE", type=_office_code,
                   help=_("make it an acceptance point that forwards to the office OFFICE "
                          "(it never registers); only while it holds no application"))


@command("init", N_("create a registry database (or check an existing one)"), access="init",
         args=_init_args)
def cmd_init(reg: Registry, a: argparse.Namespace) -> Result:
    created = getattr(a, "_created", False)
    upstream = a.acceptance_point_of
    if upstream is not None and (reg.site != Site.ACCEPTANCE_POINT or
                                 reg.upstream != upstream):
        reg.set_actor(os.environ.get("PLEDGER_ACTOR") or "init", Role.REGISTRAR)
        try:
            reg.set_site(Site.ACCEPTANCE_POINT, upstream)
        except E.Error:
            # refused (an office code that is none): the registry this
            # command made is not left behind as an office's
            if created and a.db != ":memory:":
                reg.close()
                for f in (a.db, a.db + "-wal", a.db + "-shm", a.db + "-journal"):
                    try:
                        os.unlink(f)
                    except FileNotFoundError:
                        pass
            raise
    data = {"db": a.db, "created": created, "office": reg.office, "site": reg.site.api_name,
            "upstream": reg.upstream}
    text = (_("created {db} (office {office})") if created else
            _("already a registry: {db} (office {office})"))
    text = text.format(db=a.db, office=reg.office)
    if reg.site == Site.ACCEPTANCE_POINT:
        text += "\n" + _("an acceptance point of office {office}").format(office=reg.upstream)
    return Result(data, text)


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help=_("the reference register (XML, register.xsd); - reads stdin"))
    p.add_argument("--progress", choices=["auto", "always", "never"], default="auto",
                   help=_("progress bar on standard error: when it is a terminal (auto)"))


class _ProgressBar:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.last = ""

    def __call__(self, records: int, done: int, total: int) -> None:
        if total:
            frac = min(1.0, done / total)
            bar = "#" * int(frac * 30)
            line = "\r" + _("[{bar}] {percent}%  {records} records").format(
                bar=f"{bar:<30}", percent=f"{frac * 100:5.1f}", records=f"{records:,}")
        else:
            line = "\r" + _("{records} records, {mb} MB").format(
                records=f"{records:,}", mb=f"{done / 1e6:.1f}")
        if line != self.last:
            self.stream.write(line)
            self.stream.flush()
            self.last = line

    def finish(self) -> None:
        if self.last:
            self.stream.write("\n")
            self.stream.flush()


@command("register-import", N_("import the reference register of rights"), role="registrar",
         args=_import_args)
def cmd_register_import(reg: Registry, a: argparse.Namespace) -> Result:
    show = a.progress == "always" or (a.progress == "auto" and sys.stderr.isatty())
    bar = _ProgressBar(sys.stderr) if show else None
    # a file is read as a stream, whatever its size; standard input is held
    # in memory, up to 1 GiB
    source: Any = (_read_input("-", binary=True, limit=REGISTER_STDIN_MAX) if a.file == "-"
                   else a.file)
    if a.file != "-" and not os.path.exists(a.file):
        raise FileNotFoundError(2, "No such file or directory", a.file)
    try:
        r = reg.register_import(source, progress=bar)
    finally:
        if bar:
            bar.finish()
    text = fields([(_("inserted"), f"{r.inserted:,}"), (_("updated"), f"{r.updated:,}"),
                   (_("unchanged"), f"{r.unchanged:,}"), (_("rejected"), f"{r.rejected:,}"),
                   ("sha256", r.sha256)])
    if r.rejections:
        text += "\n\n" + table([_("line"), _("rejected because")],
                               [(x.line, x.message) for x in r.rejections])
    return Result(as_dict(r), text)


def _apply_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help=_("the application (XML); - reads stdin"))
    p.add_argument("--key", metavar="KEY",
                   help=_("your name of this application (1 to 128 of A-Z a-z 0-9 . _ : -): "
                          "the same file stored again under it is stored once, and the "
                          "command prints the UUID stored then"))


@command("apply", N_("store a new application from its XML document; prints its UUID"),
         role="applicant", args=_apply_args)
def cmd_apply(reg: Registry, a: argparse.Namespace) -> Result:
    app = Application.from_xml(_read_input(a.file, binary=True))
    with app:
        uuid = reg.save(app, key=a.key)
        data = {"uuid": uuid, "kind": app.kind.api_name, "state": app.state.api_name}
    return Result(data, uuid)


@command("review", N_("review an application: every finding, as a table"), role="applicant",
         args=_uuid_arg)
def cmd_review(reg: Registry, a: argparse.Namespace) -> Result:
    return _review_result(reg.review(a.uuid), {"uuid": a.uuid})


def _file_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help=_("the application document (XML; - for "
                                                   "standard input)"))


@command("check", N_("review a document without saving it: every finding, as a table"),
         access="read", args=_file_arg)
def cmd_check(reg: Registry, a: argparse.Namespace) -> Result:
    app = Application.from_xml(_read_input(a.file, binary=True))
    return _review_result(reg.check(app), {"file": a.file})


def _review_result(rv: Any, data: dict) -> Result:
    """The findings of a review (stored or not) as a table, exit 1 when
    they stop its submission."""
    counts = {s.api_name: rv.count(s) for s in Severity}
    data = {**data, "findings": as_dict(list(rv.findings)), "counts": counts,
            "blocking": rv.blocking, "submittable": not rv.stops_submission}
    verdict = (_("it cannot be submitted as it is") if rv.stops_submission else
               _("it can be submitted"))
    if rv.findings:
        summary = _(", ").join(f"{n} {label('severity', k)}" for k, n in counts.items() if n)
        text = table([_("severity"), _("code"), _("path"), _("message"), _("basis")],
                     [(label("severity", f.severity), f.code, f.path, f.message, f.basis)
                      for f in rv.findings])
        text += "\n\n" + ngettext("{n} finding ({summary}); {verdict}",
                                  "{n} findings ({summary}); {verdict}", len(rv)).format(
            n=len(rv), summary=summary, verdict=verdict)
    else:
        text = _("no findings; {verdict}").format(verdict=verdict)
    return Result(data, text, EXIT_FAILED if rv.stops_submission else EXIT_OK)


@command("submit", N_("submit a reviewed application"), role="applicant", args=_uuid_arg)
def cmd_submit(reg: Registry, a: argparse.Namespace) -> Result:
    reg.submit(a.uuid)
    return Result({"uuid": a.uuid, "state": "submitted"},
                  _("submitted {uuid}").format(uuid=a.uuid))


@command("withdraw", N_("withdraw an application that has not been decided"),
         role="applicant", args=_uuid_arg)
def cmd_withdraw(reg: Registry, a: argparse.Namespace) -> Result:
    reg.withdraw(a.uuid)
    return Result({"uuid": a.uuid, "state": "withdrawn"},
                  _("withdrew {uuid}").format(uuid=a.uuid))


@command("accept", N_("accept a submitted application; prints its acceptance number"),
         role="clerk", args=_uuid_arg)
def cmd_accept(reg: Registry, a: argparse.Namespace) -> Result:
    num = reg.accept(a.uuid)
    return Result({"uuid": a.uuid, "acceptance_number": num}, num)


def _reqcorr_args(p: argparse.ArgumentParser) -> None:
    _uuid_arg(p)
    p.add_argument("--note", required=True, help=_("what must be corrected (shown to the "
                                                   "applicant)"))


@command("request-correction", N_("ask the applicant to correct an accepted application "
                                  "(30 days)"), role="clerk", args=_reqcorr_args)
def cmd_request_correction(reg: Registry, a: argparse.Namespace) -> Result:
    reg.request_correction(a.uuid, a.note)
    return Result({"uuid": a.uuid, "state": "correction_requested", "note": a.note},
                  _("correction requested for {uuid}").format(uuid=a.uuid))


def _correct_args(p: argparse.ArgumentParser) -> None:
    _uuid_arg(p)
    p.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                   help=_("set a field of the document (repeatable), e.g. "
                          "--set 'rights/right[1]/goods=罐头'"))
    p.add_argument("--unset", action="append", default=[], metavar="PATH",
                   help=_("remove a field (repeatable)"))


@command("correct", N_("record the corrected document of an application awaiting "
                       "correction"), role="clerk", args=_correct_args)
def cmd_correct(reg: Registry, a: argparse.Namespace) -> Result:
    edits = []
    for s in a.set:
        path, eq, value = s.partition("=")
        if not eq or not path:
            raise UsageError(_("--set {value!r}: expected PATH=VALUE").format(value=s))
        edits.append((path, value))
    with reg.load(a.uuid) as app:
        for path, value in edits:
            app.set(path, value)
        for path in a.unset:
            app.set(path, None)
        reg.correct(app)
        state = app.state.api_name
    return Result({"uuid": a.uuid, "state": state, "changed": len(edits) + len(a.unset)},
                  _("corrected {uuid}: {state}").format(uuid=a.uuid,
                                                        state=label("state", state)))


@command("register", N_("register an accepted application; prints the registration number"),
         role="registrar", args=_uuid_arg)
def cmd_register(reg: Registry, a: argparse.Namespace) -> Result:
    r = reg.register(a.uuid)
    text = r.number
    if r.modcode:
        text += "\n" + _("modification code: {modcode}\n(keep it: it is shown only this "
                         "once and needed for every change, extension or "
                         "cancellation)").format(modcode=r.modcode)
    return Result({"uuid": a.uuid, "number": r.number, "modcode": r.modcode}, text)


def _applications_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--state", action="append", default=[], choices=AppState.api_names(),
                   type=_choice("state", AppState.api_names()),
                   help=_("only applications in this state (today's: one whose correction "
                          "window closed is withdrawn); again for several"))
    p.add_argument("--kind", choices=Kind.api_names(), type=_choice("kind", Kind.api_names()),
                   help=_("one right kind only"))
    p.add_argument("--filed-by", metavar="NAME",
                   help=_("only those saved by this account (an applicant lists its own only)"))
    p.add_argument("--after", metavar="UUID",
                   help=_("only those saved after this application (the next page)"))
    p.add_argument("--limit", type=IntOption("int", 1, LIST_MAX), default=1000, metavar="N",
                   help=_("at most N applications (1 to 10000; default 1000)"))


@command("applications", N_("list applications in the order they were saved: an acceptance "
                            "point's queue (--state submitted), an applicant's own"),
         role="clerk", access="read", args=_applications_args)
def cmd_applications(reg: Registry, a: argparse.Namespace) -> Result:
    rows = reg.applications(a.state or None, kind=a.kind, filed_by=a.filed_by,
                            after=a.after, limit=a.limit)
    data = {"count": len(rows), "applications": [as_dict(r) for r in rows],
            "next_after": rows[-1].uuid if rows and len(rows) == a.limit else None}
    if not rows:
        return Result(data, _("no applications"))
    text = table([_("UUID"), _("kind"), _("state"), _("saved"), _("saved by"), _("pledgor"),
                  _("number")],
                 [(r.uuid, label("kind", r.kind), label("state", r.state), when(r.saved_at),
                   r.filed_by, r.pledgor_name or "",
                   r.registration_number or r.acceptance_number or "") for r in rows])
    if data["next_after"]:
        text += "\n" + _("more: --after {uuid}").format(uuid=data["next_after"])
    return Result(data, text)


def _file_batch_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE",
                   help=_("the applications (XML), one file each, all of one kind; or "
                          "<filings> documents, each holding several (what POST "
                          "/v1/filings takes)"))
    p.add_argument("--batch-key", metavar="KEY",
                   help=_("your name of the batch (1 to 128 of A-Z a-z 0-9 . _ : -): the "
                          "same files sent again under it are filed once, and the command "
                          "shows what was registered; with --url and no key, the batch is "
                          "keyed by its documents and the day (the same command run again "
                          "that day files nothing twice)"))


def _root_is(data: bytes, name: str) -> bool:
    """The document @data's root element is named @name (whatever its
    prefix): its first tag that is not a declaration, comment or DOCTYPE."""
    m = re.search(rb"<(?![?!])(?:[\w.-]+:)?([\w.-]+)", data)
    return bool(m) and m.group(1) == name.encode()


@command("file-batch", N_("file many receivable registrations at once (bulk filing): every "
                          "item is registered, or none"), role="applicant",
         args=_file_batch_args)
def cmd_file_batch(reg: Registry, a: argparse.Namespace) -> Result:
    apps: list[Application] = []
    names: list[str] = []   # where each came from: FILE, or FILE[i] of a <filings>
    try:
        for f in a.files:
            data = _read_input(f, binary=True, limit=FILINGS_MAX)
            try:
                if _root_is(data, "filings"):
                    more = Application.list_from_filings(data)
                    names += [f"{f}[{i + 1}]" for i in range(len(more))]
                    apps += more
                else:
                    apps.append(Application.from_xml(data))
                    names.append(f)
            except E.Error as e:
                raise type(e)(e.code, f"{f}: {e.message}") from None
        key = a.batch_key
        if key is None and getattr(a, "url", None):
            # over the network an answer can be lost (a timeout, a dropped
            # connection) and the command run again: without a key of the
            # user's the batch is keyed by what it files and the day, so that
            # running the same command again files nothing twice (the same
            # documents filed on purpose on another day, or under another
            # --batch-key, are filed again)
            import datetime
            import hashlib
            digest = hashlib.sha256()
            for app in apps:
                digest.update(app.to_xml().encode("utf-8") + b"\0")
            key = f"content:{datetime.date.today():%Y%m%d}:{digest.hexdigest()}"
        try:
            items = reg.file_batch(apps, key=key)
            filed, message = True, ""
        except E.ReviewBlocked as e:
            items, filed, message = e.items, False, e.message
            # the library names the first blocked item by its index from 0
            # ("the first: item 2, ..."): the file it came from says which
            first = next((i for i, it in enumerate(items) if it.blocked), None)
            if first is not None and first < len(names):
                for said in (f"item {first},", f"第 {first} 项，"):
                    if said in message:
                        message = message.replace(said, f"{names[first]}{said[-1]}", 1)
                        break
        except E.Error as e:
            # the library counts the items from 0 ("item 3: register: ..."):
            # the file the item came from says which
            m = re.match(r"(?:pledger_[a-z0-9_]+: )?item ([0-9]+): ", e.library_message)
            if m and int(m.group(1)) < len(names):
                raise type(e)(e.code, f"{names[int(m.group(1))]}: "
                              f"{e.library_message[m.end():]}") from None
            raise
    finally:
        for app in apps:
            app.close()
    rows = [{"file": f, "uuid": it.uuid, "acceptance_number": it.acceptance_number,
             "number": it.number, "modcode": it.modcode, "blocked": it.blocked,
             "findings": as_dict(list(it.review.findings))}
            for f, it in zip(names, items)]
    replayed = filed and any(it.replayed for it in items)
    data = {"filed": filed, "replayed": replayed, "count": len(rows), "message": message,
            "items": rows}
    if replayed:
        text = table([_("file"), _("registration number")],
                     [(r["file"], r["number"]) for r in rows])
        text += "\n\n" + ngettext("{n} registration was filed before under key {key}; nothing "
                                   "was filed now (the modification codes were shown then)",
                                   "{n} registrations were filed before under key {key}; "
                                   "nothing was filed now (the modification codes were shown "
                                   "then)", len(rows)).format(n=len(rows), key=a.batch_key)
        return Result(data, text)
    if filed:
        text = table([_("file"), _("registration number"), _("modification code")],
                     [(r["file"], r["number"], r["modcode"]) for r in rows])
        text += "\n\n" + ngettext("{n} registration filed (keep the modification codes: "
                                   "they are shown only this once)",
                                   "{n} registrations filed (keep the modification codes: "
                                   "they are shown only this once)", len(rows)).format(
            n=len(rows))
        return Result(data, text)
    text = table([_("file"), _("severity"), _("code"), _("path"), _("message")],
                 [(r["file"], label("severity", f.severity), f.code, f.path, f.message)
                  for r, it in zip(rows, items) if it.blocked for f in it.review.findings
                  if f.severity in (Severity.BLOCKING, Severity.CORRECTABLE)])
    text += "\n\n" + message
    return Result(data, text, EXIT_FAILED)


def _exchange_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["export", "import", "status"],
                   help=_("export: print the next batch for --to; import: take a batch "
                          "(prints the receipt to send back) or a receipt; status: the "
                          "lines"))
    p.add_argument("file", nargs="?", help=_("import: the batch or receipt (XML); - reads "
                                             "stdin"))
    p.add_argument("--to", metavar="OFFICE", type=_office_code,
                   help=_("export: the office (or acceptance "
                                                    "point) it goes to"))
    p.add_argument("--key", action="append", default=[], metavar="NAME=PEMFILE",
                   help=_("this site's certificate private key (ECDSA P-256 or RSA, PEM): "
                          "signs batches and receipts"))
    p.add_argument("--trust", action="append", default=[], metavar="NAME=PEMFILE",
                   help=_("import: a peer's certificate public key, named by its office "
                          "code; repeatable"))


@command("exchange", N_("the data line between an acceptance point and its office: export "
                        "a batch, import a batch or receipt, show the lines"), role="clerk",
         args=_exchange_args)
def cmd_exchange(reg: Registry, a: argparse.Namespace) -> Result:
    if a.action == "status":
        lines = reg.exchange_status()
        data = {"site": reg.site.api_name, "upstream": reg.upstream,
                "lines": [as_dict(x) for x in lines]}
        text = fields([(_("site"), label("site", reg.site.api_name))] +
                      ([(_("office"), reg.upstream)] if reg.upstream else []))
        if lines:
            text += "\n\n" + table(
                [_("peer"), _("last sent"), _("acknowledged"), _("last received"),
                 _("pending")],
                [(x.peer, x.last_sent, x.last_acked, x.last_received, x.pending)
                 for x in lines])
        return Result(data, text)
    if a.action == "export":
        if not a.to:
            raise UsageError(_("exchange export needs --to OFFICE"))
        if a.file:
            raise UsageError(_("exchange export takes no file; redirect its output"))
        if not a.key:
            raise UsageError(_("exchange export needs --key NAME=PEMFILE (this site's "
                               "certificate key)"))
        xml = reg.exchange_export(a.to, _keyring(a.key, "--key")).decode("utf-8")
        return Result({"to": a.to, "bytes": len(xml.encode("utf-8")), "xml": xml},
                      xml.rstrip("\n"))
    if not a.file:
        raise UsageError(_("exchange import needs the file of the batch or receipt"))
    if not a.trust:
        raise UsageError(_("exchange import needs --trust NAME=PEMFILE (the peer's key)"))
    data_in = _read_input(a.file, binary=True, limit=BATCH_MAX)
    trusted, signers = _keyring(a.trust, "--trust"), _keyring(a.key, "--key") if a.key else None
    try:
        receipt = reg.exchange_import(data_in, trusted, signers)
    except (E.InvalidDocument, E.InvalidArgument, E.CodeMismatch, E.Conflict,
            E.WrongState) as e:
        raise _of_file(a.file, e) from None
    if receipt is None:
        return Result({"file": a.file, "kind": "receipt", "receipt": None},
                      _("receipt taken: the batch it acknowledges is closed"))
    text = receipt.decode("utf-8")
    return Result({"file": a.file, "kind": "batch", "receipt": text}, text.rstrip("\n"))


@command("application-certificate", N_("print the certificate of a registered application "
                                       "as its office issued it (XML)"), role="clerk",
         access="read", args=_uuid_arg)
def cmd_application_certificate(reg: Registry, a: argparse.Namespace) -> Result:
    xml = reg.application_certificate(a.uuid)
    return Result({"uuid": a.uuid, "xml": xml}, xml.rstrip("\n"))


def _refuse_args(p: argparse.ArgumentParser) -> None:
    _uuid_arg(p)
    p.add_argument("--ground", required=True,
                   help=_("the refusal ground code, e.g. TM_SEIZED"))
    p.add_argument("--note", help=_("an explanation"))


@command("refuse", N_("refuse an accepted application"), role="registrar", args=_refuse_args)
def cmd_refuse(reg: Registry, a: argparse.Namespace) -> Result:
    reg.refuse(a.uuid, a.ground, a.note)
    return Result({"uuid": a.uuid, "state": "refused", "ground": a.ground},
                  _("refused {uuid} ({ground})").format(uuid=a.uuid, ground=a.ground))


def _modcode(p: argparse.ArgumentParser) -> None:
    p.add_argument("--modcode", metavar="CODE",
                   help=_("the modification code (receivables)"))


def _note(p: argparse.ArgumentParser) -> None:
    p.add_argument("--note", help=_("why (recorded in the journal)"))


def _change_args(p: argparse.ArgumentParser) -> None:
    _number_arg(p)
    p.add_argument("--pledgor-name", metavar="NAME", help=_("the pledgor's new name"))
    p.add_argument("--pledgee-name", metavar="NAME", help=_("the pledgee's new name"))
    p.add_argument("--amount", metavar="AMOUNT",
                   help=_("the new secured amount in the pledge's currency, as written: "
                          "3000000, 3,000,000.00, 300万, 300万元, 3.5亿"))
    _note(p)
    _modcode(p)


def _kept(reg: Registry, number: str) -> str:
    """The registration number as the registry keeps it: the library reads
    one as typed ("r-fz01-tm-2024-000001"); what is printed names it as
    issued.  Over --url it is left as typed: one more question to the
    service would be one more search report in the bank's name."""
    return reg.pledge(number).number if isinstance(reg, Registry) else number


def _pledge_summary(reg: Registry, number: str, verb: str) -> Result:
    """``verb`` is a message with {number}, {state} and {version}."""
    p = reg.pledge(number)
    number = p.number
    data = {"number": number, "state": p.state.api_name, "version": p.version,
            "amount": p.amount, "currency": p.currency, "period_end": iso(p.period_end)}
    return Result(data, verb.format(number=number, state=label("state", p.state),
                                    version=p.version))


@command("change", N_("change party names or the secured amount of a pledge"),
         role="registrar", args=_change_args)
def cmd_change(reg: Registry, a: argparse.Namespace) -> Result:
    if a.pledgor_name is None and a.pledgee_name is None and a.amount is None:
        raise UsageError(_("change: give at least one of --pledgor-name, --pledgee-name, "
                           "--amount"))
    amount = None
    if a.amount is not None:
        from .money import parse_money
        # the form first, before any lookup ("ten" is a usage error even
        # for an unknown number); then in the pledge's currency, which may
        # take more decimals than CNY's two (KWD 1.555) or fewer (JPY)
        form: E.InvalidArgument | None = None
        try:
            amount = parse_money(a.amount, "CNY")
        except E.InvalidArgument as e:
            form = e
        try:
            currency = reg.pledge(a.number).currency or "CNY"
        except E.Error:
            if form is not None:
                raise UsageError(f"--amount: {form.message}") from None
            raise
        try:
            if currency != "CNY":
                amount = parse_money(a.amount, currency)
            elif form is not None:
                raise form
        except E.InvalidArgument as e:
            raise UsageError(f"--amount: {e.message}") from None
        if amount < 1:
            raise UsageError(_("--amount: {value!r} is not a positive amount").format(
                value=a.amount))
    reg.change(a.number, pledgor_name=a.pledgor_name, pledgee_name=a.pledgee_name,
               amount=amount, note=a.note, modcode=a.modcode)
    return _pledge_summary(reg, a.number,
                           _("changed {number}: {state}, version {version}"))


def _extend_args(p: argparse.ArgumentParser) -> None:
    _number_arg(p)
    p.add_argument("new_end", metavar="YYYY-MM-DD", help=_("the new end of the period"))
    _modcode(p)


@command("extend", N_("extend the registration period of a pledge"), role="registrar",
         args=_extend_args)
def cmd_extend(reg: Registry, a: argparse.Namespace) -> Result:
    reg.extend(a.number, a.new_end, a.modcode)
    return _pledge_summary(reg, a.number,
                           _("extended {number}: {state}, version {version}"))


def _cancel_args(p: argparse.ArgumentParser) -> None:
    _number_arg(p)
    _modcode(p)
    _note(p)


@command("cancel", N_("cancel a pledge"), role="registrar", args=_cancel_args)
def cmd_cancel(reg: Registry, a: argparse.Namespace) -> Result:
    reg.cancel(a.number, a.modcode, a.note)
    return _pledge_summary(reg, a.number,
                           _("cancelled {number}: {state}, version {version}"))


def _revoke_args(p: argparse.ArgumentParser) -> None:
    _number_arg(p)
    p.add_argument("--ground", required=True, help=_("the ground code, e.g. CONTRACT_VOID"))
    _note(p)


@command("revoke", N_("revoke a registration"), role="registrar", args=_revoke_args)
def cmd_revoke(reg: Registry, a: argparse.Namespace) -> Result:
    reg.revoke(a.number, a.ground, a.note)
    return _pledge_summary(reg, a.number,
                           _("revoked {number}: {state}, version {version}"))


def _object_args(p: argparse.ArgumentParser) -> None:
    _number_arg(p)
    p.add_argument("--objector", required=True, help=_("who objects (name)"))
    _note(p)


@command("object", N_("register an objection to a receivable pledge"), role="applicant",
         args=_object_args)
def cmd_object(reg: Registry, a: argparse.Namespace) -> Result:
    reg.object(a.number, a.objector, a.note)
    return _pledge_summary(reg, a.number,
                           _("objection registered on {number}: {state}, "
                             "version {version}"))


@command("record-litigation", N_("record that litigation was filed on the objection to a receivable "
                          "pledge: the objection no longer lapses"), role="registrar",
         args=_number_arg)
def cmd_litigation(reg: Registry, a: argparse.Namespace) -> Result:
    reg.record_litigation(a.number)
    return _pledge_summary(reg, a.number,
                           _("litigation recorded on {number}: {state}, version {version}"))


def _dismiss_args(p: argparse.ArgumentParser) -> None:
    _number_arg(p)
    _note(p)


@command("dismiss-objection", N_("end the objection to a receivable pledge: it is active "
                                 "again"), role="registrar", args=_dismiss_args)
def cmd_dismiss_objection(reg: Registry, a: argparse.Namespace) -> Result:
    reg.dismiss_objection(a.number, a.note)
    return _pledge_summary(reg, a.number,
                           _("objection dismissed on {number}: {state}, version {version}"))


@command("expire", N_("apply every deadline that has passed (withdrawals, expiries, "
                      "lapses)"), role="registrar")
def cmd_expire(reg: Registry, a: argparse.Namespace) -> Result:
    n = reg.expire()
    return Result({"steps": n}, ngettext("{n} deadline applied", "{n} deadlines applied",
                                         n).format(n=n))


def _certificate_args(p: argparse.ArgumentParser) -> None:
    _number_arg(p)
    # versions count from 1; 0 is the library's "the latest", not a version
    p.add_argument("--version", type=IntOption("int", 1), default=0,
                   help=_("the pledge version it was issued for (default: the latest)"))
    p.add_argument("--signed", action="store_true",
                   help=_("sign it for reading without the registry (XML Signature, the "
                          "event's inclusion proof and a checkpoint); needs a registrar "
                          "--actor and --key"))
    p.add_argument("--key", action="append", default=[], metavar="NAME=PEMFILE",
                   help=_("with --signed: the certificate key (ECDSA P-256 or RSA, PEM) and, "
                          "when no checkpoint covers the certificate yet, a checkpoint key "
                          "(Ed25519 or SM2); repeatable"))


@command("certificate", N_("print the certificate of a pledge (XML)"), access="read",
         args=_certificate_args)
def cmd_certificate(reg: Registry, a: argparse.Namespace) -> Result:
    if a.key and not a.signed:
        raise UsageError(_("--key goes with --signed"))
    if a.signed:
        if not a.key:
            raise UsageError(_("--signed needs --key NAME=PEMFILE (the certificate key)"))
        if not a.actor:
            raise UsageError(_("--signed needs --actor (a registrar signs)"))
        if not a.role:   # signing is the registrar's: the default role here
            _set_actor(reg, a.actor, "registrar")
        xml = reg.sign_certificate(a.number, _keyring(a.key, "--key"), a.version)
        return Result({"number": _kept(reg, a.number), "version": _certificate_version(xml),
                       "xml": xml,
                       "signed": True}, xml.rstrip("\n"))
    xml = reg.certificate(a.number, a.version)
    return Result({"number": _kept(reg, a.number), "version": _certificate_version(xml),
                   "xml": xml},
                  xml.rstrip("\n"))


def _certificate_version(doc: str) -> int:
    """The pledge version a certificate was issued for (its ``version``
    element: with version 0 the call answers the latest); of a signed
    certificate, the version of the certificate it carries."""
    import xml.etree.ElementTree as ET
    root = ET.fromstring(doc.encode("utf-8"))
    if root.tag.rsplit("}", 1)[-1] == "signedCertificate":
        root = next(c for c in root if c.tag.rsplit("}", 1)[-1] == "certificate")
    for child in root:
        if child.tag.rsplit("}", 1)[-1] == "version":
            return int(child.text or "0")
    raise ValueError("the certificate has no version element")


@command("journal-verify", N_("verify the journal's hash chain from the first event and the "
                              "state tables against its replay"), role="auditor",
         access="read",
         args=lambda p: p.add_argument("--chain-only", action="store_true",
                                       help=_("the hash chain alone (fast; no replay)")))
def cmd_journal_verify(reg: Registry, a: argparse.Namespace) -> Result:
    c = reg.journal_verify(chain_only=a.chain_only)
    if c.intact:
        return Result(as_dict(c), ngettext("journal intact: {n} event verified",
                                           "journal intact: {n} events verified",
                                           c.count).format(n=f"{c.count:,}"))
    return Result(as_dict(c), _("journal broken at event {seq}: {message}").format(
        seq=c.bad_seq, message=c.message), EXIT_FAILED)


# ---- the journal as a transparency log ------------------------------------------

def _keyring(values: Sequence[str], what: str) -> Any:
    """A Keyring from NAME=PEMFILE items or verifier keys (name+id+base64)."""
    from .log import Keyring
    kr = Keyring()
    for v in values:
        left, eq, right = v.partition("=")
        if eq and "+" not in left:
            if not left or not right:
                raise UsageError(_("{what} {value!r}: expected NAME=PEMFILE or a verifier "
                                   "key name+id+base64").format(what=what, value=v))
            if not os.path.exists(right):
                raise FileNotFoundError(2, "No such file or directory", right)
            try:
                kr.add_pem_file(left, right)
            except E.Error as e:
                # said of the option that named the file: "key file ..."
                # read as the field key became --key, also for --trust
                raise type(e)(e.code, f"{what} {v}: {_C_CALL.sub('', e.library_message)}") \
                    from None
        else:
            kr.add_vkey(v)
    return kr


def _b64(h: bytes) -> str:
    import base64
    return base64.b64encode(h).decode()


def _checkpoint_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--key", action="append", default=[], metavar="NAME=PEMFILE",
                   help=_("sign with this private key (Ed25519 or SM2, PEM), under this "
                          "name; repeatable.  Without --key: print the latest checkpoint"))


@command("checkpoint", N_("sign a checkpoint of the log (its size and root) and print it"),
         role="registrar", args=_checkpoint_args)
def cmd_checkpoint(reg: Registry, a: argparse.Namespace) -> Result:
    if not a.key:
        note = reg.latest_checkpoint()
        if note is None:
            raise E.NotFound(-2, _("no checkpoint has been signed yet (sign one with "
                                   "--key NAME=PEMFILE)"))
    else:
        note = reg.sign_checkpoint(_keyring(a.key, "--key"))
    return Result({"checkpoint": note, "size": int(note.split("\n")[1])}, note.rstrip("\n"))


def _prove_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("event", type=IntOption("int64_t", 1), help=_("the event's number (1 is "
                                                                 "the first)"))
    p.add_argument("--size", type=IntOption("int64_t", 0), default=0, metavar="N",
                   help=_("prove it in the log of N events (default: the log now)"))


@command("prove", N_("prove that an event is in the log: its leaf, the root and the "
                     "inclusion proof"), access="read", args=_prove_args)
def cmd_prove(reg: Registry, a: argparse.Namespace) -> Result:
    proof = reg.prove_inclusion(a.event, a.size)
    size = proof.size   # the log's size the proof is for (--size 0: the log now)
    data = {"event": a.event, "size": size, "leaf": _b64(reg.log_leaf(a.event)),
            "root": _b64(reg.log_root(size)), "proof": [_b64(h) for h in proof.hashes]}
    text = fields([(_("event"), a.event), (_("log size"), size), (_("leaf"), data["leaf"]),
                   (_("root"), data["root"])])
    text += "\n" + _("proof:") + "\n" + (proof.text.rstrip("\n") or _("(empty)"))
    return Result(data, text)


def _consistency_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("checkpoint", help=_("a checkpoint kept from before (the signed note); - "
                                        "reads stdin"))
    p.add_argument("--trust", action="append", default=[], required=True,
                   metavar="NAME=PEMFILE|VKEY",
                   help=_("a key the checkpoint must be signed with: NAME=PEMFILE (public "
                          "key) or a verifier key name+id+base64; repeatable"))


def _check_since(reg: Registry, path: str, trust: Sequence[str]
                 ) -> tuple[Any, bool, str, int | None]:
    """The kept checkpoint, whether the log extends it, why not, and (of a
    service, --url) the size of the service's signed checkpoint it was
    checked up to: the client checks the proof itself, trusting only
    --trust."""
    from .log import Checkpoint
    trusted = _keyring(trust, "--trust")
    try:
        cp = Checkpoint.open(_read_input(path), trusted)
    except E.CodeMismatch as e:   # a signature that fails: the check fails
        raise Failed(e.message) from None
    try:
        if isinstance(reg, Registry):
            reg.check_log(cp)
            return cp, True, "", None
        return cp, True, "", reg.check_log(cp, trusted=trusted).size
    except E.CodeMismatch as e:
        return cp, False, e.message, None


@command("consistency", N_("check that the log extends a checkpoint kept from before (a "
                           "rewritten history fails)"), access="read", args=_consistency_args)
def cmd_consistency(reg: Registry, a: argparse.Namespace) -> Result:
    cp, ok, why, checked = _check_since(reg, a.checkpoint, a.trust)
    now = reg.log_size()
    size = now if checked is None else checked
    data = {"consistent": ok, "checkpoint_size": cp.size, "size": size,
            "signers": list(cp.signers), "message": why}
    if ok:
        text = _("consistent: the log of {size} events extends the checkpoint's {old} (signed "
                 "by {signers})").format(size=size, old=cp.size,
                                         signers=_(", ").join(cp.signers))
        if size < now:
            text += "\n" + _("(up to the service's latest signed checkpoint: its log has {now} "
                             "events now, the newer ones checked once it signs again)").format(
                                 now=now)
        return Result(data, text)
    return Result(data, _("NOT CONSISTENT: {reason}").format(reason=why), EXIT_FAILED)


def _verify_log_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--since", metavar="CHECKPOINT",
                   help=_("also check that the log extends this checkpoint"))
    p.add_argument("--trust", action="append", default=[], metavar="NAME=PEMFILE|VKEY",
                   help=_("a key the --since checkpoint must be signed with; repeatable"))


@command("verify-log", N_("verify the journal (chain, Merkle tree, state tables) and, with "
                          "--since, that it extends a checkpoint"), role="auditor",
         access="read", args=_verify_log_args)
def cmd_verify_log(reg: Registry, a: argparse.Namespace) -> Result:
    if a.since and not a.trust:
        raise UsageError(_("--since needs --trust (the key the checkpoint is signed with)"))
    c = reg.journal_verify()
    data: dict[str, Any] = {"intact": c.intact, "count": c.count, "bad_seq": c.bad_seq,
                            "message": c.message, "consistent": None}
    lines = [_("journal intact: {n} events verified").format(n=f"{c.count:,}") if c.intact
             else _("journal broken at event {seq}: {message}").format(seq=c.bad_seq,
                                                                        message=c.message)]
    ok = c.intact
    if a.since:
        cp, cons, why, _checked = _check_since(reg, a.since, a.trust)
        data["consistent"] = cons
        lines.append(_("consistent with the checkpoint of {old} events").format(old=cp.size)
                     if cons else _("NOT CONSISTENT: {reason}").format(reason=why))
        ok = ok and cons
    return Result(data, "\n".join(lines), EXIT_OK if ok else EXIT_FAILED)


@command("calendar-load", N_("load public holidays and make-up working days"),
         role="registrar",
         args=lambda p: p.add_argument(
             "file", help=_("lines 'YYYY-MM-DD[..YYYY-MM-DD] holiday|workday [name]', "
                            "'#' comments; - reads stdin")))
def cmd_calendar_load(reg: Registry, a: argparse.Namespace) -> Result:
    text = _read_input(a.file)
    try:
        reg.calendar_load(text)
    except E.InvalidArgument as e:
        # the file named, as the line is ("calendar line 3: ...")
        name = "standard input" if a.file == "-" else a.file
        raise type(e)(e.code, f"{name}: {_C_CALL.sub('', e.library_message)}") from None
    n = sum(1 for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
    return Result({"entries": n}, ngettext("loaded {n} calendar entry",
                                           "loaded {n} calendar entries", n).format(n=n))


def _show_args(p: argparse.ArgumentParser) -> None:
    _number_arg(p)
    p.add_argument("--at", metavar="INSTANT", help=_("the version valid at this instant "
                                                     "(ISO 8601; without an offset, in "
                                                     "the registry's time zone)"))
    p.add_argument("--xml", action="store_true", help=_("print the pledge document"))


@command("show", N_("show a registered pledge (now or at an instant)"), access="read",
         args=_show_args)
def cmd_show(reg: Registry, a: argparse.Namespace) -> Result:
    at = cli_instant(reg, a.at, "--at")

    if a.xml:
        xml = reg.pledge_xml(a.number, at)
        return Result({"number": _kept(reg, a.number), "xml": xml}, xml.rstrip("\n"))
    p = reg.pledge(a.number, at)
    return Result(as_dict(p), pledge_text(p))


def pledge_text(p: Any) -> str:
    return fields([
        (_("number"), p.number), (_("kind"), label("kind", p.kind)),
        (_("security"), label("security", p.security)),
        (_("state"), label("state", p.state)), (_("version"), p.version),
        (_("registered"), when(p.registered_at)), (_("valid from"), when(p.valid_from)),
        (_("valid to"), when(p.valid_to) or _("(current)")),
        (_("pledgor"), f"{p.pledgor_name or ''} ({p.pledgor_id or ''})"),
        (_("pledgee"), f"{p.pledgee_name or ''} ({p.pledgee_id or ''})"),
        (_("amount"), money(p.amount, p.currency)),
        (_("period"), f"{when(p.period_start)} .. {when(p.period_end)}"),
        (_("acceptance"), p.acceptance_number), (_("application"), p.application_uuid),
        (_("rights"), _(", ").join(p.rights)),
    ])


def _verify_args(p: argparse.ArgumentParser) -> None:
    _number_arg(p)
    p.add_argument("--code", help=_("the verification code printed on the certificate"))
    p.add_argument("--at", metavar="INSTANT", help=_("answer for this instant (ISO 8601; "
                                                     "without an offset, in the "
                                                     "registry's time zone)"))
    p.add_argument("--signed", action="store_true",
                   help=_("print the answer as a signed verification statement (XML) to file "
                          "as evidence; needs --key"))
    p.add_argument("--key", action="append", default=[], metavar="NAME=PEMFILE",
                   help=_("with --signed: the certificate key (ECDSA P-256 or RSA, PEM)"))


def _statement_answer(xml: str) -> tuple[str, str]:
    """The pledge's state and the code's status a verification statement
    (the library's own, just made) says."""
    import xml.etree.ElementTree as ET

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    root = ET.fromstring(xml)
    code = state = ""
    for child in root:
        if local(child.tag) == "code_status":
            code = (child.text or "").strip()
        elif local(child.tag) == "pledge":
            for el in child.iter():
                if local(el.tag) == "state":
                    state = (el.text or "").strip()
                    break
    return state, code


@command("verify", N_("verify a registration (and a certificate's code); exit status 1 "
                      "when the code is wrong or out of date or the pledge is not in force"),
         access="read", args=_verify_args)
def cmd_verify(reg: Registry, a: argparse.Namespace) -> Result:
    at = cli_instant(reg, a.at, "--at")
    if a.key and not a.signed:
        raise UsageError(_("--key goes with --signed"))
    if a.signed and not a.key:
        raise UsageError(_("--signed needs --key NAME=PEMFILE (the certificate key)"))
    try:
        if a.signed:
            xml = reg.verify_statement(a.number, _keyring(a.key, "--key"), a.code, at)
            state, code = _statement_answer(xml)
            ok = state in ("active", "under_objection") and code != "superseded"
            # the same exit status as the plain answer: 1 unless verified
            return Result({"number": _kept(reg, a.number), "xml": xml, "signed": True,
                           "state": state, "code_status": code, "verified": ok},
                          xml.rstrip("\n"), EXIT_OK if ok else EXIT_FAILED)
        v = reg.verify(a.number, a.code, at)
    except E.CodeMismatch as e:
        data = {"number": _kept(reg, a.number), "verified": False, "code_status": "mismatch",
                "message": e.message}
        return Result(data, _("NOT VERIFIED: {reason}").format(reason=e.message),
                      EXIT_FAILED)
    status = v.code_status.api_name
    problems = []
    if not v.in_force:
        problems.append(_("the pledge is {state}").format(state=label("state", v.state)))
    if status == "superseded":
        problems.append(_("the certificate was issued for version {version} and "
                          "superseded on {instant}").format(
                              version=v.code_version, instant=when(v.code_superseded_at)))
    data = as_dict(v)
    data["verified"] = not problems
    rights = _(", ").join(_("{right} (rank {rank})").format(right=r.right_id,
                                                            rank=r.rank or "-")
                          for r in v.rights)
    text = fields([
        (_("number"), v.number), (_("kind"), label("kind", v.kind)),
        (_("security"), label("security", v.security)),
        (_("state"), label("state", v.state)), (_("version"), v.version),
        (_("rank"), v.rank or "-"),
        (_("registered"), when(v.registered_at)),
        (_("as of"), when(v.as_of) or _("now")),
        (_("pledgor"), f"{v.pledgor_name or ''} ({v.pledgor_id or ''})"),
        (_("pledgee"), f"{v.pledgee_name or ''} ({v.pledgee_id or ''})"),
        (_("amount"), money(v.amount, v.currency)),
        (_("period"), f"{when(v.period_start)} .. {when(v.period_end)}"),
        (_("rights"), rights),
        (_("certificate code"), label("code", v.code_status)),
    ])
    text += "\n" + (_("NOT VERIFIED: {reason}").format(reason=_("; ").join(problems))
                    if problems else _("VERIFIED"))
    return Result(data, text, EXIT_FAILED if problems else EXIT_OK)


def _search_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kind", choices=Kind.api_names(), type=_choice("kind", Kind.api_names()),
                   help=_("the right kind"))
    p.add_argument("--right", metavar="ID", help=_("a pledged right (needs --kind)"))
    p.add_argument("--party-id", metavar="ID", help=_("a party identifier (exact)"))
    p.add_argument("--party-name", metavar="NAME",
                   help=_("a party name (exact or similar)"))
    p.add_argument("--side", choices=["either", "pledgor", "pledgee"], default="either",
                   type=_choice("side", ["either", "pledgor", "pledgee"]),
                   help=_("which party --party-id/--party-name apply to"))
    p.add_argument("--state", choices=PledgeState.api_names(),
                   type=_choice("state", PledgeState.api_names()), help=_("the state at --at"))
    p.add_argument("--from", dest="registered_from", metavar="YYYY-MM-DD",
                   help=_("registered on or after this day"))
    p.add_argument("--to", dest="registered_to", metavar="YYYY-MM-DD",
                   help=_("registered on or before this day"))
    p.add_argument("--at", metavar="INSTANT", help=_("answer for this instant (ISO 8601; "
                                                     "without an offset, in the "
                                                     "registry's time zone)"))
    p.add_argument("--page-size", type=IntOption("int", 1, LIST_MAX), metavar="N",
                   help=_("one page of N hits only, with the token that resumes it"))
    p.add_argument("--after", metavar="TOKEN",
                   help=_("resume after the page of this token"))


@command("search", N_("search pledges by right, party, state and registration date"),
         access="read", args=_search_args)
def cmd_search(reg: Registry, a: argparse.Namespace) -> Result:
    at = cli_instant(reg, a.at, "--at")
    one_page = a.page_size is not None
    cur = reg.search(kind=a.kind, right=a.right, party_id=a.party_id,
                     party_name=a.party_name, side=a.side, state=a.state,
                     registered_from=a.registered_from, registered_to=a.registered_to,
                     as_of=at, page_size=a.page_size or 0, after=a.after,
                     all_pages=not one_page)
    with cur:
        hits = list(cur)
        token = cur.continuation if one_page else None
    data = {"hits": as_dict(hits), "count": len(hits), "continuation": token}
    named = a.party_name is not None
    heads = [_("number"), _("kind"), _("state"), _("v"), _("registered"), _("pledgor"),
             _("pledgee"), _("amount")]
    rows = []
    for h in hits:
        row = [h.number, label("kind", h.kind), label("state", h.state), h.version,
               when(h.registered_at), h.pledgor_name, h.pledgee_name,
               money(h.amount, h.currency)]
        if named:
            row.append(label("match", h.name_match))
        rows.append(row)
    text = (table(heads + ([_("match")] if named else []), rows) if hits
            else _("no pledge found"))
    text += "\n\n" + ngettext("{n} pledge", "{n} pledges", len(hits)).format(n=len(hits))
    if token:
        text += _("; more after --after {token}").format(token=token)
    return Result(data, text)


def _rank_args(p: argparse.ArgumentParser) -> None:
    _number_arg(p)
    p.add_argument("--at", metavar="INSTANT", help=_("the rank at this instant (ISO 8601; "
                                                     "without an offset, in the "
                                                     "registry's time zone)"))
    p.add_argument("--compare", metavar="NUMBER",
                   help=_("say which of the two registrations ranks first"))


@command("rank", N_("the rank of a pledge on its right(s), or which of two ranks first"),
         access="read", args=_rank_args)
def cmd_rank(reg: Registry, a: argparse.Namespace) -> Result:
    if a.compare:
        c = reg.compare(a.number, a.compare)
        number, other = _kept(reg, a.number), _kept(reg, a.compare)
        first = number if c < 0 else other if c > 0 else number
        data = {"number": number, "other": other, "compare": c, "first": first}
        text = (_("the same registration") if c == 0 else
                _("{number} ranks first").format(number=first))
        return Result(data, text)
    at = cli_instant(reg, a.at, "--at")
    r = reg.rank(a.number, at)
    number = _kept(reg, a.number)
    data = {"number": number, "rank": r, "at": iso(at), "in_force": r > 0}
    return Result(data, (_("{number}: rank {rank}") if r else
                         _("{number}: not in force")).format(number=number, rank=r))


def _due_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--at", metavar="INSTANT", help=_("today is this instant's day "
                                                     "(default: now)"))
    p.add_argument("--within", type=IntOption("int", 0, WITHIN_DAYS_MAX), default=30,
                   metavar="DAYS",
                   help=_("what falls due within DAYS calendar days (default 30); "
                          "overdue items always"))


@command("due", N_("what is due or overdue: decisions, corrections, expiries, objections"),
         role="registrar", access="read", args=_due_args)
def cmd_due(reg: Registry, a: argparse.Namespace) -> Result:
    at = cli_instant(reg, a.at, "--at")
    items = reg.due(at, a.within)
    # the day the days left count from: the registry's, maybe not the caller's
    head = _("as of {today}, due within {days} days or overdue:").format(
        today=when(items.today), days=a.within)
    text = head + "\n" + (table([_("due"), _("days left"), _("what"), _("kind"), _("subject")],
                                 [(when(i.date), i.days_left, label("due", i.what),
                                   label("kind", i.kind), i.subject)
                                  for i in items]) if items else _("nothing due"))
    return Result({"today": items.today.isoformat(), "within_days": a.within,
                   "items": as_dict(items), "count": len(items)}, text)


def _stats_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD",
                   help=_("first day of the period"))
    p.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD",
                   help=_("last day of the period (inclusive)"))
    p.add_argument("--kind", choices=Kind.api_names(), type=_choice("kind", Kind.api_names()),
                   help=_("one right kind only"))
    p.add_argument("--office", metavar="CODE", type=_office_code, help=_("one office only"))


@command("stats", N_("figures of a period: registrations, cancellations, pledges in force, "
                     "secured amounts"), access="read", args=_stats_args)
def cmd_stats(reg: Registry, a: argparse.Namespace) -> Result:
    s = reg.stats(a.start, a.end, kind=a.kind, office=a.office)
    text = fields([(_("period"), f"{when(s.start)} .. {when(s.end)}"),
                   (_("kind"), label("kind", s.kind) if s.kind else _("all")),
                   (_("office"), s.office or _("all")),
                   (_("registrations"), f"{s.registrations:,}"),
                   (_("cancellations"), f"{s.cancellations:,}"),
                   (_("in force at the end"), f"{s.active:,}")])
    if s.amounts:
        text += "\n\n" + table(
            [_("currency"), pgettext("amount", "registered"), pgettext("amount", "in force")],
            [(c.currency, money(c.registered, c.currency) if c.registered is not None
              else _("overflow"), money(c.active, c.currency) if c.active is not None
              else _("overflow")) for c in s.amounts])
    return Result(as_dict(s), text)


def _of_file(path: str, e: E.Error) -> E.Error:
    """@e, a refusal of what file @path ("-": standard input) holds, said
    naming the file (the library was given its bytes, not its name)."""
    name = "standard input" if path == "-" else path
    return type(e)(e.code, f"{name}: {_C_CALL.sub('', e.library_message)}")


def _offline_check(a: argparse.Namespace, check: Callable[[bytes, Any], Any]) -> Any:
    """Run ``check`` (a signed document's offline check) on ``a.file``
    with the keys of ``--trust``: what it established, or the Result of a
    document that is not genuine (exit status 1)."""
    data = _read_input(a.file, binary=True)
    trusted = _keyring(a.trust, "--trust")
    try:
        return check(data, trusted)
    except (E.InvalidDocument, E.InvalidArgument) as e:
        raise _of_file(a.file, e) from None
    except E.CodeMismatch as e:
        return Result({"genuine": False, "message": e.message},
                      _("NOT GENUINE: {reason}").format(reason=e.message), EXIT_FAILED)


def _verify_certificate_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help=_("the signed certificate (pledger certificate --signed); - "
                                  "reads stdin"))
    p.add_argument("--trust", action="append", default=[], required=True,
                   metavar="NAME=PEMFILE|VKEY",
                   help=_("a public key to trust: the office's certificate key (ECDSA P-256 "
                          "or RSA) and its checkpoint key (Ed25519 or SM2, or a verifier key "
                          "name+id+base64); repeatable, so old and new keys can both be "
                          "trusted"))


@command("verify-certificate", N_("check a signed certificate with the office's public keys "
                                  "alone (no database)"), access="none",
         args=_verify_certificate_args)
def cmd_verify_certificate(reg: Any, a: argparse.Namespace) -> Result:
    from .log import verify_certificate
    c = _offline_check(a, verify_certificate)
    if isinstance(c, Result):
        return c
    data_out = {"genuine": True, "number": c.number, "version": c.version, "code": c.code,
                "signer": c.signer, "event": c.event, "log_size": c.log_size,
                "origin": c.origin, "checkpoint": c.checkpoint, "document": c.document}
    text = fields([(_("genuine"), _("yes: signed by {signer}, event {event} of the log of "
                                    "{size} events ({origin})").format(
                                        signer=c.signer, event=c.event, size=c.log_size,
                                        origin=c.origin)),
                   (_("registration number"), c.number), (_("certificate version"), c.version),
                   (_("verification code"), c.code)])
    text += "\n" + _("Whether it is still the current certificate: ask the registry "
                     "({prog} verify {number} --code {code}).").format(
                         prog=PROG, number=c.number, code=c.code)
    return Result(data_out, text)


def _verify_statement_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help=_("the statement (pledger verify --signed); - reads stdin"))
    p.add_argument("--trust", action="append", default=[], required=True,
                   metavar="NAME=PEMFILE|VKEY",
                   help=_("a public key to trust (the office's certificate and checkpoint "
                          "keys); repeatable"))


@command("verify-statement", N_("check a signed verification statement with the office's "
                                "public keys alone (no database)"), access="none",
         args=_verify_statement_args)
def cmd_verify_statement(reg: Any, a: argparse.Namespace) -> Result:
    from .log import verify_statement
    c = _offline_check(a, verify_statement)
    if isinstance(c, Result):
        return c
    out = {"genuine": True, "number": c.number, "state": c.state, "as_of": c.as_of,
           "answered_at": c.answered_at, "actor": c.actor, "code_status": c.code_status,
           "rank": c.rank, "signer": c.signer, "event": c.event, "log_size": c.log_size,
           "checkpoint": c.checkpoint, "document": c.document}
    text = fields([(_("genuine"), _("yes: signed by {signer}, event {event} of the log of "
                                    "{size} events").format(signer=c.signer, event=c.event,
                                                            size=c.log_size)),
                   (_("registration number"), c.number), (_("state"), c.state),
                   (_("as of"), c.as_of), (_("answered at"), c.answered_at),
                   (_("answered to"), c.actor), (_("certificate code"), c.code_status),
                   (_("rank"), c.rank or "-")])
    return Result(out, text)


# ---- search reports --------------------------------------------------------------

def _reports_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--party", help=_("reports about this party: an identifier or a name as "
                                     "asked, or the pledgor or pledgee of a registration "
                                     "answered"))
    p.add_argument("--asked-by", metavar="NAME",
                   help=_("reports issued to this account (a bank lists its own only)"))
    p.add_argument("--since", metavar="INSTANT", help=_("issued at or after this instant "
                                                        "(ISO 8601)"))
    p.add_argument("--until", metavar="INSTANT", help=_("issued at or before this instant "
                                                        "(ISO 8601)"))
    p.add_argument("--after", type=IntOption("int64_t", 0), default=0, metavar="N",
                   help=_("only reports numbered above N (the next page)"))
    p.add_argument("--limit", type=IntOption("int", 1, LIST_MAX), default=1000, metavar="N",
                   help=_("at most N reports (1 to 10000; default 1000)"))


@command("reports", N_("list the search reports: who asked what and when (the auditor: "
                       "all; a bank: its own)"), role="auditor", access="read",
         args=_reports_args)
def cmd_reports(reg: Registry, a: argparse.Namespace) -> Result:
    since = cli_instant(reg, a.since, "--since")
    until = cli_instant(reg, a.until, "--until")
    rows = reg.reports(party=a.party, actor=a.asked_by, since=since, until=until,
                       after=a.after, limit=a.limit)
    data = {"count": len(rows), "reports": [as_dict(r) for r in rows]}
    if not rows:
        return Result(data, _("no search reports"))
    text = table([pgettext(*NP_("report", "number")), _("issued"), _("asked by"), _("role"),
                  pgettext(*NP_("report", "kind")), _("results"), _("question")],
                 [(r.number, when(from_us(r.issued_at)), r.actor, label("role", r.role),
                   label("report", r.kind), r.result_count, r.query) for r in rows])
    return Result(data, text)


def _report_text(r: Any) -> str:
    return fields([
        (_("genuine"), _("yes: signed by {signers}").format(signers=_(", ").join(r.signers))),
        (_("report"), r.number), (_("issued"), when(from_us(r.issued_at))),
        (_("asked by"), f"{r.actor} ({label('role', r.role)})"),
        (pgettext(*NP_("report", "kind")), label("report", r.kind)),
        (_("question"), r.query),
        (_("answered at"), _("log size {size}").format(size=r.log_size)),
        (_("parties asked about"), _(", ").join(r.parties) or _("(none)")),
        (_("registrations asked about"), _(", ").join(r.asked) or _("(none)")),
        (_("results"), _(", ").join(r.results) or _("(none)")),
    ])


def _report_dict(r: Any) -> dict[str, Any]:
    import base64
    return {"genuine": True, "number": r.number, "origin": r.origin,
            "issued_at": r.issued_at, "actor": r.actor, "role": r.role.api_name,
            "kind": r.kind.api_name, "query": r.query, "log_size": r.log_size,
            "log_root": base64.b64encode(r.log_root).decode(), "parties": list(r.parties),
            "asked": list(r.asked), "results": list(r.results), "signers": list(r.signers),
            "note": r.note}


def _report_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("number", type=IntOption("int64_t", 1), help=_("the report's number"))
    p.add_argument("--trust", action="append", default=[], metavar="NAME=PEMFILE|VKEY",
                   help=_("check the report's proof and its checkpoint's signature with this "
                          "key (the registry's report key: Ed25519 or SM2, or a verifier key "
                          "name+id+base64) and show what it says; repeatable"))


@command("report", N_("print a search report as it was handed out (the auditor: any; a "
                      "bank: its own)"), role="auditor", access="read", args=_report_args)
def cmd_report(reg: Registry, a: argparse.Namespace) -> Result:
    from .report import Report
    note = reg.report(a.number)
    if not a.trust:
        return Result({"number": a.number, "note": note}, note.rstrip("\n"))
    r = Report.open(note, _keyring(a.trust, "--trust"))
    return Result(_report_dict(r), _report_text(r))


def _verify_reports_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--trust", action="append", default=[], metavar="NAME=PEMFILE|VKEY",
                   help=_("the registry's report key the checkpoints must be signed with "
                          "(Ed25519 or SM2 public key, or a verifier key name+id+base64); "
                          "repeatable; without it the signatures are not checked"))


@command("verify-reports", N_("verify the search reports kept beside the registry: every "
                              "report, its row, its keys, the tree and the checkpoints"),
         role="auditor", access="read", args=_verify_reports_args)
def cmd_verify_reports(reg: Registry, a: argparse.Namespace) -> Result:
    from .remote import RemoteRegistry
    remote = isinstance(reg, RemoteRegistry)
    c = reg.report_verify(_keyring(a.trust, "--trust") if a.trust else None)
    # a service checks every signature with the key it signs with
    data: dict[str, Any] = {"intact": c.intact, "count": c.count, "bad_number": c.bad_number,
                            "message": c.message, "signatures_checked": bool(a.trust) or remote}
    if not c.intact:
        return Result(data, _("search reports broken at report {number}: {message}").format(
            number=c.bad_number, message=c.message), EXIT_FAILED)
    text = _("search reports intact: {n} reports verified").format(n=f"{c.count:,}")
    if remote and not a.trust:
        text += "\n" + _("(their checkpoints' signatures were checked by the service with its "
                         "own key: give --trust to check its last report with yours)")
    elif not a.trust:
        text += "\n" + _("(their checkpoints' signatures were not checked: give --trust)")
    return Result(data, text)


def _verify_report_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help=_("the search report as handed out (its text and proof); - reads stdin"))
    p.add_argument("--trust", action="append", default=[], required=True,
                   metavar="NAME=PEMFILE|VKEY",
                   help=_("the registry's report key (Ed25519 or SM2 public key, or a verifier "
                          "key name+id+base64); repeatable"))


@command("verify-report", N_("check a search report with the registry's public key alone "
                             "(no database)"), access="none", args=_verify_report_args)
def cmd_verify_report(reg: Any, a: argparse.Namespace) -> Result:
    from .report import Report
    r = _offline_check(a, Report.open)
    if isinstance(r, Result):
        return r
    return Result(_report_dict(r), _report_text(r))


def _check_id_args(p: argparse.ArgumentParser) -> None:
    from .enums import IdType
    p.add_argument("type", choices=IdType.api_names(), type=_choice("id", IdType.api_names()),
                   help=_("the identifier type"))
    p.add_argument("text", help=_("the identifier as typed"))


@command("check-id", N_("check an identifier and print its normal form (no database)"),
         access="none", args=_check_id_args)

def cmd_check_id(reg: Any, a: argparse.Namespace) -> Result:
    from .ident import normalize_id
    n = normalize_id(a.type, a.text)
    return Result({"type": a.type, "text": a.text, "normalized": n, "valid": True}, n)


# ---- time --------------------------------------------------------------------------

def parse_instant(s: str, what: str,
                  zone: _dt.tzinfo | None = None) -> _dt.datetime | _dt.date:
    """An ISO 8601 instant or date, or microseconds since the epoch.  A
    bare date (2024-06-01, or 20240601 in ISO 8601's basic form, never 100
    seconds after 1970) is returned as a date: the registry reads it as
    the first instant of that day in its calendar (:func:`cli_instant`).
    A time without an offset is read in ``zone`` (default: the registry's
    time zone of the command running).  An empty one is refused: leaving
    the option out asks for now.  Full-width digits and dashes read as
    typed (``half_width``)."""
    s = half_width(s).strip()
    if not s:
        raise UsageError(_("{what}: is empty (leave it out for now)").format(what=what))
    if re.fullmatch(r"[0-9]{8}", s):
        try:
            return _dt.date(int(s[:4]), int(s[4:6]), int(s[6:]))
        except ValueError:
            raise UsageError(_("{what}: {value} is not a date YYYYMMDD").format(
                what=what, value=s)) from None
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", s):
        try:
            return _dt.date.fromisoformat(s)
        except ValueError:
            raise UsageError(_("{what}: {value!r} is not an ISO 8601 instant "
                               "(e.g. 2024-04-01T02:00:00Z, or 2024-04-01 10:00 in the "
                               "registry's time zone)").format(what=what, value=s)) from None
    elif re.fullmatch(r"-?[0-9]+", s):
        us = int(s) if len(s) <= 20 else None
        if us is None or not _MIN_US <= us <= _MAX_US:
            raise UsageError(_("{what}: {value} microseconds is out of range "
                               "({min} to {max}: years 1 to 9999)").format(
                                   what=what, value=s[:40], min=_MIN_US, max=_MAX_US))
        return from_us(us)
    # Python reads a fraction of any length, and cuts it at six digits;
    # the library and the service refuse more than six (microseconds)
    if re.search(r"[T ][0-9:]+\.[0-9]{7,}", s):
        raise UsageError(_("{what}: {value!r}: the fraction of a second must have 1 to 6 "
                           "digits").format(what=what, value=s))
    try:
        t = _dt.datetime.fromisoformat(s.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        if re.match(r"0000-[0-9]{2}-[0-9]{2}", s):   # a date, of a year no datetime holds
            raise UsageError(_("{what}: {value!r} falls outside the years 1 to 9999 in "
                               "UTC").format(what=what, value=s)) from None
        raise UsageError(_("{what}: {value!r} is not an ISO 8601 instant "
                           "(e.g. 2024-04-01T02:00:00Z, or 2024-04-01 10:00 in the "
                           "registry's time zone)").format(what=what, value=s)) from None
    try:
        # with its offset, or in the zone: in UTC it must still be a year 1 to 9999
        # ("9999-12-31T23:59-14:00" is the year 10000 there)
        if t.tzinfo:
            return t.astimezone(_dt.timezone.utc)
        z = zone or when.zone
        first, second = t.replace(tzinfo=z), t.replace(tzinfo=z, fold=1)
        u = first.astimezone(_dt.timezone.utc)
        # a wall time the zone skips (the clocks put forward) is no instant;
        # one it shows twice (put back) is two: neither is read as a guess
        if u.astimezone(z).replace(tzinfo=None) != t:
            raise UsageError(_("{what}: {value!r} does not exist in the time zone {zone} "
                               "(the clocks were put forward); give an offset, e.g. "
                               "{example}").format(what=what, value=s, zone=z,
                                                  example=u.isoformat()))
        if first.utcoffset() != second.utcoffset():
            raise UsageError(_("{what}: {value!r} happens twice in the time zone {zone} "
                               "(the clocks were put back); give an offset: {first} or "
                               "{second}").format(what=what, value=s, zone=z,
                                                  first=first.isoformat(),
                                                  second=second.isoformat()))
        return u
    except OverflowError:
        raise UsageError(_("{what}: {value!r} falls outside the years 1 to 9999 in "
                           "UTC").format(what=what, value=s)) from None


def cli_instant(reg: Any, s: str | None, what: str) -> _dt.datetime | _dt.date | None:
    """An instant option of a command (None when it was left out) as
    :func:`parse_instant` reads it, a bare date made the first instant of
    that day in the registry's calendar (its UTC offset, as its deadlines
    count days; the time zone it shows instants in may differ), as the
    Python calls and the service read a date.  Against a service the date
    is sent as one and the service reads it so."""
    if s is None:
        return None
    t = parse_instant(s, what)
    if isinstance(t, _dt.datetime) or not isinstance(reg, Registry):
        return t
    return from_us(reg._us(t, what))


#: the instants a datetime can hold, in microseconds since the epoch
_MIN_US, _MAX_US = MIN_US, MAX_US


# ---- the parser --------------------------------------------------------------------

#: the --json fields of each command that may be null or empty, and why;
#: every other field is always filled (shown in each command's --help)
NULLABLE: dict[str, dict[str, str]] = {
    "review": {"findings": N_("[] when the application has no finding")},
    "check": {"findings": N_("[] when the document has no finding")},
    "register": {"modcode": N_("null but for receivables (their modification code, "
                               "shown this once)")},
    "init": {"upstream": N_("null for an office")},
    "exchange": {"upstream": N_("null for an office"),
                 "lines": N_("[] before the first batch either way"),
                 "receipt": N_("null when the file was a receipt")},
    "file-batch": {"message": N_("empty when the batch was filed"),
                   "items[].uuid": N_("null when nothing was filed"),
                   "items[].acceptance_number": N_("null when nothing was filed"),
                   "items[].number": N_("null when nothing was filed"),
                   "items[].modcode": N_("null when nothing was filed, or when it was "
                                         "filed before under --batch-key"),
                   "items[].findings": N_("[] when the item's review found nothing")},
    "show": {"valid_to": N_("null while the version shown is the current one")},
    "verify": {"as_of": N_("null when the answer is for now (no --at)"),
               "code_superseded_at": N_("null unless --code matched a superseded "
                                        "certificate")},
    "search": {"hits": N_("[] when no pledge matches"),
               "continuation": N_("null when no page follows (always without "
                                  "--page-size)")},
    "rank": {"at": N_("null without --at (the rank now)")},
    "due": {"items": N_("[] when nothing is due")},
    "stats": {"kind": N_("null without --kind (all kinds)"),
              "office": N_("null without --office (all offices)"),
              "amounts": N_("[] when nothing was registered or in force"),
              "amounts[].registered": N_("null when the exact total does not fit in "
                                         "64 bits"),
              "amounts[].active": N_("null when the exact total does not fit in 64 bits")},
    "reports": {"reports": N_("[] when no report matches")},
    "applications": {"applications": N_("[] when no application matches"),
                     "next_after": N_("null unless the page is full: then the --after of "
                                      "the next page"),
                     "applications[].acceptance_number": N_("null before acceptance"),
                     "applications[].registration_number": N_("null before registration"),
                     "applications[].pledgor_name": N_("null when the document names no "
                                                       "pledgor yet"),
                     "applications[].pledgee_name": N_("null when the document names no "
                                                       "pledgee yet")},
    "report": {"results": N_("[] when the answer named no registration"),
               "parties": N_("[] when the question named no party"),
               "asked": N_("[] when the question named no registration")},
    "verify-report": {"results": N_("[] when the answer named no registration"),
                      "parties": N_("[] when the question named no party"),
                      "asked": N_("[] when the question named no registration")},
    "journal-verify": {"bad_seq": N_("null when the journal is intact"),
                       "message": N_("empty when the journal is intact")},
    "register-import": {"rejections": N_("[] when no record was rejected")},
    "consistency": {"message": N_("empty when the log is consistent")},
    "verify-reports": {"bad_number": N_("null when the reports are intact"),
                       "message": N_("empty when the reports are intact")},
    "verify-log": {"bad_seq": N_("null when the journal is intact"),
                   "message": N_("empty when the journal is intact"),
                   "consistent": N_("null without --since")},
}


def _nullable_help(cmd: str) -> str:
    fields = NULLABLE.get(cmd)
    if not fields:
        return ""
    lines = [_("--json fields that may be null or empty (all others are always filled):")]
    for name, why in fields.items():
        lines.append(f"  {name}: {_(why)}")
    return "\n".join(lines) + "\n\n"


class _Given(argparse.Action):
    """An option whose value may also come from the environment, noted as
    given on the command line (``_given_<dest>``) when it is."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        setattr(namespace, self.dest, values)
        setattr(namespace, "_given_" + self.dest, option_string)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # an option is taken as written, never as the start of another: an
        # abbreviation argparse would complete is a typo as often as not
        # (reports --to 2026-12-07 was --token 2026-12-07, its filter lost)
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        # argparse leaves what no parser took to the top one, which would
        # name no command: name the command that was given
        a, extra = self.parse_known_args(args, namespace)
        # an optional FILE after the options ("exchange import --trust K=P
        # batch.xml"): argparse gave it none when it met the options, and
        # left the file over as unrecognized
        if len(extra) == 1 and getattr(a, "file", "") is None and \
                (extra[0] == "-" or not extra[0].startswith("-")):
            a.file, extra = extra[0], []
        if extra:
            cmd = getattr(a, "command", None)
            prog = f"{self.prog} {cmd}" if cmd else self.prog
            raise _ParseError(prog, argparse._("unrecognized arguments: %s") % " ".join(extra))
        return a

    def error(self, message: str) -> NoReturn:
        raise _ParseError(self.prog, message)


def _sentence(text: str) -> str:
    """``text`` as a sentence: its first letter upper case, a full stop
    (or the Chinese full stop after Chinese text)."""
    if not text:
        return text
    stop = "。" if _width(text[-1]) == 2 else "."
    return text[0].upper() + text[1:] + stop


def _lang_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", metavar="LANG", default=os.environ.get("PLEDGER_LANG"),
                   help=_("the language of messages: zh_CN (Simplified Chinese) or en; "
                          "default $PLEDGER_LANG, else LANGUAGE, LC_ALL, LC_MESSAGES, "
                          "LANG"))


#: the subcommands that can ask a pledgerd service (--url) instead of a file: the
#: reads, and the filing an applicant does (the service's account is the actor)
REMOTE_COMMANDS = ("verify", "search", "certificate", "rank", "due", "stats", "show", "prove",
                   "consistency", "verify-log", "journal-verify", "reports", "report",
                   "verify-reports",
                   "apply", "review", "submit", "withdraw", "file-batch", "applications")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description=_("pledger: the registry of pledges over rights, "
                                         "from the command line."), epilog=_(EPILOG),
                formatter_class=argparse.RawDescriptionHelpFormatter)
    from . import version
    p.add_argument("--version", action="version", version=f"pledger {version()}")
    _lang_option(p)
    # --db only where a registry is opened: the checks of a file or of an
    # identifier alone (access "none") take none
    with_db = _Parser(add_help=False)
    # None when not given: given, it wins over $PLEDGER_URL (_where)
    with_db.add_argument("--db", metavar="PATH", default=None,
                         help=_("the registry database (default: $PLEDGER_DB or "
                                "./pledger.db)"))
    common = _Parser(add_help=False)
    common.add_argument("--json", action="store_true",
                        help=_("machine-readable output (JSON)"))
    _lang_option(common)
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for c in COMMANDS.values():
        parents = [common] if c.access == "none" else [with_db, common]
        desc = _sentence(_(c.help))
        if c.role:
            desc += "  " + _("Usual role: {role}.").format(role=label("role", c.role))
        sp = sub.add_parser(c.name, help=_(c.help), description=desc, parents=parents,
                            epilog=_nullable_help(c.name) + _(EPILOG),
                            formatter_class=argparse.RawDescriptionHelpFormatter)
        c.setup(sp)
        if c.access == "none":
            # not listed (it reads no registry), but accepted and ignored:
            # a script passes the same --db to every command it runs
            sp.add_argument("--db", dest="_db_ignored", metavar="PATH", help=argparse.SUPPRESS)
        if c.name in REMOTE_COMMANDS:
            # None when not given: $PLEDGER_URL is taken unless --db is given (_where)
            sp.add_argument("--url", metavar="URL", default=None,
                            help=_("ask a pledgerd service (https://host:port) instead of "
                                   "--db; default $PLEDGER_URL, unless --db is given"))
            sp.add_argument("--token", metavar="TOKEN", default=os.environ.get("PLEDGER_TOKEN"),
                            help=_("the service account's token (NAME.SECRET); default "
                                   "$PLEDGER_TOKEN"))
            sp.add_argument("--cacert", metavar="PEMFILE",
                            default=os.environ.get("PLEDGER_CACERT"),
                            help=_("with --url: the certificate authority to trust instead of "
                                   "the system's; default $PLEDGER_CACERT"))
        if c.access not in ("init", "none"):
            sp.add_argument("--actor", metavar="NAME", default=os.environ.get("PLEDGER_ACTOR"),
                            action=_Given,
                            help=(_("who acts (journaled); default $PLEDGER_ACTOR") if c.role
                                  else _("who acts (journaled); default $PLEDGER_ACTOR; "
                                         "optional here")))
            sp.add_argument("--role", choices=Role.api_names(), action=_Given,
                            type=_choice("role", Role.api_names()),
                            default=os.environ.get("PLEDGER_ROLE") or c.role,
                            help=_("the actor's role (default: $PLEDGER_ROLE, else "
                                   "{role})").format(role=label("role", c.role or "bank")))
        # the options, and the option that fills each argument named
        # otherwise (--from fills registered_from): a refusal of the
        # library that names the field is said of the option
        sp.set_defaults(_command=c, _options=frozenset(
            o for act in sp._actions for o in act.option_strings), _filled_by={
            act.dest: act.option_strings[-1] for act in sp._actions
            if act.option_strings and act.dest != act.option_strings[-1][2:].replace("-", "_")})
    return p


# ---- running -----------------------------------------------------------------------

_STATUS: dict[type, int] = {
    E.NotFound: EXIT_NOT_FOUND,
    E.WrongState: EXIT_REFUSED, E.PermissionDenied: EXIT_REFUSED, E.Conflict: EXIT_REFUSED,
    E.CodeMismatch: EXIT_REFUSED,
    E.ReviewBlocked: EXIT_FAILED,
    E.Cancelled: 130,
    E.Busy: EXIT_BUSY,
    E.InvalidArgument: EXIT_USAGE, E.InvalidDocument: EXIT_USAGE,
}


def exit_status(e: BaseException) -> int:
    """The documented exit status of an exception."""
    if isinstance(e, E.Error):
        return _STATUS.get(type(e), EXIT_DATABASE)
    if isinstance(e, (UsageError, ValueError, UnicodeDecodeError)):
        return EXIT_USAGE
    if isinstance(e, Failed):
        return EXIT_FAILED
    if isinstance(e, FileNotFoundError):
        return EXIT_NOT_FOUND
    if isinstance(e, OSError):
        return EXIT_USAGE
    return EXIT_DATABASE


_C_CALL = re.compile(r"\bpledger_[a-z0-9_]+(?:: |：\s*)")   # a catalogue's colon too
_C_FIELD = re.compile(r"\b(?:[a-z]+->|filter\.)?([a-z]+(?:_[a-z]+)*)\b")
_C_ARROW = re.compile(r"\b(?:[a-z]+->|filter\.)(?=\w)")


def _bare_words(msg: str) -> str:
    """A library message without the C functions it names and with the
    fields of a C call's options bare (``q->to`` is ``to``): what pledgerd
    answers too, so that --json says the same of a file and a service."""
    return _C_ARROW.sub("", _C_CALL.sub("", msg))


#: the fields whose option is not their name with dashes
_FIELD_OPTIONS = {"right_id": "--right", "right": "--right", "cafile": "--cacert",
                  "as_of": "--at", "signers": "--key", "trusted": "--trust"}
#: fields a message begins with that are no plain word of it: a service's
#: query parameter where the library's name differs ("right is empty"),
#: and the client's url and token ("url 'http://...': http:// would send
#: the token in clear")
_LEADING_FIELDS = frozenset({"right", "url", "token", "signers", "trusted"})
#: a field a command fills from an option of another name, where an option
#: of the field's name means something else (reports: --actor is who asks)
_COMMAND_FIELDS = {"reports": {"actor": "--asked-by", "from": "--since", "to": "--until"},
                   "due": {"within_days": "--within"},
                   "file-batch": {"key": "--batch-key"}}


def _in_cli_words(msg: str, command: str | None, options: frozenset[str],
                  filled_by: Mapping[str, str] | None = None) -> str:
    """A library message in the words of the command line: without the C
    functions it names (``pledger_stats_get: ``) or the step that is the
    command itself (``change: ``), and with a field of the C call
    (``q->to``, ``opts->code``, ``filter.after``, ``pledgor_name``,
    ``query->registered_from``) named as the option that fills it
    (``--to``, ``--code``, ``--after``, ``--pledgor-name``, ``--from``).
    @options: the command's options; @filled_by: the option that fills each
    argument an option of another name fills (registered_from: --from)."""
    msg = _C_CALL.sub("", msg)
    if command:
        # the step is the command itself: "change: ", "dismiss_objection: "
        # ("：" in a translation)
        for step in (command, command.replace("-", "_")):
            for colon in (": ", "："):
                if msg.startswith(step + colon):
                    msg = msg[len(step) + len(colon):]
                    break
            else:
                continue
            break
    if "--at" in options:   # pledger_rank's parameter at_us
        msg = re.sub(r"^at_us\b", "--at", msg)

    def field(m: re.Match[str]) -> str:
        whole, name = m.group(0), m.group(1)
        # a service's message names the other field of a comparison bare,
        # as the query parameter: "to 2024-04-01 is before from 2024-05-01"
        known = "--" + name in options or name in _COMMAND_FIELDS.get(command or "", {})
        compared = msg[:m.start()].endswith(("before ", "after ", "早于 ", "晚于 ")) and known
        if "->" not in whole and not whole.startswith("filter.") and "_" not in name and \
                not compared and \
                not (m.start() == 0 and (msg[m.end():m.end() + 2] == ": " or
                                         msg[m.end():m.end() + 1] == "：" or
                                         name in _LEADING_FIELDS or
                                         # "ground is empty": the field of an option
                                         # the message begins with (--ground)
                                         (known and msg[m.end():m.end() + 1] == " "))):
            return whole    # a plain word of the sentence, not the field it begins with
        opt = _COMMAND_FIELDS.get(command or "", {}).get(name) or (filled_by or {}).get(name) or \
            _FIELD_OPTIONS.get(name) or "--" + name.replace("_", "-")
        return opt if opt in options else name
    return _C_FIELD.sub(field, msg)


#: a service's refusal that names the account and its role ("actor
#: 'bank-1' has role bank", in English or in the Chinese catalogue's words)
_SAID_ROLE = re.compile(r"actor '[^']*' has role [a-z_]+|操作人“[^”]*”的角色是")


def _service_hint(e: E.Error, token: str | None) -> str | None:
    """What a command line user does about a refusal of the service's
    (--url) for the account: a 401 -- no token, or one it does not take --
    says how to give one (--token, $PLEDGER_TOKEN); a 403 that the role of
    the token's account may not do this, naming the account -- unless the
    service's message says it already, naming the account, its role and
    the roles that may, as the library's refusal from a file does (the
    same line from both)."""
    status = getattr(e, "http_status", None)
    if status == 401:
        if not token:
            return _("no token was given: give the service account's token (NAME.SECRET, as "
                     "pledgerd token printed it) with --token or $PLEDGER_TOKEN")
        return _("the token given (--token or $PLEDGER_TOKEN) is not taken: give the one "
                 "pledgerd token printed for the account, whole")
    if status == 403 and isinstance(e, E.PermissionDenied):
        if _SAID_ROLE.search(e.library_message):
            # the library's refusal, as a file's: the account, its role and who may
            return None
        account = (token or "").strip().rsplit(".", 1)[0]   # NAME.SECRET: NAME
        if account:
            return _("the account {account} may not do this (its role does not allow it): ask "
                     "with the token of an account whose role may").format(account=account)
        return _("the account of the token may not do this (its role does not allow it): ask "
                 "with the token of an account whose role may")
    return None


def _error_line(e: BaseException, command: str | None,
                options: frozenset[str] = frozenset(),
                filled_by: Mapping[str, str] | None = None, token: str | None = None) -> str:
    if isinstance(e, _ParseError):
        return escape(str(e).strip())
    if isinstance(e, E.Error):
        msg = _in_cli_words(e.library_message, command, options, filled_by)
        hint = _service_hint(e, token)
        if hint:
            msg = f"{msg.strip()} ({hint})"
    elif isinstance(e, OSError) and e.filename:
        msg = f"{e.filename}: {e.strerror}"
    else:
        msg = str(e)
    msg = _C_CALL.sub("", msg)   # also where a command quoted the library
    msg = escape(msg.strip())
    return f"{PROG}{' ' + command if command else ''}: {msg}"


def _set_actor(reg: Registry, actor: str, role: str) -> None:
    """reg.set_actor(), a refused name said of --actor (or $PLEDGER_ACTOR),
    not of the C call's "name"."""
    try:
        reg.set_actor(actor, role)
    except E.InvalidArgument as e:
        msg = _C_CALL.sub("", e.library_message)
        if msg.startswith("name "):
            raise type(e)(e.code, "--actor" + msg[4:]) from None
        raise


def _where(a: argparse.Namespace) -> None:
    """Which registry the command asks, in a.db and a.url: what the command
    line gives wins over the environment -- a --db given is asked even when
    $PLEDGER_URL is set (a bank checking its copy of the registry is not
    answered by the service instead) -- and --db with --url is refused."""
    if not hasattr(a, "db"):
        return
    db_given, url_given = a.db is not None, getattr(a, "url", None) is not None
    if db_given and url_given:
        raise UsageError(_("--db and --url name two registries: give one (the file, or "
                           "the service)"))
    if hasattr(a, "url") and not db_given and not url_given:
        a.url = os.environ.get("PLEDGER_URL") or None
    if a.db is None:
        a.db = os.environ.get("PLEDGER_DB", "pledger.db")


def _open(a: argparse.Namespace, c: Command) -> Registry:
    if c.access == "init":
        # an empty file is made a registry, as a missing one is: created
        existed = a.db != ":memory:" and os.path.exists(a.db) and os.path.getsize(a.db) > 0
        # an existing registry is opened as it is, to report the office it
        # has; --office does not change it
        reg = Registry(a.db, create=True, office=None if existed else a.office)
        if existed and a.office and a.office != reg.office:
            office = reg.office
            reg.close()
            raise UsageError(_("--office {given}: {db} is a registry of office {office} "
                               "already; init does not change its office").format(
                given=a.office, db=a.db, office=office))
        a._created = not existed
        return reg
    if a.db != ":memory:" and not os.path.exists(a.db):
        raise E.NotFound(-2, _("{db}: no such registry (create it with '{prog} init "
                               "--db {db}')").format(db=a.db, prog=PROG))
    # a signed certificate may need a new checkpoint kept: a write
    writes = c.access != "read" or getattr(a, "signed", False)
    return Registry(a.db, read_only=not writes, create=False)


#: the options the program itself takes before a command
_TOP_OPTIONS = ("--lang", "--version", "-h", "--help")


def _options_before_command(argv: Sequence[str]) -> None:
    """A command's options written before it (``pledger --db r.db search``)
    are refused naming where they go; argparse took the option's value for
    the command and said it was no command."""
    lead: list[str] = []
    for i, arg in enumerate(argv):
        if arg in COMMANDS:
            if lead:
                raise UsageError(_("{options}: a command's options go after it: "
                                   "{prog} {command} {options}").format(
                                       options=" ".join(lead), prog=PROG, command=arg))
            return
        if arg == "--":
            return
        if arg.split("=", 1)[0] in _TOP_OPTIONS:
            if arg == "--lang" and i + 1 < len(argv):
                lead.append("")   # its value follows: skipped below
            continue
        if lead and lead[-1] == "":
            lead.pop()            # the value of --lang
            continue
        lead.append(arg)


def _asked_language(argv: Sequence[str]) -> str | None:
    """The language asked for by name: --lang (before any "--"), else
    $PLEDGER_LANG."""
    lang = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg[len("--lang="):]
    return lang or os.environ.get("PLEDGER_LANG")


def _language(argv: Sequence[str]) -> str | None:
    """The language asked for: --lang (before any "--"), $PLEDGER_LANG,
    else what gettext reads from the environment."""
    from ._i18n import environment_language
    return _asked_language(argv) or environment_language()


def _speak(lang: str | None) -> None:
    """Make the library, the bindings and argparse speak ``lang`` (English
    for "C", "POSIX", "C.UTF-8", "en..." and none)."""
    from ._i18n import is_english, set_language
    try:
        set_language(None if is_english(lang) else lang)
    except E.InvalidArgument as e:
        set_language(None)
        raise UsageError(f"--lang: {e.message}") from None


def _emit(result: Result, a: argparse.Namespace, out: TextIO,
          err: TextIO | None = None) -> int:
    text = (_json_text(result.data, indent=2) + "\n" if a.json
            else escape(result.text, keep_newlines=True) + "\n" if result.text else "")
    try:
        out.write(text)
        out.flush()
        return result.status
    except OSError as e:
        return _output_failed(e, text, a, out, err or sys.stderr)


def _output_failed(e: OSError, text: str, a: argparse.Namespace, out: TextIO,
                   err: TextIO) -> int:
    """The answer could not be written (a full disk, a closed pipe).  What
    a writing command did is done -- the registration made, its one-time
    modification code issued -- so its answer goes to stderr rather than
    nowhere, and the status (74) is not that of a refused command: a script
    must not take it as "nothing happened" and file again."""
    if out is sys.stdout:
        # the interpreter's own flush at exit would fail again
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError):
            pass
    command = a._command
    if isinstance(e, BrokenPipeError) and command.access in ("read", "none"):
        return EXIT_OK    # a reader that stopped reading (| head): nothing was lost
    try:
        err.write(f"{PROG} {command.name}: " + _("the answer could not be written: {error}")
                  .format(error=e.strerror or e) + "\n")
        if command.access not in ("read", "none") and text:
            err.write(_("what was done is done; its answer follows:") + "\n" + text)
        err.flush()
    except OSError:
        pass
    return EXIT_OUTPUT


def run(argv: Sequence[str] | None = None, stdout: TextIO | None = None,
        stderr: TextIO | None = None) -> int:
    """Run the command line; returns the exit status.  The language it
    chose is given back when it returns (a caller in the same process
    keeps its own)."""
    from ._i18n import set_language
    try:
        return _run(argv, stdout, stderr)
    finally:
        set_language(None)


def _run(argv: Sequence[str] | None, stdout: TextIO | None, stderr: TextIO | None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    argv = list(sys.argv[1:] if argv is None else argv)
    want_json = "--json" in argv
    a: argparse.Namespace | None = None
    global when
    when = Clock(None)
    try:
        _speak(_language(argv))
        asked = _asked_language(argv)
        if asked:
            from ._i18n import has_catalogue
            if not has_catalogue(asked):
                # a language asked for by name that pledger does not speak
                # is said, not answered in English without a word
                raise UsageError(_("--lang {lang}: pledger speaks zh_CN (Simplified Chinese, "
                                   "also zh, zh-CN, zh-Hans) and en").format(lang=asked))
        _options_before_command(argv)
        a = build_parser().parse_args(argv)
        _where(a)
        c: Command = a._command
        actor = getattr(a, "actor", None)
        if c.role and not actor and not getattr(a, "url", None):
            raise UsageError(_("--actor is needed (or $PLEDGER_ACTOR)"))
        now = os.environ.get("PLEDGER_NOW")
        if c.access == "none":
            result = c.handler(None, a)  # type: ignore[arg-type]
            return _emit(result, a, out, err)
        if getattr(a, "url", None):
            from .remote import connect
            # the service acts as the token's account: an --actor or --role
            # given would be ignored, the answer another account's
            given = getattr(a, "_given_actor", None) or getattr(a, "_given_role", None)
            if given:
                raise UsageError(_("{option} names who acts on a registry file (--db); with "
                                   "--url the service acts as the account of the token, with "
                                   "its role: leave {option} out, or give the token of the "
                                   "account meant").format(option=given))
            if getattr(a, "signed", False):
                raise UsageError(_("--signed needs the registry file (--db), not --url"))
            with connect(a.url, a.token, cafile=a.cacert) as remote:
                when = Clock(remote.time_zone)
                result = c.handler(remote, a)  # type: ignore[arg-type]
            return _emit(result, a, out, err)
        with _open(a, c) as reg:
            when = Clock(reg.time_zone)
            if now:
                us = to_us(cli_instant(reg, now, "PLEDGER_NOW"))  # type: ignore[arg-type]
                reg.set_clock(lambda: us)
            if actor:
                _set_actor(reg, actor, a.role or "bank")
            result = c.handler(reg, a)
        return _emit(result, a, out, err)
    except KeyboardInterrupt:
        err.write(f"{PROG}: " + _("interrupted") + "\n")
        return 130
    except Exception as e:  # noqa: BLE001 (never a traceback: one line and a status)
        cmd = getattr(a, "command", None) if a is not None else None
        expected = (E.Error, UsageError, Failed, OSError, ValueError)
        status = exit_status(e) if isinstance(e, expected) else EXIT_INTERNAL
        line = _error_line(e, cmd, getattr(a, "_options", frozenset()),
                           getattr(a, "_filled_by", None),
                           getattr(a, "token", None) if a is not None else None)
        if not isinstance(e, expected):
            line = _error_line(RuntimeError(_("internal error: {type}: {error}").format(
                type=type(e).__name__, error=e)), cmd)

        if want_json:
            d: dict[str, Any] = {"error": line, "status": status}
            if isinstance(e, E.Error):
                # a service's refusal of the account: what to do on the command line,
                # not the client's token= (the line's words)
                hint = _service_hint(e, getattr(a, "token", None) if a is not None else None)
                d.update(code=e.code, name=e.name, kind=type(e).__name__,
                         message=_bare_words(f"{e.library_message} ({hint})" if hint
                                             else e.message))
                if getattr(e, "retry_after", None) is not None:
                    # a service's Busy: the seconds it said to wait
                    d["retry_after"] = e.retry_after
            else:
                # every error has its kind and its message, not only the
                # library's: a usage error's is the line without the
                # program's name and the pointer to --help
                kind = ("UsageError" if isinstance(e, UsageError) else
                        type(e).__name__ if isinstance(e, expected) else "InternalError")
                bare = (escape(e.message) if isinstance(e, _ParseError) else
                        line.split(": ", 1)[1] if line.startswith(PROG) and ": " in line
                        else line)
                d.update(kind=kind, message=bare)
            err.write(_json_text(d) + "\n")
        else:
            err.write(line + "\n")
        return status


def main() -> int:
    """The ``pledger`` console entry point."""
    try:
        return run()
    except BrokenPipeError:  # e.g. piped into head
        try:
            sys.stdout = None  # type: ignore[assignment]
        finally:
            return 0
