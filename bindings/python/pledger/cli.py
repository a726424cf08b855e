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
from typing import Any, Callable, NoReturn, Sequence, TextIO

from . import errors as E
from .application import Application
from .enums import Kind, PledgeState, Role, Severity
from .registry import Registry
from .types import as_dict, from_us, iso, to_us

PROG = "pledger"

EXIT_OK = 0
EXIT_FAILED = 1      # review stops submission, verification failed, journal broken
EXIT_USAGE = 2
EXIT_NOT_FOUND = 3
EXIT_REFUSED = 4
EXIT_DATABASE = 5
EXIT_INTERNAL = 70   # an unexpected exception: a bug (sysexits EX_SOFTWARE)

EPILOG = """\
exit status:
  0  success
  1  the review found what stops submission (a blocking or correctable
     finding), a submission was refused for its review, a verification
     failed (unknown certificate code, pledge not in force), or the
     journal is broken
  2  usage: a bad option or argument, an invalid value or document
  3  not found: the database file, an input file, an application, a pledge
  4  refused: not allowed in the current state, not allowed to the
     actor's role, a conflict with stored data (the right is already
     pledged), a wrong modification code
  5  database problem: locked (busy), read-only, damaged, not a pledger
     registry, written by a newer pledger, input/output, out of memory
  70 internal error: libpledger cannot be loaded, or an unexpected
     exception (a bug; please report the one-line message)
  130 interrupted (Ctrl-C); an interrupted import changes nothing

environment:
  PLEDGER_DB      default for --db (else ./pledger.db)
  PLEDGER_ACTOR   default for --actor
  PLEDGER_ROLE    default for --role (else each command's usual role)
  PLEDGER_NOW     take this instant as "now" (ISO 8601, e.g.
                  2024-04-01T02:00:00Z, or microseconds since the epoch):
                  for replays and tests
  PLEDGER_LIBRARY the libpledger to load (else libpledger.so.0)

Errors are written to standard error as one line (a JSON object with
--json).  Without --json the output is a readable table or text.
Control characters in what is printed (C0, DEL, C1) are shown escaped,
as \\x1b.
"""


class UsageError(Exception):
    """A command line that cannot run (exit status 2)."""


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
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _hex(m: "re.Match[str]") -> str:
    return f"\\x{ord(m.group()):02x}"


def escape(s: str, keep_newlines: bool = False) -> str:
    """``s`` with every control character (U+0000-U+001F, U+007F-U+009F)
    written as ``\\xNN``, the way the library quotes them in its messages,
    so that nothing printed can drive the terminal.  ``keep_newlines``
    leaves line breaks of multi-line text as they are."""
    return (_CONTROL_BUT_NEWLINE if keep_newlines else _CONTROL).sub(_hex, s)


def _json_text(data: Any, **kw: Any) -> str:
    """JSON of ``data`` in which DEL and C1 characters are \\u escapes too
    (json.dumps escapes only C0)."""
    return re.sub("[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}",
                  json.dumps(data, ensure_ascii=False, **kw))


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
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    a = abs(int(amount))
    return f"{sign}{a // 100:,}.{a % 100:02d} {currency or ''}".rstrip()


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


def _read_input(path: str, binary: bool = False) -> Any:
    if path == "-":
        return sys.stdin.buffer.read() if binary else sys.stdin.read()
    with open(path, "rb" if binary else "r", **({} if binary else {"encoding": "utf-8"})) as f:
        return f.read()


class IntOption:
    """The type of a numeric option: an integer that fits the C type the
    library takes (``ctype``) and is at least ``minimum``; anything else is
    a usage error (exit status 2) naming the option, never an overflow.
    The range is checked by the bindings' own conversion (``_ffi.cint``)."""

    def __init__(self, ctype: str = "int", minimum: int = 0) -> None:
        self.ctype = ctype
        self.minimum = minimum
        self.__name__ = "integer"   # argparse names the type in its messages

    def __call__(self, text: str) -> int:
        from ._ffi import cint
        t = text.strip()
        if not re.fullmatch(r"[+-]?[0-9]+", t):
            raise argparse.ArgumentTypeError(f"{text!r} is not an integer")
        try:
            v = int(t)
        except ValueError:  # more digits than Python converts: far out of range
            v = (-1 if t.startswith("-") else 1) << 100_000
        try:
            return cint(v, "the value", self.ctype, self.minimum)
        except E.InvalidArgument as e:
            raise argparse.ArgumentTypeError(e.message) from None


