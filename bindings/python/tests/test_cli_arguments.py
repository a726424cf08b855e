"""Every numeric option of every subcommand, found in the argparse parser
itself (a new subcommand or option is covered by itself): an oversized,
negative, empty or non-numeric value is a usage error -- exit status 2,
one line naming the option, no traceback."""
from __future__ import annotations

import argparse
import io
import pathlib
import re

import pytest

from conftest import run_cli
from pledger import cli as m


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    p = m.build_parser()
    for a in p._actions:
        if isinstance(a, argparse._SubParsersAction):
            return dict(a.choices)
    raise AssertionError("no subcommands")


SUBCOMMANDS = _subcommands()


def _numeric(sp: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in sp._actions if a.type is int or isinstance(a.type, m.IntOption)]


#: (command, option) of every numeric argument; a positional one by its name
NUMERIC = [(name, a.option_strings[-1] if a.option_strings else a.dest)
           for name, sp in SUBCOMMANDS.items() for a in _numeric(sp)]


def _line(name: str, option: str, value: str) -> list[str]:
    """A command line of ``name`` whose only fault is ``option value``."""
    sp = SUBCOMMANDS[name]
    args = [name]
    for a in sp._actions:
        if a.option_strings or a.dest in ("help",):
            continue
        args.append(value if a.dest == option else "uscc" if a.choices else
                    "1" if isinstance(a.type, m.IntOption) else "x")
    for a in sp._actions:
        if a.option_strings and a.required:
            args += [a.option_strings[-1], "2024-01-01"]
    return args + ([option, value] if option.startswith("-") else []) + ["--actor", "a"]


def test_every_numeric_option_is_typed() -> None:
    # no bare type=int (it overflows in the library); the known ones are found
    assert all(isinstance(a.type, m.IntOption) for sp in SUBCOMMANDS.values()
               for a in _numeric(sp))
    assert {("search", "--page-size"), ("due", "--within"),
            ("certificate", "--version")} <= set(NUMERIC)
    # --amount is money as people write it (pledger.parse_money), not an int:
    # test_cli_i18n.py checks what it takes and refuses


BAD = {"oversized": "1" + "0" * 30, "int64+1": str(2**63), "huge": "9" * 5000,
       "negative": "-5", "empty": "", "text": "ten", "float": "1.5",
       "control": "1\x1b[31m"}