def _uuid_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("uuid", help="the application's UUID")


def _number_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("number", help="the registration number")


@command("init", "create a registry database (or check an existing one)", access="init",
         args=lambda p: p.add_argument("--office", metavar="CODE",
                                       help="the registry's default office code "
                                            "(A-Z, 0-9, '-'; default PLEDGER)"))
def cmd_init(reg: Registry, a: argparse.Namespace) -> Result:
    created = getattr(a, "_created", False)
    data = {"db": a.db, "created": created, "office": reg.office}
    verb = "created" if created else "already a registry:"
    return Result(data, f"{verb} {a.db} (office {reg.office})")


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="the reference register (XML, register.xsd); - reads stdin")
    p.add_argument("--progress", choices=["auto", "always", "never"], default="auto",
                   help="progress bar on standard error: when it is a terminal (auto)")


class _ProgressBar:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.last = ""

    def __call__(self, records: int, done: int, total: int) -> None:
        if total:
            frac = min(1.0, done / total)
            bar = "#" * int(frac * 30)
            line = f"\r[{bar:<30}] {frac * 100:5.1f}%  {records:,} records"
        else:
            line = f"\r{records:,} records, {done / 1e6:.1f} MB"
        if line != self.last:
            self.stream.write(line)
            self.stream.flush()
            self.last = line

    def finish(self) -> None:
        if self.last:
            self.stream.write("\n")
            self.stream.flush()


@command("register-import", "import the reference register of rights", role="registrar",
         args=_import_args)
def cmd_register_import(reg: Registry, a: argparse.Namespace) -> Result:
    show = a.progress == "always" or (a.progress == "auto" and sys.stderr.isatty())
    bar = _ProgressBar(sys.stderr) if show else None
    source: Any = _read_input("-", binary=True) if a.file == "-" else a.file
    if a.file != "-" and not os.path.exists(a.file):
        raise FileNotFoundError(2, "No such file or directory", a.file)
    try:
        r = reg.register_import(source, progress=bar)
    finally:
        if bar:
            bar.finish()
    text = fields([("inserted", f"{r.inserted:,}"), ("updated", f"{r.updated:,}"),
                   ("unchanged", f"{r.unchanged:,}"), ("rejected", f"{r.rejected:,}"),
                   ("sha256", r.sha256)])
    if r.rejections:
        text += "\n\n" + table(["line", "rejected because"],
                               [(x.line, x.message) for x in r.rejections])
    return Result(as_dict(r), text)


@command("apply", "store a new application from its XML document; prints its UUID",
         role="applicant",
         args=lambda p: p.add_argument("file", help="the application (XML); - reads stdin"))
def cmd_apply(reg: Registry, a: argparse.Namespace) -> Result:
    app = Application.from_xml(_read_input(a.file, binary=True))
    with app:
        uuid = reg.save(app)
        data = {"uuid": uuid, "kind": app.kind.api_name, "state": app.state.api_name}
    return Result(data, uuid)


@command("review", "review an application: every finding, as a table", role="applicant",
         args=_uuid_arg)
def cmd_review(reg: Registry, a: argparse.Namespace) -> Result:
    rv = reg.review(a.uuid)
    counts = {s.api_name: rv.count(s) for s in Severity}
    data = {"uuid": a.uuid, "findings": as_dict(list(rv.findings)), "counts": counts,
            "blocking": rv.blocking, "submittable": not rv.stops_submission}
    verdict = ("it cannot be submitted as it is" if rv.stops_submission else
               "it can be submitted")
    if rv.findings:
        summary = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
        text = table(["severity", "code", "path", "message", "basis"],
                     [(f.severity.api_name, f.code, f.path, f.message, f.basis)
                      for f in rv.findings])
        text += f"\n\n{len(rv)} finding{'s' if len(rv) != 1 else ''} ({summary}); {verdict}"
    else:
        text = f"no findings; {verdict}"
    return Result(data, text, EXIT_FAILED if rv.stops_submission else EXIT_OK)


@command("submit", "submit a reviewed application", role="applicant", args=_uuid_arg)
def cmd_submit(reg: Registry, a: argparse.Namespace) -> Result:
    reg.submit(a.uuid)
    return Result({"uuid": a.uuid, "state": "submitted"}, f"submitted {a.uuid}")


@command("withdraw", "withdraw an application that has not been decided", role="applicant",
         args=_uuid_arg)
def cmd_withdraw(reg: Registry, a: argparse.Namespace) -> Result:
    reg.withdraw(a.uuid)
    return Result({"uuid": a.uuid, "state": "withdrawn"}, f"withdrew {a.uuid}")


@command("accept", "accept a submitted application; prints its acceptance number",
         role="clerk", args=_uuid_arg)
def cmd_accept(reg: Registry, a: argparse.Namespace) -> Result:
    num = reg.accept(a.uuid)
    return Result({"uuid": a.uuid, "acceptance_number": num}, num)


def _reqcorr_args(p: argparse.ArgumentParser) -> None:
    _uuid_arg(p)
    p.add_argument("--note", required=True, help="what must be corrected (shown to the "
                                                 "applicant)")


@command("request-correction", "ask the applicant to correct an accepted application "
         "(30 days)", role="clerk", args=_reqcorr_args)
def cmd_request_correction(reg: Registry, a: argparse.Namespace) -> Result:
    reg.request_correction(a.uuid, a.note)
    return Result({"uuid": a.uuid, "state": "correction_requested", "note": a.note},
                  f"correction requested for {a.uuid}")


def _correct_args(p: argparse.ArgumentParser) -> None:
    _uuid_arg(p)
    p.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                   help="set a field of the document (repeatable), e.g. "
                        "--set 'rights/right[1]/goods=罐头'")
    p.add_argument("--unset", action="append", default=[], metavar="PATH",
                   help="remove a field (repeatable)")


@command("correct", "record the corrected document of an application awaiting correction",
         role="clerk", args=_correct_args)
def cmd_correct(reg: Registry, a: argparse.Namespace) -> Result:
    edits = []
    for s in a.set:
        path, eq, value = s.partition("=")
        if not eq or not path:
            raise UsageError(f"--set {s!r}: expected PATH=VALUE")
        edits.append((path, value))
    with reg.load(a.uuid) as app:
        for path, value in edits:
            app.set(path, value)
        for path in a.unset:
            app.set(path, None)
        reg.correct(app)
        state = app.state.api_name
    return Result({"uuid": a.uuid, "state": state, "changed": len(edits) + len(a.unset)},
                  f"corrected {a.uuid}: {state}")


@command("register", "register an accepted application; prints the registration number",
         role="registrar", args=_uuid_arg)
def cmd_register(reg: Registry, a: argparse.Namespace) -> Result:
    r = reg.register(a.uuid)
    text = r.number
    if r.modcode:
        text += (f"\nmodification code: {r.modcode}\n(keep it: it is shown only this once "
                 "and needed for every change, extension or cancellation)")
    return Result({"uuid": a.uuid, "number": r.number, "modcode": r.modcode}, text)


def _refuse_args(p: argparse.ArgumentParser) -> None:
    _uuid_arg(p)
    p.add_argument("--ground", required=True, help="the refusal ground code, e.g. TM_SEIZED")
    p.add_argument("--note", help="an explanation")


@command("refuse", "refuse an accepted application", role="registrar", args=_refuse_args)
def cmd_refuse(reg: Registry, a: argparse.Namespace) -> Result:
    reg.refuse(a.uuid, a.ground, a.note)
    return Result({"uuid": a.uuid, "state": "refused", "ground": a.ground},
                  f"refused {a.uuid} ({a.ground})")


def _modcode(p: argparse.ArgumentParser) -> None:
    p.add_argument("--modcode", metavar="CODE",
                   help="the modification code (receivables)")


def _note(p: argparse.ArgumentParser) -> None:
    p.add_argument("--note", help="why (recorded in the journal)")


def _change_args(p: argparse.ArgumentParser) -> None:
    _number_arg(p)
    p.add_argument("--pledgor-name", metavar="NAME", help="the pledgor's new name")
    p.add_argument("--pledgee-name", metavar="NAME", help="the pledgee's new name")
    p.add_argument("--amount", type=IntOption("int64_t", 1), metavar="MINOR",
                   help="the new secured amount in minor units (fen)")
    _note(p)
    _modcode(p)


def _pledge_summary(reg: Registry, number: str, verb: str) -> Result:
    p = reg.pledge(number)
    data = {"number": number, "state": p.state.api_name, "version": p.version,
            "amount": p.amount, "currency": p.currency, "period_end": iso(p.period_end)}
    return Result(data, f"{verb} {number}: {p.state.api_name}, version {p.version}")