@pytest.mark.parametrize("name,option", NUMERIC)
@pytest.mark.parametrize("what", list(BAD))
def test_bad_numeric_values_are_usage_errors(name: str, option: str, what: str,
                                             tmp_path: pathlib.Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    status = m.run(_line(name, option, BAD[what]) + ["--db", str(tmp_path / "r.db")],
                   out, err)
    assert status == m.EXIT_USAGE, (status, err.getvalue())
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and option in lines[0], lines
    assert out.getvalue() == ""
    assert "\x1b" not in lines[0] and len(lines[0]) < 300, lines[0]
    assert not (tmp_path / "r.db").exists()  # refused before anything is opened


@pytest.mark.parametrize("name,option", NUMERIC)
def test_in_a_real_process_no_traceback(name: str, option: str,
                                        tmp_path: pathlib.Path) -> None:
    for value in (BAD["oversized"], "-5"):
        r = run_cli(*_line(name, option, value), "--db", str(tmp_path / "r.db"))
        assert r.status == 2, r
        assert "Traceback" not in r.err and len(r.err.strip().splitlines()) == 1, r
        assert option in r.err
        r = run_cli(*_line(name, option, value), "--db", str(tmp_path / "r.db"), "--json")
        assert r.status == 2 and r.error()["status"] == 2 and option in r.error()["error"]
        # a usage error has its kind and message as the library's errors do
        assert r.error()["kind"] == "UsageError" and option in r.error()["message"], r
        assert not r.error()["message"].startswith("pledger"), r


def _stated_range(message: str) -> tuple[int, int]:
    m_ = re.search(r"it must be (-?[0-9]+) to (-?[0-9]+)", message)
    assert m_, message
    return int(m_[1]), int(m_[2])


@pytest.mark.parametrize("name,option", NUMERIC)
def test_the_range_stated_is_the_range_taken(name: str, option: str,
                                             tmp_path: pathlib.Path) -> None:
    """A value under the range and one over it are refused stating the
    same range, and its ends are taken: --page-size -1 said "1 to
    2147483647" while 20000 was refused by the library ("over the limit
    of 10000")."""
    ranges = set()
    for value in ("-5", BAD["oversized"]):
        err = io.StringIO()
        assert m.run(_line(name, option, value) + ["--db", str(tmp_path / "r.db")],
                     io.StringIO(), err) == m.EXIT_USAGE
        ranges.add(_stated_range(err.getvalue()))
    assert len(ranges) == 1, ranges
    lo, hi = ranges.pop()
    action = next(a for a in SUBCOMMANDS[name]._actions
                  if (a.option_strings[-1] if a.option_strings else a.dest) == option)
    assert action.type(str(lo)) == lo and action.type(str(hi)) == hi
    for outside in (lo - 1, hi + 1):
        with pytest.raises(argparse.ArgumentTypeError) as e:
            action.type(str(outside))
        assert _stated_range(str(e.value)) == (lo, hi)


#: the options the library bounds itself, each with a command line that
#: runs on an empty registry; the end of the range the option states must
#: be what the library takes (a refusal there would be the library's,
#: with another range)
LIBRARY_BOUNDED = [
    ("search", "--page-size", []),
    ("due", "--within", ["--role", "registrar"]),
    ("applications", "--limit", ["--role", "clerk"]),
    ("reports", "--limit", ["--role", "auditor"]),
]


@pytest.mark.parametrize("name,option,extra", LIBRARY_BOUNDED)
def test_the_library_takes_the_range_stated(name: str, option: str, extra: list[str],
                                            tmp_path: pathlib.Path) -> None:
    db = str(tmp_path / "r.db")
    assert m.run(["init", "--db", db], io.StringIO(), io.StringIO()) == 0
    action = next(a for a in SUBCOMMANDS[name]._actions if option in a.option_strings)
    assert action.type.maximum is not None
    lo, hi = action.type.minimum, action.type.maximum
    for value in (lo, hi):
        err = io.StringIO()
        status = m.run([name, option, str(value), "--db", db, "--actor", "a", *extra],
                       io.StringIO(), err)
        assert status == 0, (value, err.getvalue())
    err = io.StringIO()
    assert m.run([name, option, str(hi + 1), "--db", db, "--actor", "a", *extra],
                 io.StringIO(), err) == m.EXIT_USAGE
    assert option in err.getvalue() and _stated_range(err.getvalue()) == (lo, hi)


def test_limits_reach_the_library(tmp_path: pathlib.Path) -> None:
    db = str(tmp_path / "r.db")
    assert run_cli("init", "--db", db).status == 0
    r = run_cli("certificate", "R-NOPE", "--version", str(2**31 - 1), "--db", db)
    assert r.status == 3, r
    # the largest amount: 2**63 - 1 fen, as written
    r = run_cli("change", "R-NOPE", "--amount", "92,233,720,368,547,758.07", "--actor", "r",
                "--db", db)
    assert r.status == 3, r
    r = run_cli("change", "R-NOPE", "--amount", "92,233,720,368,547,758.08", "--actor", "r",
                "--db", db)
    assert r.status == 2 and "too large" in r.err, r
    r = run_cli("search", "--at", "9" * 30, "--db", db)
    assert r.status == 2 and "--at" in r.err and "Traceback" not in r.err, r
    r = run_cli("search", "--at", str(2**63 - 1), "--db", db)
    assert r.status == 2 and "out of range" in r.err, r
    r = run_cli("search", "--db", db, env={"PLEDGER_NOW": "-" + "9" * 40})
    assert r.status == 2 and "PLEDGER_NOW" in r.err, r


def test_compact_dates_are_dates(tmp_path: pathlib.Path) -> None:
    """20240601 is ISO 8601's basic form of a date, for --at, --since,
    --until and $PLEDGER_NOW alike (it was read as 20 seconds after
    1970); other digit strings stay microseconds."""
    import datetime as dt
    from pledger import cli as m
    utc = dt.timezone.utc
    # a date, which the registry reads as that day of its calendar
    assert m.parse_instant("20240601", "--at", utc) == dt.date(2024, 6, 1)
    assert m.parse_instant(" 20240601 ", "--at", utc) == dt.date(2024, 6, 1)
    assert m.parse_instant("2024-06-01", "--at", utc) == dt.date(2024, 6, 1)
    assert m.parse_instant("1711936800000000", "--at", utc) == dt.datetime(
        2024, 4, 1, 2, 0, tzinfo=utc)
    for bad in ("20241301", "20240230", "00000000"):
        with pytest.raises(m.UsageError) as e:
            m.parse_instant(bad, "--since", utc)
        assert "--since" in str(e.value) and "YYYYMMDD" in str(e.value)
    db = str(tmp_path / "r.db")
    assert run_cli("init", "--db", db).status == 0
    for opt in ("--since", "--until"):
        r = run_cli("reports", opt, "20241301", "--actor", "a", "--role", "auditor",
                    "--db", db)
        assert r.status == 2 and opt in r.err and "YYYYMMDD" in r.err, r
    r = run_cli("search", "--at", "20240230", "--db", db)
    assert r.status == 2 and "--at" in r.err and "YYYYMMDD" in r.err, r
    r = run_cli("search", "--db", db, env={"PLEDGER_NOW": "20240231"})
    assert r.status == 2 and "PLEDGER_NOW" in r.err and "YYYYMMDD" in r.err, r
    r = run_cli("search", "--db", db, env={"PLEDGER_NOW": "20240601"})
    assert r.status == 0, r


def test_an_unexpected_exception_is_one_line(monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: pathlib.Path) -> None:
    def boom(reg: object, a: object) -> None:
        raise ZeroDivisionError("division by zero\nsecond line")
    monkeypatch.setattr(m.COMMANDS["search"], "handler", boom)
    db = str(tmp_path / "r.db")
    out, err = io.StringIO(), io.StringIO()
    assert m.run(["init", "--db", db], out, err) == 0
    out, err = io.StringIO(), io.StringIO()
    assert m.run(["search", "--db", db], out, err) == m.EXIT_INTERNAL
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and "internal error: ZeroDivisionError" in lines[0], lines
    assert "70 internal error" in m.EPILOG and "\x1b" not in m.EPILOG


def test_a_library_that_cannot_be_loaded_is_one_line() -> None:
    import os
    import subprocess
    import sys
    from conftest import HERE
    env = dict(os.environ, PLEDGER_CDEF=os.devnull + "/missing.cdef")
    p = subprocess.run([sys.executable, str(HERE.parent / "pledger-script.py"), "search"],
                       capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 70 and p.stdout == "", p
    assert len(p.stderr.splitlines()) == 1 and "Traceback" not in p.stderr, p.stderr
    assert p.stderr.startswith("pledger: ") and "missing.cdef" in p.stderr


@pytest.mark.parametrize("name", [None] + sorted(SUBCOMMANDS))
def test_a_refused_command_line_names_the_program_once(name: str | None,
                                                        tmp_path: pathlib.Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """argparse's refusals -- an unknown option, a missing argument, an
    unknown command -- are one line that begins with the program and the
    command, once ("pledger: pledger: ..." was printed)."""
    # a command that needs nothing more runs on ./pledger.db: here, not in
    # the directory the suite was started from
    monkeypatch.chdir(tmp_path)
    for argv in ([name, "--no-such-option"] if name else ["no-such-command"],
                 [name] if name else []):
        out, err = io.StringIO(), io.StringIO()
        status = m.run([a for a in argv if a is not None], out, err)
        lines = err.getvalue().splitlines()
        if status == 0:   # the command needs nothing more
            continue
        assert len(lines) == 1, (argv, lines)
        assert lines[0].startswith(f"pledger {name}: " if name else "pledger: "), lines[0]
        if status == m.EXIT_NOT_FOUND and argv == [name]:
            continue    # all it needs, but no ./pledger.db: said naming the file
        assert status == m.EXIT_USAGE, (argv, lines)
        assert lines[0].count("pledger") == 1 + lines[0].count("pledger_"), lines[0]


#: command lines the library refuses for one option's value (the library's
#: message names the C call and its field: q->to, opts->code)
LIBRARY_REFUSALS = [
    (["stats", "--from", "2024-12-31", "--to", "2024-01-01"], "--to"),
    (["stats", "--from", "0000-01-01", "--to", "2024-01-01"], "--from"),
    (["verify", "R-FZ01-TM-2024-000001", "--code", ""], "--code"),
    (["search", "--party-name", ""], "--party-name"),
    (["search", "--party-id", ""], "--party-id"),
    # the library's field (right_id) is not the option's name
    (["search", "--right", "", "--kind", "trademark"], "--right is empty"),
    (["search", "--right", "abc", "--kind", "trademark"], "--right (trademark)"),
    (["search", "--right", "abc"], "--right needs --kind"),
    # the actor's name is --actor (the C call's "name"); who asked is --asked-by
    (["due", "--actor", "\x7f"], "--actor holds U+007F at character 1"),
    (["due", "--actor", "a" * 200], "--actor must be 1 to 128 bytes"),
    # white space alone names nobody (a blank actor was journaled)
    (["due", "--actor", " "], "--actor is white space only"),
    (["due", "--actor", "\u3000 "], "--actor is white space only"),
    (["reports", "--asked-by", "", "--actor", "a-1", "--role", "auditor"],
     "--asked-by must be"),
    (["reports", "--since", "2025-01-01", "--until", "2024-01-01", "--actor", "a-1",
      "--role", "auditor"], "--since is after --until"),
    (["check-id", "uscc", ""], "USCC"),
    # an option that fills an argument of another name (--from fills
    # registered_from): the option named, wherever the library names a field
    (["search", "--from", "2024-12-31", "--to", "2024-01-01"],
     "--to 2024-01-01 is before --from 2024-12-31"),
    (["due", "--within", "-1", "--actor", "c-1", "--role", "clerk"], "--within"),
]


@pytest.mark.parametrize("argv,option", LIBRARY_REFUSALS)
def test_library_refusals_speak_of_options(argv: list[str], option: str,
                                           tmp_path: pathlib.Path) -> None:
    """A refusal the library words names the command line's option, not
    the C call and its structure's field ("pledger_stats_get: q->to ...");
    --json's message is the library's without the C names, as pledgerd
    answers it."""
    db = str(tmp_path / "r.db")
    assert run_cli("init", "--db", db).status == 0
    r = run_cli(*argv, "--db", db)
    assert r.status == 2, r
    line = r.err.strip()
    assert line.startswith(f"pledger {argv[0]}: ") and option in line, line
    assert "->" not in line and "pledger_" not in line and "right_id" not in line, line
    r = run_cli(*argv, "--db", db, "--json")
    assert r.status == 2 and option in r.error()["error"], r
    message = r.error()["message"]
    assert "->" not in message and not message.startswith("pledger_"), message


def test_certificate_version_counts_from_one(tmp_path: pathlib.Path) -> None:
    """--version 0 was taken as "the latest": 0 is no version."""
    db = str(tmp_path / "r.db")
    assert run_cli("init", "--db", db).status == 0
    r = run_cli("certificate", "R-FZ01-TM-2024-000001", "--version", "0", "--db", db)
    assert r.status == 2 and "--version" in r.err, r
    r = run_cli("due", "--db", db)
    assert r.status == 2 and r.err.strip() == \
        "pledger due: --actor is needed (or $PLEDGER_ACTOR)", r


def test_options_before_the_command_are_shown_where_they_go() -> None:
    """``pledger --db r.db search`` said "invalid choice: 'r.db'"."""
    for argv, lead in ((["--db", "r.db", "search"], "--db r.db"),
                       (["--lang", "en", "--db=r.db", "--json", "show", "R-1"],
                        "--db=r.db --json")):
        out, err = io.StringIO(), io.StringIO()
        assert m.run(argv, out, err) == m.EXIT_USAGE
        cmd = [a for a in argv if a in m.COMMANDS][0]
        assert f"{lead}: " in err.getvalue() and f"pledger {cmd} {lead}" in err.getvalue(), \
            err.getvalue()
    r = run_cli("--lang", "zh_CN", "--db", "r.db", "search")
    assert r.status == 2 and "命令的选项" in r.err and "pledger search --db r.db" in r.err, r


def test_an_abbreviated_option_is_refused(tmp_path: pathlib.Path) -> None:
    """An option is taken as written: ``reports --to 2026-12-07`` was
    argparse's ``--token 2026-12-07``, the filter silently dropped (exit 0,
    every report); no prefix of any command's long option stands for it."""
    db = str(tmp_path / "r.db")
    r = run_cli("init", "--db", db, "--office", "FZ01")
    assert r.status == 0, r
    r = run_cli("reports", "--db", db, "--actor", "aud", "--to", "2026-12-07")
    assert r.status == 2 and "unrecognized arguments: --to 2026-12-07" in r.err, r
    for name, sp in SUBCOMMANDS.items():
        longs = {o for a in sp._actions for o in a.option_strings if o.startswith("--")}
        given = [name] + [str(list(a.choices)[0]) if a.choices else "1"
                          for a in sp._actions if not a.option_strings and
                          a.dest != "help" and a.nargs not in ("*", "?")]
        for a in sp._actions:
            if a.option_strings and a.required:
                given += [a.option_strings[-1], "2024-01-01"]
        for opt in longs:
            # the option less its last letter: what argparse completed
            for prefix in [opt[:-1]] if len(opt) > 3 and opt[:-1] not in longs else []:
                out, err = io.StringIO(), io.StringIO()
                status = m.run(given + [prefix, "x", "--db", db], out, err)
                assert status == m.EXIT_USAGE and prefix in err.getvalue(), \
                    (name, prefix, err.getvalue())


def test_a_db_given_is_asked_even_with_pledger_url(tmp_path: pathlib.Path) -> None:
    """$PLEDGER_URL is a default: a --db on the command line is the registry
    asked (the service's answer in its place was a bank's check of its own
    copy answered by another registry, exit 0); --db with --url is refused."""
    db = str(tmp_path / "r.db")
    assert run_cli("init", "--db", db, "--office", "FZ01").status == 0
    env = {"PLEDGER_URL": "https://127.0.0.1:1", "PLEDGER_TOKEN": "bank-1.secret"}
    r = run_cli("search", "--party-id", "91350100M000100Y43", "--db", db, "--actor", "b",
                "--json", env=env)
    assert r.status == 0 and r.json()["count"] == 0, r
    r = run_cli("verify", "R-FZ01-TM-2024-000001", "--db", str(tmp_path / "none.db"),
                env=env)
    assert r.status == 3 and "none.db: no such registry" in r.err, r
    # without --db, $PLEDGER_URL is asked (here: nothing listens there)
    r = run_cli("verify", "R-FZ01-TM-2024-000001", env=env)
    assert r.status == 5 and "https://127.0.0.1:1" in r.err, r
    # and $PLEDGER_DB does not stand in the way of a --url given
    r = run_cli("verify", "R-FZ01-TM-2024-000001", "--url", "https://127.0.0.1:1",
                "--token", "bank-1.secret", env={"PLEDGER_DB": db})
    assert r.status == 5 and "https://127.0.0.1:1" in r.err, r
    r = run_cli("verify", "R-FZ01-TM-2024-000001", "--db", db, "--url",
                "https://127.0.0.1:1", "--token", "bank-1.secret")
    assert r.status == 2 and "--db and --url" in r.err, r


def test_instants_at_the_edges_of_the_years(tmp_path: pathlib.Path) -> None:
    """The last instant of the year 9999 in UTC is shown (in UTC: the
    registry's zone would take it past the year 9999; it said "internal
    error: OverflowError"); one whose offset takes it past 9999 in UTC is a
    usage error naming --at."""
    db = str(tmp_path / "r.db")
    assert run_cli("init", "--db", db).status == 0
    for at in ("9999-12-31T23:59:59.999999Z", "253402300799999999"):
        # still to come: refused as such, not an internal error
        r = run_cli("verify", "R-NOPE", "--at", at, "--db", db)
        assert r.status == 2 and "instants that have passed" in r.err, r
    r = run_cli("due", "--at", "9999-12-31T23:59:59.999999Z", "--db", db, "--actor", "c-1",
                "--role", "clerk")
    assert r.status == 0 and "internal error" not in r.err, r
    for at in ("9999-12-31T23:59:59.999999-14:00", "0001-01-01T00:00:00+14:00"):
        r = run_cli("verify", "R-NOPE", "--at", at, "--db", db)
        assert r.status == 2 and "--at" in r.err and "years 1 to 9999" in r.err, r


@pytest.mark.parametrize("args,option", [
    (["request-correction", "U", "--note"], "--note"),
    (["refuse", "U", "--ground"], "--ground"),
    (["revoke", "R-NOPE", "--ground"], "--ground"),
    (["object", "R-NOPE", "--objector"], "--objector"),
])
@pytest.mark.parametrize("blank", ["", "   ", " \t ", "\u3000"])
def test_white_space_alone_is_empty(tmp_path: pathlib.Path, args: list, option: str,
                                    blank: str) -> None:
    """A required free-text argument of white space alone is refused as empty,
    as "" is, naming it as the option it was given with ("--ground is
    empty", not the library's "ground is empty")."""
    db = str(tmp_path / "r.db")
    assert run_cli("init", "--db", db).status == 0
    r = run_cli(*args, blank, "--actor", "a", "--db", db)
    assert r.status == 2 and f": {option} " in r.err and "empty" in r.err, r


#: (command, option) of every instant option
INSTANT_OPTIONS = [(name, a.option_strings[-1]) for name, sp in SUBCOMMANDS.items()
                   for a in sp._actions if a.option_strings and a.metavar == "INSTANT"]


@pytest.mark.parametrize("name,option", INSTANT_OPTIONS,
                         ids=[f"{a}:{b}" for a, b in INSTANT_OPTIONS])
@pytest.mark.parametrize("value", ["", "  "], ids=["empty", "blank"])
def test_an_empty_instant_is_refused(name: str, option: str, value: str,
                                     tmp_path: pathlib.Path) -> None:
    """``--at ""`` answered for now, as if the option were left out."""
    assert {("verify", "--at"), ("search", "--at"), ("rank", "--at"),
            ("due", "--at")} <= set(INSTANT_OPTIONS)
    db = str(tmp_path / "r.db")
    assert run_cli("init", "--db", db).status == 0
    line = _line(name, option, value)
    r = run_cli(*line[:1], *["R-X" if x == "x" else x for x in line[1:]], "--role", "auditor",
                "--db", db)
    assert r.status == 2 and option in r.err and "empty" in r.err, r


def test_an_instant_still_to_come_is_not_answered(tmp_path: pathlib.Path) -> None:
    """A verification, a search or a rank for an instant
    after the registry's now was answered as if final."""
    db = str(tmp_path / "r.db")
    assert run_cli("init", "--db", db).status == 0
    now = {"PLEDGER_NOW": "2024-06-01T00:00:00Z"}
    for line in (["verify", "R-X"], ["search"], ["rank", "R-X"], ["show", "R-X"],
                 ["show", "R-X", "--xml"]):
        r = run_cli(*line, "--at", "2024-06-01T00:00:01Z", "--actor", "b", "--db", db, env=now)
        assert r.status == 2 or r.status == 1, r
        assert "--at" in r.err and "instants that have passed" in r.err, r
    r = run_cli("search", "--at", "2024-06-01T00:00:00Z", "--actor", "b", "--db", db, env=now)
    assert r.status == 0, r
    # the office's due list is a planning list: a day to come is its point
    r = run_cli("due", "--at", "2030-01-01", "--actor", "r", "--role", "registrar",
                "--db", db, env=now)
    assert r.status == 0, r


def test_dates_as_typed(tmp_path: pathlib.Path) -> None:
    """A date option read as the library reads every date: full-width
    digits, white space around it, YYYYMMDD, the years 0001 to 9999 ("is
    longer than 10 bytes" was said of "２０２４-０１-０１" and
    " 2024-01-01 "); what is no date is said so, naming the option."""
    db = str(tmp_path / "r.db")
    assert run_cli("init", "--db", db).status == 0
    who = ["--actor", "a", "--role", "auditor", "--db", db]
    for typed in ("２０２４－０１－０１", "２０２４-０１-０１", " 2024-01-01 ", "\u30002024-01-01",
                  "20240101"):
        r = run_cli("stats", "--from", typed, "--to", "2024-12-31", "--json", *who)
        assert r.status == 0 and '"start": "2024-01-01"' in r.out, (typed, r)
        r = run_cli("search", "--from", typed, *who)
        assert r.status == 0, (typed, r)
    r = run_cli("stats", "--from", "0001-01-01", "--to", "2024-12-31", *who)
    assert r.status == 0, r
    for typed, why in (("10000-01-01", "not a date (YYYY-MM-DD)"),
                       ("0000-01-01", "0001 to 9999"), ("2024-02-30", "not a real date")):
        for line in (["stats", "--from", typed, "--to", "2024-12-31"], ["search", "--from", typed]):
            r = run_cli(*line, *who)
            assert r.status == 2 and "--from" in r.err and why in r.err, (line, r)
    # extend: the date is read before the number is looked up
    for typed in ("２０３０-０１-０１", " 2029-01-01 "):
        r = run_cli("extend", "R-NOPE", typed, "--actor", "r", "--db", db)
        assert r.status == 3 and "bytes" not in r.err, (typed, r)
    r = run_cli("extend", "R-NOPE", "10000-01-01", "--actor", "r", "--db", db)
    assert r.status == 2 and "not a date (YYYY-MM-DD)" in r.err, r


@pytest.mark.parametrize("name,option", NUMERIC)
def test_numbers_as_typed_full_width(name: str, option: str) -> None:
    """Every numeric option reads full-width digits as typed, as the dates
    and identifiers do ("'３０' is not an integer" was said of --within
    ３０); a full-width minus is still under the range."""
    sp = SUBCOMMANDS[name]
    a = next(x for x in _numeric(sp) if (x.option_strings[-1] if x.option_strings
                                          else x.dest) == option)
    assert a.type("１") == a.type("1") and a.type("\u3000２０ ") == 20
    with pytest.raises(argparse.ArgumentTypeError, match="must be"):
        a.type("－５")


def test_instants_as_typed_full_width(tmp_path: pathlib.Path) -> None:
    """--at reads full-width digits, dashes, colons and the ideographic
    space as the date options do."""
    db = str(tmp_path / "r.db")
    assert run_cli("init", "--db", db).status == 0
    for typed, want in (("２０２４－０３－０１", "2024-02-29T16:00:00Z"),
                        ("２０２４－０３－０１\u3000１０：３０", "2024-03-01T02:30:00Z")):
        r = run_cli("due", "--at", typed, "--json", "--actor", "c", "--role", "clerk",
                    "--db", db)
        assert r.status == 0 and r.json()["today"] == "2024-03-01", (typed, r)
    assert m.parse_instant("２０２４－０３－０１\u3000１０：３０Ｚ", "--at").isoformat() == \
        "2024-03-01T10:30:00+00:00"