@command("change", "change party names or the secured amount of a pledge", role="registrar",
         args=_change_args)
def cmd_change(reg: Registry, a: argparse.Namespace) -> Result:
    if a.pledgor_name is None and a.pledgee_name is None and a.amount is None:
        raise UsageError("change: give at least one of --pledgor-name, --pledgee-name, "
                         "--amount")
    reg.change(a.number, pledgor_name=a.pledgor_name, pledgee_name=a.pledgee_name,
               amount=a.amount, note=a.note, modcode=a.modcode)
    return _pledge_summary(reg, a.number, "changed")


def _extend_args(p: argparse.ArgumentParser) -> None:
    _number_arg(p)
    p.add_argument("new_end", metavar="YYYY-MM-DD", help="the new end of the period")
    _modcode(p)


@command("extend", "extend the registration period of a pledge", role="registrar",
         args=_extend_args)
def cmd_extend(reg: Registry, a: argparse.Namespace) -> Result:
    reg.extend(a.number, a.new_end, a.modcode)
    return _pledge_summary(reg, a.number, "extended")


def _cancel_args(p: argparse.ArgumentParser) -> None:
    _number_arg(p)
    _modcode(p)
    _note(p)


@command("cancel", "cancel a pledge", role="registrar", args=_cancel_args)
def cmd_cancel(reg: Registry, a: argparse.Namespace) -> Result:
    reg.cancel(a.number, a.modcode, a.note)
    return _pledge_summary(reg, a.number, "cancelled")


def _revoke_args(p: argparse.ArgumentParser) -> None:
    _number_arg(p)
    p.add_argument("--ground", required=True, help="the ground code, e.g. CONTRACT_VOID")
    _note(p)


@command("revoke", "revoke a registration", role="registrar", args=_revoke_args)
def cmd_revoke(reg: Registry, a: argparse.Namespace) -> Result:
    reg.revoke(a.number, a.ground, a.note)
    return _pledge_summary(reg, a.number, "revoked")


def _object_args(p: argparse.ArgumentParser) -> None:
    _number_arg(p)
    p.add_argument("--objector", required=True, help="who objects (name)")
    _note(p)


@command("object", "register an objection to a receivable pledge", role="applicant",
         args=_object_args)
def cmd_object(reg: Registry, a: argparse.Namespace) -> Result:
    reg.object(a.number, a.objector, a.note)
    return _pledge_summary(reg, a.number, "objection registered on")


@command("expire", "apply every deadline that has passed (withdrawals, expiries, lapses)",
         role="registrar")
def cmd_expire(reg: Registry, a: argparse.Namespace) -> Result:
    n = reg.expire()
    return Result({"steps": n}, f"{n} deadline{'s' if n != 1 else ''} applied")


def _certificate_args(p: argparse.ArgumentParser) -> None:
    _number_arg(p)
    p.add_argument("--version", type=IntOption("int", 0), default=0,
                   help="the pledge version it was issued for (default: the latest)")


@command("certificate", "print the certificate of a pledge (XML)", access="read",
         args=_certificate_args)
def cmd_certificate(reg: Registry, a: argparse.Namespace) -> Result:
    xml = reg.certificate(a.number, a.version)
    return Result({"number": a.number, "version": _certificate_version(xml), "xml": xml},
                  xml.rstrip("\n"))


def _certificate_version(doc: str) -> int:
    """The pledge version a certificate was issued for (its ``version``
    element: with version 0 the call answers the latest)."""
    import xml.etree.ElementTree as ET
    root = ET.fromstring(doc.encode("utf-8"))
    for child in root:
        if child.tag.rsplit("}", 1)[-1] == "version":
            return int(child.text or "0")
    raise ValueError("the certificate has no version element")


@command("journal-verify", "verify the journal's hash chain from the first event and the "
         "state tables against its replay", role="auditor", access="read",
         args=lambda p: p.add_argument("--chain-only", action="store_true",
                                       help="the hash chain alone (fast; no replay)"))
def cmd_journal_verify(reg: Registry, a: argparse.Namespace) -> Result:
    c = reg.journal_verify(chain_only=a.chain_only)
    if c.intact:
        return Result(as_dict(c), f"journal intact: {c.count:,} events verified")
    return Result(as_dict(c), f"journal broken at event {c.bad_seq}: {c.message}",
                  EXIT_FAILED)


@command("calendar-load", "load public holidays and make-up working days", role="registrar",
         args=lambda p: p.add_argument(
             "file", help="lines 'YYYY-MM-DD[..YYYY-MM-DD] holiday|workday [name]', "
                          "'#' comments; - reads stdin"))
def cmd_calendar_load(reg: Registry, a: argparse.Namespace) -> Result:
    text = _read_input(a.file)
    reg.calendar_load(text)
    n = sum(1 for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
    return Result({"entries": n}, f"loaded {n} calendar entr{'ies' if n != 1 else 'y'}")


def _show_args(p: argparse.ArgumentParser) -> None:
    _number_arg(p)
    p.add_argument("--at", metavar="INSTANT", help="the version valid at this instant "
                                                   "(ISO 8601)")
    p.add_argument("--xml", action="store_true", help="print the pledge document")


@command("show", "show a registered pledge (now or at an instant)", access="read",
         args=_show_args)
def cmd_show(reg: Registry, a: argparse.Namespace) -> Result:
    at = parse_instant(a.at, "--at") if a.at else None
    if a.xml:
        xml = reg.pledge_xml(a.number, at)
        return Result({"number": a.number, "xml": xml}, xml.rstrip("\n"))
    p = reg.pledge(a.number, at)
    return Result(as_dict(p), pledge_text(p))


def pledge_text(p: Any) -> str:
    return fields([
        ("number", p.number), ("kind", p.kind.api_name), ("security", p.security),
        ("state", p.state.api_name), ("version", p.version),
        ("registered", iso(p.registered_at)), ("valid from", iso(p.valid_from)),
        ("valid to", iso(p.valid_to) or "(current)"),
        ("pledgor", f"{p.pledgor_name or ''} ({p.pledgor_id or ''})"),
        ("pledgee", f"{p.pledgee_name or ''} ({p.pledgee_id or ''})"),
        ("amount", money(p.amount, p.currency)),
        ("period", f"{iso(p.period_start)} .. {iso(p.period_end)}"),
        ("acceptance", p.acceptance_number), ("application", p.application_uuid),
        ("rights", ", ".join(p.rights)),
    ])


def _verify_args(p: argparse.ArgumentParser) -> None:
    _number_arg(p)
    p.add_argument("--code", help="the verification code printed on the certificate")
    p.add_argument("--at", metavar="INSTANT", help="answer for this instant (ISO 8601)")


@command("verify", "verify a registration (and a certificate's code); exit status 1 when "
         "the code is wrong or out of date or the pledge is not in force", access="read",
         args=_verify_args)
def cmd_verify(reg: Registry, a: argparse.Namespace) -> Result:
    at = parse_instant(a.at, "--at") if a.at else None
    try:
        v = reg.verify(a.number, a.code, at)
    except E.CodeMismatch as e:
        data = {"number": a.number, "verified": False, "code_status": "mismatch",
                "message": e.message}
        return Result(data, f"NOT VERIFIED: {e.message}", EXIT_FAILED)
    status = v.code_status.api_name
    problems = []
    if not v.in_force:
        problems.append(f"the pledge is {v.state.api_name}")
    if status == "superseded":
        problems.append(f"the certificate was issued for version {v.code_version} and "
                        f"superseded on {iso(v.code_superseded_at)}")
    data = as_dict(v)
    data["verified"] = not problems
    text = fields([
        ("number", v.number), ("kind", v.kind.api_name), ("security", v.security),
        ("state", v.state.api_name), ("version", v.version), ("rank", v.rank or "-"),
        ("registered", iso(v.registered_at)), ("as of", iso(v.as_of) or "now"),
        ("pledgor", f"{v.pledgor_name or ''} ({v.pledgor_id or ''})"),
        ("pledgee", f"{v.pledgee_name or ''} ({v.pledgee_id or ''})"),
        ("amount", money(v.amount, v.currency)),
        ("period", f"{iso(v.period_start)} .. {iso(v.period_end)}"),
        ("rights", ", ".join(f"{r.right_id} (rank {r.rank or '-'})" for r in v.rights)),
        ("certificate code", status if status != "not_given" else "not given"),
    ])
    text += "\n" + ("NOT VERIFIED: " + "; ".join(problems) if problems else "VERIFIED")
    return Result(data, text, EXIT_FAILED if problems else EXIT_OK)


def _search_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kind", choices=Kind.api_names(), help="the right kind")
    p.add_argument("--right", metavar="ID", help="a pledged right (needs --kind)")
    p.add_argument("--party-id", metavar="ID", help="a party identifier (exact)")
    p.add_argument("--party-name", metavar="NAME", help="a party name (exact or similar)")
    p.add_argument("--side", choices=["either", "pledgor", "pledgee"], default="either",
                   help="which party --party-id/--party-name apply to")
    p.add_argument("--state", choices=PledgeState.api_names(), help="the state at --at")
    p.add_argument("--from", dest="registered_from", metavar="YYYY-MM-DD",
                   help="registered on or after this day")
    p.add_argument("--to", dest="registered_to", metavar="YYYY-MM-DD",
                   help="registered on or before this day")
    p.add_argument("--at", metavar="INSTANT", help="answer for this instant (ISO 8601)")
    p.add_argument("--page-size", type=IntOption("int", 1), metavar="N",
                   help="one page of N hits only, with the token that resumes it")
    p.add_argument("--after", metavar="TOKEN", help="resume after the page of this token")


@command("search", "search pledges by right, party, state and registration date",
         access="read", args=_search_args)
def cmd_search(reg: Registry, a: argparse.Namespace) -> Result:
    at = parse_instant(a.at, "--at") if a.at else None
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
    heads = ["number", "kind", "state", "v", "registered", "pledgor", "pledgee", "amount"]
    rows = []
    for h in hits:
        row = [h.number, h.kind.api_name, h.state.api_name, h.version,
               iso(h.registered_at), h.pledgor_name, h.pledgee_name,
               money(h.amount, h.currency)]
        if named:
            row.append(h.name_match.api_name)
        rows.append(row)
    text = table(heads + (["match"] if named else []), rows) if hits else "no pledge found"
    text += f"\n\n{len(hits)} pledge{'s' if len(hits) != 1 else ''}"
    if token:
        text += f"; more after --after {token}"
    return Result(data, text)


def _rank_args(p: argparse.ArgumentParser) -> None:
    _number_arg(p)
    p.add_argument("--at", metavar="INSTANT", help="the rank at this instant (ISO 8601)")
    p.add_argument("--compare", metavar="NUMBER",
                   help="say which of the two registrations ranks first")


@command("rank", "the rank of a pledge on its right(s), or which of two ranks first",
         access="read", args=_rank_args)
def cmd_rank(reg: Registry, a: argparse.Namespace) -> Result:
    if a.compare:
        c = reg.compare(a.number, a.compare)
        first = a.number if c < 0 else a.compare if c > 0 else a.number
        data = {"number": a.number, "other": a.compare, "compare": c, "first": first}
        text = ("the same registration" if c == 0 else f"{first} ranks first")
        return Result(data, text)
    at = parse_instant(a.at, "--at") if a.at else None
    r = reg.rank(a.number, at)
    data = {"number": a.number, "rank": r, "at": iso(at), "in_force": r > 0}
    return Result(data, f"{a.number}: rank {r}" if r else f"{a.number}: not in force")


def _due_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--at", metavar="INSTANT", help="today is this instant's day "
                                                   "(default: now)")
    p.add_argument("--within", type=IntOption("int", 0), default=30, metavar="DAYS",
                   help="what falls due within DAYS calendar days (default 30); "
                        "overdue items always")


@command("due", "what is due or overdue: decisions, corrections, expiries, objections",
         role="registrar", access="read", args=_due_args)
def cmd_due(reg: Registry, a: argparse.Namespace) -> Result:
    at = parse_instant(a.at, "--at") if a.at else None
    items = reg.due(at, a.within)
    text = table(["due", "days left", "what", "kind", "subject"],
                 [(iso(i.date), i.days_left, i.what.api_name, i.kind.api_name, i.subject)
                  for i in items]) if items else "nothing due"
    return Result({"items": as_dict(items), "count": len(items)}, text)


def _stats_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD",
                   help="first day of the period")
    p.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD",
                   help="last day of the period (inclusive)")
    p.add_argument("--kind", choices=Kind.api_names(), help="one right kind only")
    p.add_argument("--office", metavar="CODE", help="one office only")


@command("stats", "figures of a period: registrations, cancellations, pledges in force, "
         "secured amounts", access="read", args=_stats_args)
def cmd_stats(reg: Registry, a: argparse.Namespace) -> Result:
    s = reg.stats(a.start, a.end, kind=a.kind, office=a.office)
    text = fields([("period", f"{iso(s.start)} .. {iso(s.end)}"),
                   ("kind", s.kind.api_name if s.kind else "all"),
                   ("office", s.office or "all"),
                   ("registrations", f"{s.registrations:,}"),
                   ("cancellations", f"{s.cancellations:,}"),
                   ("in force at the end", f"{s.active:,}")])
    if s.amounts:
        text += "\n\n" + table(
            ["currency", "registered", "in force"],
            [(c.currency, money(c.registered, c.currency) if c.registered is not None
              else "overflow", money(c.active, c.currency) if c.active is not None
              else "overflow") for c in s.amounts])
    return Result(as_dict(s), text)


def _check_id_args(p: argparse.ArgumentParser) -> None:
    from .enums import IdType
    p.add_argument("type", choices=IdType.api_names(), help="the identifier type")
    p.add_argument("text", help="the identifier as typed")


@command("check-id", "check an identifier and print its normal form (no database)",
         access="none", args=_check_id_args)
def cmd_check_id(reg: Any, a: argparse.Namespace) -> Result:
    from .ident import normalize_id
    n = normalize_id(a.type, a.text)
    return Result({"type": a.type, "text": a.text, "normalized": n, "valid": True}, n)


# ---- time --------------------------------------------------------------------------

def parse_instant(s: str, what: str) -> _dt.datetime:
    """An ISO 8601 instant or date (UTC when no offset), or microseconds."""
    s = s.strip()
    if re.fullmatch(r"-?[0-9]+", s):
        us = int(s) if len(s) <= 20 else None
        if us is None or not _MIN_US <= us <= _MAX_US:
            raise UsageError(f"{what}: {s[:40]} microseconds is out of range "
                             f"({_MIN_US} to {_MAX_US}: years 1 to 9999)")
        return from_us(us)
    try:
        t = _dt.datetime.fromisoformat(s.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise UsageError(f"{what}: {s!r} is not an ISO 8601 instant "
                         "(e.g. 2024-04-01T02:00:00Z)") from None
    return t if t.tzinfo else t.replace(tzinfo=_dt.timezone.utc)


#: the instants a datetime can hold, in microseconds since the epoch
_MIN_US = to_us(_dt.datetime(1, 1, 1, tzinfo=_dt.timezone.utc))
_MAX_US = to_us(_dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=_dt.timezone.utc))


# ---- the parser --------------------------------------------------------------------

#: the --json fields of each command that may be null or empty, and why;
#: every other field is always filled (shown in each command's --help)
NULLABLE: dict[str, dict[str, str]] = {
    "review": {"findings": "[] when the application has no finding"},
    "register": {"modcode": "null but for receivables (their modification code, "
                            "shown this once)"},
    "show": {"valid_to": "null while the version shown is the current one"},
    "verify": {"as_of": "null when the answer is for now (no --at)",
               "code_superseded_at": "null unless --code matched a superseded "
                                     "certificate"},
    "search": {"hits": "[] when no pledge matches",
               "continuation": "null when no page follows (always without --page-size)"},
    "rank": {"at": "null without --at (the rank now)"},
    "due": {"items": "[] when nothing is due"},
    "stats": {"kind": "null without --kind (all kinds)",
              "office": "null without --office (all offices)",
              "amounts": "[] when nothing was registered or in force",
              "amounts[].registered": "null when the exact total does not fit in 64 bits",
              "amounts[].active": "null when the exact total does not fit in 64 bits"},
    "journal-verify": {"bad_seq": "null when the journal is intact",
                       "message": "empty when the journal is intact"},
    "register-import": {"rejections": "[] when no record was rejected"},
}


def _nullable_help(cmd: str) -> str:
    fields = NULLABLE.get(cmd)
    if not fields:
        return ""
    lines = ["--json fields that may be null or empty (all others are always filled):"]
    for name, why in fields.items():
        lines.append(f"  {name}: {why}")
    return "\n".join(lines) + "\n\n"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see --help)")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description="pledger: the registry of pledges over rights, "
                "from the command line.", epilog=EPILOG,
                formatter_class=argparse.RawDescriptionHelpFormatter)
    from . import version
    p.add_argument("--version", action="version", version=f"pledger {version()}")
    common = _Parser(add_help=False)
    common.add_argument("--db", metavar="PATH",
                        default=os.environ.get("PLEDGER_DB", "pledger.db"),
                        help="the registry database (default: $PLEDGER_DB or ./pledger.db)")
    common.add_argument("--json", action="store_true", help="machine-readable output (JSON)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for c in COMMANDS.values():
        parents = [common]
        desc = c.help[0].upper() + c.help[1:] + "."
        if c.role:
            desc += f"  Usual role: {c.role}."
        sp = sub.add_parser(c.name, help=c.help, description=desc, parents=parents,
                            epilog=_nullable_help(c.name) + EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
        c.setup(sp)
        if c.access not in ("init", "none"):
            sp.add_argument("--actor", metavar="NAME", default=os.environ.get("PLEDGER_ACTOR"),
                            help="who acts (journaled); default $PLEDGER_ACTOR"
                                 + ("" if c.role else "; optional here"))
            sp.add_argument("--role", choices=Role.api_names(),
                            default=os.environ.get("PLEDGER_ROLE") or c.role,
                            help="the actor's role (default: $PLEDGER_ROLE, else "
                                 + (f"{c.role})" if c.role else "bank)"))
        sp.set_defaults(_command=c)
    return p


# ---- running -----------------------------------------------------------------------

_STATUS: dict[type, int] = {
    E.NotFound: EXIT_NOT_FOUND,
    E.WrongState: EXIT_REFUSED, E.PermissionDenied: EXIT_REFUSED, E.Conflict: EXIT_REFUSED,
    E.CodeMismatch: EXIT_REFUSED,
    E.ReviewBlocked: EXIT_FAILED,
    E.Cancelled: 130,
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


def _error_line(e: BaseException, command: str | None) -> str:
    if isinstance(e, E.Error):
        msg = e.message
    elif isinstance(e, OSError) and e.filename:
        msg = f"{e.filename}: {e.strerror}"
    else:
        msg = str(e)
    msg = escape(msg.strip())
    return f"{PROG}{' ' + command if command else ''}: {msg}"


def _open(a: argparse.Namespace, c: Command) -> Registry:
    if c.access == "init":
        existed = os.path.exists(a.db) and a.db != ":memory:"
        reg = Registry(a.db, create=True, office=a.office)
        a._created = not existed
        return reg
    if a.db != ":memory:" and not os.path.exists(a.db):
        raise E.NotFound(-2, f"{a.db}: no such registry (create it with '{PROG} init "
                             f"--db {a.db}')")
    return Registry(a.db, read_only=c.access == "read", create=False)


def _emit(result: Result, a: argparse.Namespace, out: TextIO) -> int:
    if a.json:
        out.write(_json_text(result.data, indent=2) + "\n")
    elif result.text:
        out.write(escape(result.text, keep_newlines=True) + "\n")
    out.flush()
    return result.status


def run(argv: Sequence[str] | None = None, stdout: TextIO | None = None,
        stderr: TextIO | None = None) -> int:
    """Run the command line; returns the exit status."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    argv = list(sys.argv[1:] if argv is None else argv)
    want_json = "--json" in argv
    a: argparse.Namespace | None = None
    try:
        a = build_parser().parse_args(argv)
        c: Command = a._command
        actor = getattr(a, "actor", None)
        if c.role and not actor:
            raise UsageError(f"{c.name}: --actor is needed (or $PLEDGER_ACTOR)")
        now = os.environ.get("PLEDGER_NOW")
        fixed = parse_instant(now, "PLEDGER_NOW") if now else None
        if c.access == "none":
            result = c.handler(None, a)  # type: ignore[arg-type]
            return _emit(result, a, out)
        with _open(a, c) as reg:
            if fixed is not None:
                us = to_us(fixed)
                reg.set_clock(lambda: us)
            if actor:
                reg.set_actor(actor, a.role or "bank")
            result = c.handler(reg, a)
        return _emit(result, a, out)
    except KeyboardInterrupt:
        err.write(f"{PROG}: interrupted\n")
        return 130
    except Exception as e:  # noqa: BLE001 (never a traceback: one line and a status)
        cmd = getattr(a, "command", None) if a is not None else None
        expected = (E.Error, UsageError, Failed, OSError, ValueError)
        status = exit_status(e) if isinstance(e, expected) else EXIT_INTERNAL
        line = _error_line(e, cmd)
        if not isinstance(e, expected):
            line = _error_line(RuntimeError(f"internal error: {type(e).__name__}: {e}"), cmd)
        if want_json:
            d: dict[str, Any] = {"error": line, "status": status}
            if isinstance(e, E.Error):
                d.update(code=e.code, name=e.name, kind=type(e).__name__, message=e.message)
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
