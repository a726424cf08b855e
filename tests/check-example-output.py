#!/usr/bin/python3
"""Run the example programs against a temporary registry and check their
output for the facts they claim, so they can never silently rot.

usage: check-example-output.py SCENARIO --bindir DIR --srcdir DIR [--python]

SCENARIO is one of:
  demo               examples/demo.c: every step of the story, twice (the
                     output is reproducible), and the database it leaves
  demo-cli           the demo's last lines: the `python3 -m pledger`
                     commands it prints work on the database it left
  register-import    a fresh import, a re-import, a changed file with a bad
                     record, a truncated file, a larger generated file
  acceptance-window  a faulty application stopped with its findings, good
                     ones accepted with numbers from gap-free sequences
  registrar-desk     register, refuse, change, cancel; refusals of illegal
                     steps and of a wrong modification code
  bank-verifier      verify by number and code (current, superseded,
                     forged), at a past instant, search by right and party

--python runs the Python twins (examples/register_import.py,
examples/bank_verifier.py) instead of the C programs, and also checks that
they print exactly what the C programs print.  Exit status 0 when every
check holds; else each failed check is printed with the command and its
output.
"""
import argparse
import datetime
import hashlib
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile

# 2024-04-01T02:00:00Z, a Monday, 10:00 in Beijing: the examples' fixed clock.
T0 = 1711936800000000
DAY = 86400 * 1000000
CODE = r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
VALGRIND = (["valgrind", "-q", "--leak-check=full", "--show-leak-kinds=definite,indirect",
             "--errors-for-leak-kinds=definite,indirect", "--error-exitcode=99"]
            if os.environ.get("PLEDGER_VALGRIND") else [])


class Checker:
    def __init__(self, args, tmp):
        self.args = args
        self.tmp = tmp
        self.failures = []
        self.count = 0
        self.data = os.path.join(args.srcdir, "examples", "data")

    # ---- running ------------------------------------------------------------------

    def program(self, name):
        """The command that runs example NAME (C, or its Python twin).
        Under `meson test --setup valgrind` (PLEDGER_VALGRIND=1) the C
        programs run under memcheck: an error or a leak is exit status 99."""
        twin = {"register-import": "register_import.py", "bank-verifier": "bank_verifier.py"}
        if self.args.python and name in twin:
            return [sys.executable, os.path.join(self.args.srcdir, "examples", twin[name])]
        return VALGRIND + [os.path.join(self.args.bindir, name)]

    def run(self, argv, rc=0, now=None, env=None, what=None):
        """Run a command; check its exit status; return (stdout, stderr)."""
        e = dict(os.environ)
        e.pop("PLEDGER_NOW", None)
        if now is not None:
            e["PLEDGER_NOW"] = str(now)
        e.update(env or {})
        p = subprocess.run(argv, capture_output=True, text=True, env=e, timeout=600)
        self.last = (argv, p.stdout, p.stderr)
        self.check(p.returncode == rc, what or f"exit status {rc}",
                   f"exit status {p.returncode}")
        # In a sanitizer build a report may come with an expected status.
        self.check(not re.search(r"ERROR: (Address|Leak)Sanitizer|runtime error:", p.stderr),
                   "no sanitizer report")
        return p.stdout, p.stderr

    def example(self, name, *args, rc=0, now=None):
        return self.run(self.program(name) + [str(a) for a in args], rc=rc, now=now)

    # ---- checking -----------------------------------------------------------------

    def check(self, ok, what, got=""):
        self.count += 1
        if ok:
            return True
        argv, out, err = getattr(self, "last", ([], "", ""))
        self.failures.append(
            f"FAILED: {what}" + (f" (got: {got})" if got else "") +
            f"\n  command: {shlex.join(argv)}\n  stdout:\n{indent(out)}\n  stderr:\n{indent(err)}")
        return False

    def has(self, text, pattern, what=None):
        """PATTERN (a regular expression, multi-line) occurs in TEXT."""
        m = re.search(pattern, text, re.M)
        self.check(m is not None, what or f"output matches /{pattern}/")
        return m

    def hasnt(self, text, pattern, what=None):
        self.check(re.search(pattern, text, re.M) is None,
                   what or f"output does not match /{pattern}/")

    def eq(self, got, expected, what):
        self.check(got == expected, f"{what} == {expected!r}", repr(got))

    def db(self, name):
        return os.path.join(self.tmp, name)


def flat(text):
    """A paragraph's text with its line breaks and indentation folded to
    single spaces, so a check does not depend on where the lines wrap."""
    return re.sub(r"\s+", " ", text)


def indent(s):
    return "\n".join("    | " + line for line in s.splitlines()[-60:])


# ---- the demo ---------------------------------------------------------------------------

def run_demo(c, db):
    out, _ = c.run(c.program("demo") + [db, c.data], what="the demo runs")
    return out


def scenario_demo(c):
    db = c.db("demo.db")
    out = run_demo(c, db)

    # 1. the register
    c.has(out, r"imported\s+8 records \(8 new, 0 updated, 0 unchanged, 0 rejected\)")
    c.has(out, r"^\s+Wang Fang .*resident 11010519491231002X$",
          "the resident number is normalised (x -> X)")
    c.has(out, r"^\s+Minjiang's canning patent\s+patent\s+201310699744\.2$",
          "the patent number is normalised (ZL prefix and space dropped)")
    c.has(flat(section(out, 1)), r"check character is '4', expected '3'",
          "a bad USCC is refused with the reason")

    # 2. every finding of the faulty application, in one table
    step2 = section(out, 2)
    rows = re.findall(r"^\s+(\d+)\s+(blocking|correctable|risk|notice)\s+([A-Z_]+)\s+(\S.*)$",
                      step2, re.M)
    c.check(len(rows) >= 5, "the review lists at least 5 findings", str(len(rows)))
    c.eq([int(r[0]) for r in rows], list(range(1, len(rows) + 1)), "findings numbered 1..n")
    paths = {r[3].strip() for r in rows if r[1] in ("blocking", "correctable")}
    for p in ("pledgee/id", "claim/amount", "period/end", "rights/right[4]",
              "rights/right[2]/number", "rights/right[3]/number"):
        c.check(p in paths, f"a blocking or correctable finding about {p}", str(sorted(paths)))
    # the register rules: the seized mark, somebody else's mark, the missing similar mark
    c.has(step2, r"^\s+\d+\s+blocking\s+RIGHT_SEIZED\s+rights/right\[2\]/number$")
    c.has(step2, r"^\s+\d+\s+blocking\s+PLEDGOR_NOT_OWNER\s+rights/right\[3\]/number$")
    c.has(step2, r"^\s+\d+\s+\w+\s+TM_BUNDLE_MISSING\s+rights/right\[1\]/number$")
    c.has(flat(step2), r"TM_BUNDLE_MISSING .*12345679", "the bundling finding names the mark")
    m = c.has(step2, r"(\d+) findings: (\d+) blocking, (\d+) correctable\.")
    if m:
        c.eq(int(m.group(1)), len(rows), "the findings count")
        c.eq(int(m.group(2)) + int(m.group(3)),
             sum(r[1] in ("blocking", "correctable") for r in rows),
             "blocking + correctable")
    c.has(flat(step2), r"refuses to submit such a file \(", "the submission is refused")

    # 3. corrected: nothing stops it
    step3 = section(out, 3)
    c.hasnt(step3, r"^\s+\d+\s+(blocking|correctable)\s", "no blocking or correctable finding")
    c.has(flat(step3), r"Its state: submitted\.")

    # 4., 5. numbers and the certificate
    c.has(flat(section(out, 4)), r"Acceptance number: A-FZ01-TM-2024-000001\.")
    c.has(flat(section(out, 5)), r"registration number R-FZ01-TM-2024-000001\.")
    cert = section(out, 5)
    c.has(cert, r"\| CERTIFICATE OF PLEDGE REGISTRATION\s+version 1 \(current\)")
    c.has(cert, r"\| Registration number\s+R-FZ01-TM-2024-000001$")
    c.has(cert, r"\| Pledgor\s+Fujian Minjiang Foods Co\., Ltd\.$")
    c.has(cert, r"\| Pledgee\s+Qianhai Commercial Bank Co\., Ltd\.\n"
                r"\s+\|\s+USCC 914403001922038216$")
    c.has(cert, r"\| Pledged rights\s+No\. 12345678 \(Nice classes 29 30\)$")
    c.has(cert, r"^\s+\|\s+No\. 12345679 \(Nice class 30\)$")
    c.has(cert, r"\| Secured amount\s+CNY 3,000,000\.00$")
    c.has(cert, r"\| Registration period\s+2024-04-01 to 2027-03-31$")
    c.has(cert, r"\| Registered\s+2024-04-02 14:00 \(UTC\+8\)$")
    c.has(cert, r"\| Acceptance number\s+A-FZ01-TM-2024-000001$")
    m1 = c.has(cert, rf"\| Verification code\s+({CODE})$")

    # 6. the bank
    step6 = section(out, 6)
    if m1:
        c.has(step6, rf"code {m1.group(1)}: genuine and current")
    c.has(step6, r"state active, version 1, rank 1, secured CNY 3,000,000\.00")
    c.has(flat(step6), r"gets no answer at all: ")
    c.has(step6, r"^\s+R-FZ01-TM-2024-000001\s+active\s+Fujian Minjiang Foods Co\., Ltd\.\s+"
                 r"Qianhai Commercial Bank Co\., Ltd\.$", "the search by mark finds the pledge")
    c.has(step6, r"\(1 pledge\)")

    # 7. the change and the past
    step7 = section(out, 7)
    m2 = c.has(flat(step7), rf"new certificate \(code ({CODE})\)")
    if m1 and m2:
        c.check(m1.group(1) != m2.group(1), "the new certificate has a new code")
    c.has(flat(step7), r"genuine but out of date: it was issued for version 1 and superseded on "
                       r"2024-06-14 11:00; the pledge now stands at version 2\.")
    c.has(step7, r"as of 2024-05-01 12:00: version 1, active, secured CNY 3,000,000\.00")
    c.has(step7, r"as of 2024-06-20 09:00: version 2, active, secured CNY 4,500,000\.00")

    # 8. the receivable pledged twice, ranked
    step8 = section(out, 8)
    c.has(step8, r"^\s+1\s+R-FZ01-AR-2024-000001\s+2024-07-01 10:00\s+CNY 1,000,000\.00\s+"
                 r"Qianhai Commercial Bank")
    c.has(step8, r"^\s+2\s+R-FZ01-AR-2024-000002\s+2024-07-08 15:00\s+CNY 600,000\.00\s+"
                 r"Fuzhou Harbour Bank")
    c.has(step8, r"R-FZ01-AR-2024-000001 ranks before R-FZ01-AR-2024-000002")
    codes = re.findall(CODE, re.sub(r"\s+", " ", step8))
    c.check(len(set(codes)) == 2, "two different modification codes", str(codes))

    # 9. cancellation
    step9 = section(out, 9)
    c.has(flat(step9), r"A wrong modification code is refused \(")
    c.has(step9, r"R-FZ01-AR-2024-000001 is cancelled; R-FZ01-AR-2024-000002 now ranks 1")

    # 10. the journal, against the database itself
    m = c.has(section(out, 10), r"journal verified: (\d+) events, chain intact")
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as h:
        events = h.execute("SELECT count(*) FROM journal").fetchone()[0]
        app_id = h.execute("PRAGMA application_id").fetchone()[0]
    if m:
        c.eq(int(m.group(1)), events, "the journal events the demo verified")
    c.eq(app_id, 0x504C4447, "the database's application_id ('PLDG')")

    # 11. the figures
    step11 = section(out, 11)
    c.has(step11, r"registrations\s+3$")
    c.has(step11, r"cancellations\s+1$")
    c.has(step11, r"in force at year end\s+2$")
    c.has(step11, r"secured, registered\s+CNY 4,600,000\.00$")
    c.has(step11, r"secured, in force\s+CNY 5,100,000\.00$")

    # the end: where the database is, and how to explore it
    c.has(out, rf"^The registry this story left is {re.escape(db)}\.$")
    if m2:
        c.has(out, rf"^  /usr/bin/python3 -m pledger verify --db {re.escape(db)} R-FZ01-TM-2024-000001 "
                   rf"--code {m2.group(1)} --at 2024-12-31$")

    # reproducible: a second run prints the same, but for the random codes and the UUID
    out2 = run_demo(c, c.db("demo2.db"))
    mask = lambda s: re.sub(UUID, "UUID", re.sub(CODE, "CODE", s.replace(c.db("demo2.db"), db)))
    c.check(mask(out) == mask(out2), "two runs print the same story")

    # the demo refuses to write over nothing: usage
    c.run(c.program("demo"), rc=2, what="the demo without arguments")


def section(out, n):
    """Step N of the demo's output."""
    m = re.search(rf"^{n}\. .*?(?=^\d+\. |^=====|\Z)", out, re.M | re.S)
    return m.group(0) if m else ""


def scenario_demo_cli(c):
    db = c.db("demo.db")
    out = run_demo(c, db)
    # The commands work as printed: the installed package needs no
    # environment (the build tree's comes from the test's).
    env = {}
    c.hasnt(out, r"PLEDGER_(LIBRARY|CDEF)", "the demo asks for no environment variable")
    cmds = re.findall(r"^  /usr/bin/python3 (-m pledger .*)$", out, re.M)
    c.eq(len(cmds), 3, "command lines printed")
    expect = [
        [r"^number:\s+R-FZ01-TM-2024-000001$", r"^version:\s+2$", r"^VERIFIED$"],
        [r"^3 pledges$", r"R-FZ01-AR-2024-000002"],
        [r"^registrations:\s+3$", r"^cancellations:\s+1$"],
    ]
    # ... today, and years after the story's periods end (2027): what they
    # print stays true (a command that asked about "now" would find the
    # pledge expired then)
    for now in (None, "2035-06-01T00:00:00Z"):
        for cmd, pats in zip(cmds, expect):
            o, _ = c.run([sys.executable] + shlex.split(cmd), now=now, env=env,
                         what=f"`python3 {cmd}`" + (f" at {now}" if now else ""))
            for p in pats:
                c.has(o, p)


# ---- register-import ------------------------------------------------------------------

def import_report(c, out):
    r = {}
    for k in ("inserted", "updated", "unchanged", "rejected"):
        m = c.has(out, rf"^{k}\s+(\d+)$")
        r[k] = int(m.group(1)) if m else None
    return r


def scenario_register_import(c):
    src = os.path.join(c.data, "demo-register.xml")
    text = open(src, encoding="utf-8").read()
    size = os.path.getsize(src)
    db = c.db("reg.db")

    # a clock that is not microseconds is refused (by both twins), not read
    # as another instant; nothing is imported
    for bad in ("2024-04-01", "1e6", "99999999999999999999", " 5"):
        _, err = c.run(c.program("register-import") + [db, src], rc=2, env={"PLEDGER_NOW": bad})
        c.has(err, r"PLEDGER_NOW '.*' is not microseconds since the epoch")
    out, err = c.example("register-import", db, src)
    c.eq(import_report(c, out), {"inserted": 8, "updated": 0, "unchanged": 0, "rejected": 0},
         "first import")
    c.has(out, rf"^sha256\s+{hashlib.sha256(text.encode()).hexdigest()}$",
          "the report gives the file's SHA-256")
    c.has(err, rf"^progress 100%  8 records  {size} of {size} bytes$", "progress reaches 100 %")
    first_out = out

    out, _ = c.example("register-import", db, src)
    c.eq(import_report(c, out), {"inserted": 0, "updated": 0, "unchanged": 8, "rejected": 0},
         "re-import changes nothing")

    # A changed file: one mark released by the court, one bad record added.
    changed = text.replace('valid_to="2027-09-20"\n             seized="true"',
                           'valid_to="2027-09-20"')
    c.check(changed != text, "the test file was changed")
    bad = ('  <trademark number="99999999" status="registered" classes="9" '
           'valid_from="2014-01-07" valid_to="2034-01-06">\n'
           '    <owner name="Bad Co." id_type="uscc" id="91350100M000100Y44"/>\n'
           '  </trademark>\n')
    changed = changed.replace("</register>", bad + "</register>")
    bad_line = changed[:changed.index('number="99999999"')].count("\n") + 1
    path = c.db("changed.xml")
    open(path, "w", encoding="utf-8").write(changed)
    out, _ = c.example("register-import", db, path)
    c.eq(import_report(c, out), {"inserted": 0, "updated": 1, "unchanged": 7, "rejected": 1},
         "changed file")
    c.has(out, rf"^  line {bad_line}: .*99999999.*", "the rejection names its line and record")

    # A truncated file changes nothing, and says where it broke.
    trunc = c.db("truncated.xml")
    expired = changed.replace('number="12345678" status="registered"',
                              'number="12345678" status="expired"')
    open(trunc, "w", encoding="utf-8").write(expired[:len(expired) * 2 // 3])
    out, err = c.example("register-import", db, trunc, rc=1)
    c.has(err, r"line \d+", "the refusal names a line")
    out, _ = c.example("register-import", db, path)
    c.eq(import_report(c, out), {"inserted": 0, "updated": 0, "unchanged": 8, "rejected": 1},
         "after the truncated file, the register is unchanged")

    # A larger file: progress in steps.
    gen = os.path.join(c.args.srcdir, "tests", "gen-register.py")
    big = c.db("big.xml")
    c.run([sys.executable, gen, "3000", big], what="gen-register.py")
    out, err = c.example("register-import", c.db("big.db"), big)
    c.eq(import_report(c, out), {"inserted": 3000, "updated": 0, "unchanged": 0,
                                 "rejected": 0}, "3000 generated records")
    steps = [(int(p), int(r)) for p, r in re.findall(r"^progress\s+(\d+)%\s+(\d+) records", err,
                                                      re.M)]
    c.check(len(steps) >= 3, "at least three progress lines for 3000 records", str(steps))
    c.check(steps == sorted(steps), "progress never goes back", str(steps))
    c.check(bool(steps) and steps[-1] == (100, 3000), "progress ends at 100 %, 3000 records",
            str(steps[-1:]))

    c.example("register-import", db, rc=2)

    if c.args.python:
        saved = c.args.python
        c.args.python = False
        c_out, _ = c.example("register-import", c.db("c.db"), src)
        c.args.python = saved
        c.eq(first_out, c_out, "the Python twin prints what the C program prints")


# ---- acceptance-window ------------------------------------------------------------------

def scenario_acceptance_window(c):
    db = c.db("window.db")
    c.example("register-import", db, os.path.join(c.data, "demo-register.xml"), now=T0 - DAY)

    out, _ = c.example("acceptance-window", db, os.path.join(c.data, "trademark-draft.xml"),
                       rc=1, now=T0)
    m = c.has(out, r"^review\s+(\d+) findings$")
    c.check(bool(m) and int(m.group(1)) >= 5, "at least 5 findings")
    rows = re.findall(r"^  (blocking|correctable|risk|notice)\s+([A-Z_]+)\s+(\S+)\s", out, re.M)
    if m:
        c.eq(len(rows), int(m.group(1)), "one line per finding")
    paths = {p for s, _, p in rows if s in ("blocking", "correctable")}
    for p in ("pledgee/id", "claim/amount", "period/end", "rights/right[4]",
              "rights/right[2]/number", "rights/right[3]/number"):
        c.check(p in paths, f"a blocking or correctable finding about {p}", str(sorted(paths)))
    c.has(out, r"^state\s+reviewed: not submitted")
    c.hasnt(out, r"^acceptance", "no acceptance number")

    for name, number in (("trademark.xml", "A-FZ01-TM-2024-000001"),
                         ("receivable.xml", "A-FZ01-AR-2024-000001"),
                         ("patent.xml", "A-FZ01-PT-2024-000001")):
        out, _ = c.example("acceptance-window", db, os.path.join(c.data, name), now=T0)
        c.has(out, rf"^application\s+{UUID} \({name[:-4]}\)$")
        c.hasnt(out, r"^  (blocking|correctable)\s", f"{name}: nothing stops it")
        c.has(out, r"^state\s+submitted$")
        c.has(out, rf"^acceptance\s+{number}$", f"{name}: acceptance number {number}")
        c.has(out, r"^state\s+accepted$")

    c.example("acceptance-window", db, rc=2)
    c.example("acceptance-window", db, os.path.join(c.data, "missing.xml"), rc=2)


# ---- registrar-desk -----------------------------------------------------------------------

def accept(c, db, name, now):
    out, _ = c.example("acceptance-window", db, os.path.join(c.data, name), now=now)
    m = c.has(out, rf"^application\s+({UUID})")
    return m.group(1) if m else "none"


def scenario_registrar_desk(c):
    db = c.db("desk.db")
    # a clock that is not microseconds is refused by every program that
    # takes one, not read as another instant (2024-04-01 was 2024 us after 1970)
    c.example("register-import", c.db("clock.db"), os.path.join(c.data, "demo-register.xml"))
    for name, args in (("acceptance-window", [os.path.join(c.data, "trademark.xml")]),
                       ("registrar-desk", ["cancel", "R-1"])):
        for bad in ("2024-04-01", "1e6", "99999999999999999999", " 5"):
            _, err = c.run(c.program(name) + [c.db("clock.db")] + args, rc=2,
                           env={"PLEDGER_NOW": bad})
            c.has(err, r"PLEDGER_NOW '.*' is not microseconds since the epoch")
    c.example("register-import", db, os.path.join(c.data, "demo-register.xml"), now=T0 - DAY)
    tm = accept(c, db, "trademark.xml", T0)
    rc_ = accept(c, db, "receivable.xml", T0)
    pt = accept(c, db, "patent.xml", T0)

    out, _ = c.example("registrar-desk", db, "register", tm, now=T0 + DAY)
    c.has(out, r"^registered\s+R-FZ01-TM-2024-000001$")
    c.hasnt(out, r"^modcode", "no modification code for a trademark")
    c.has(out, r"^pledge\s+R-FZ01-TM-2024-000001: active, version 1, secured 300000000 CNY$")
    c.has(out, r"<registration_number>R-FZ01-TM-2024-000001</registration_number>")
    c.has(out, r"<version>1</version>")
    c.has(out, rf"<verification_code>{CODE}</verification_code>")
    out, err = c.example("registrar-desk", db, "register", tm, rc=1, now=T0 + DAY)
    c.check(tm in err or "state" in err, "registering twice is refused with a message", err)

    out, _ = c.example("registrar-desk", db, "refuse", pt, "PT_FEE_UNPAID",
                       "the annual fee for 2024 is unpaid", now=T0 + DAY)
    c.has(out, rf"^application\s+{pt}: refused \(PT_FEE_UNPAID\)$")
    c.example("registrar-desk", db, "register", pt, rc=1, now=T0 + DAY)

    out, _ = c.example("registrar-desk", db, "register", rc_, now=T0 + DAY)
    c.has(out, r"^registered\s+R-FZ01-AR-2024-000001$")
    m = c.has(out, rf"^modcode\s+({CODE}) ")
    modcode = m.group(1) if m else "none"

    # the number as a clerk types it; said back as registered
    out, _ = c.example("registrar-desk", db, "change", "r-fz01-tm-2024-000001", "450000000",
                       now=T0 + 30 * DAY)
    c.has(out, r"^changed\s+R-FZ01-TM-2024-000001$")
    c.has(out, r"^pledge\s+R-FZ01-TM-2024-000001: active, version 2, secured 450000000 CNY$")
    c.has(out, r"<version>2</version>")
    c.has(out, r"<amount currency=\"CNY\">450000000</amount>")

    c.example("registrar-desk", db, "change", "R-FZ01-AR-2024-000001", "90000000",
              "0000-0000-0000-0000", rc=1, now=T0 + 30 * DAY)
    out, _ = c.example("registrar-desk", db, "cancel", "R-FZ01-AR-2024-000001", modcode,
                       now=T0 + 40 * DAY)
    c.has(out, r"^cancelled\s+R-FZ01-AR-2024-000001$")
    c.has(out, r"^pledge\s+R-FZ01-AR-2024-000001: cancelled, version 2, secured 100000000 CNY$")

    out, _ = c.example("registrar-desk", db, "cancel", "R-FZ01-TM-2024-000001", now=T0 + 50 * DAY)
    c.has(out, r"^pledge\s+R-FZ01-TM-2024-000001: cancelled, version 3, secured 450000000 CNY$")
    # a refusal says its step once ("cancel: cancel: ..." before)
    _, err = c.example("registrar-desk", db, "cancel", "R-FZ01-TM-2024-000001", rc=1,
                       now=T0 + 51 * DAY)
    c.check("cancel: cancel:" not in err and "cancel:" in err, f"the step said once: {err}")
    c.example("registrar-desk", db, "cancel", "R-FZ01-TM-2024-000001", rc=1, now=T0 + 51 * DAY)
    c.example("registrar-desk", db, "change", "R-FZ01-TM-2024-000001", "-5", rc=2)
    # one past the largest amount is refused, not recorded as the largest
    for bad in ("9223372036854775808", "99999999999999999999", "+5", " 5", "5x"):
        _, err = c.example("registrar-desk", db, "change", "R-FZ01-TM-2024-000001", bad, rc=2)
        c.has(err, r"AMOUNT must be a positive number")
    out, _ = c.example("bank-verifier", db, "verify", "R-FZ01-TM-2024-000001", rc=1)
    c.has(out, r"^state\s+cancelled, version 3$", "the refused changes changed nothing")
    c.has(out, r"^secured\s+450000000 CNY")
    c.example("registrar-desk", db, "launder", "x", rc=2)
    c.example("registrar-desk", c.db("missing.db"), "cancel", "R-1", rc=2)


# ---- bank-verifier ------------------------------------------------------------------------

def state_now(end):
    """The state now of a pledge in force whose period's last day is @end
    (ISO date): the bank verifier answers for now, on the registry's date
    (UTC+8), and a pledge expires when its period has run out."""
    today = (datetime.datetime.now(datetime.timezone.utc)
             + datetime.timedelta(hours=8)).date().isoformat()
    return "active" if today <= end else "expired"


def scenario_bank_verifier(c):
    db = c.db("bank.db")
    demo = run_demo(c, db)
    m1 = c.has(section(demo, 5), rf"\| Verification code\s+({CODE})$")
    m2 = c.has(flat(section(demo, 7)), rf"new certificate \(code ({CODE})\)")
    code1 = m1.group(1) if m1 else "none"
    code2 = m2.group(1) if m2 else "none"
    tm = "R-FZ01-TM-2024-000001"
    outputs = []

    def ask(*args, rc=0):
        out, err = c.example("bank-verifier", db, *args, rc=rc)
        outputs.append((args, rc, out))
        return out, err

    tm_now = state_now("2027-03-31")         # the demo's trademark pledge
    ar_now = state_now("2025-06-30")         # its second receivable pledge
    tm_rank = 1 if tm_now == "active" else 0
    out, _ = ask("verify", tm, code2, rc=0 if tm_now == "active" else 1)
    for p in (rf"^number\s+{tm}$", r"^as of\s+now$", r"^kind\s+trademark \(pledge\)$",
              rf"^state\s+{tm_now}, version 2$", r"^registered\s+2024-04-02T06:00:00Z$",
              r"^pledgor\s+Fujian Minjiang Foods Co\., Ltd\. \(91350100M000100Y43\)$",
              r"^pledgee\s+Qianhai Commercial Bank Co\., Ltd\. \(914403001922038216\)$",
              r"^secured\s+450000000 CNY \(minor units\)$", r"^period\s+2024-04-01 to 2027-03-31$",
              rf"^right\s+12345678, rank {tm_rank}$", rf"^right\s+12345679, rank {tm_rank}$",
              rf"^rank\s+{tm_rank}$",
              r"^certificate\s+genuine and current \(version 2\)$"):
        c.has(out, p)
    out, _ = ask("verify", tm, code1, rc=1)
    c.has(out, r"^certificate\s+genuine but SUPERSEDED: issued for version 1, "
               r"replaced 2024-06-14T03:00:00Z$")
    out, _ = ask("verify", tm, "AAAA-BBBB-CCCC-DDDD", rc=1)
    c.has(out, r"^certificate\s+NOT GENUINE")
    c.hasnt(out, r"^state", "a forged code gets no answer")

    # point in time: before the change, and before the registration
    out, _ = ask("verify", tm, "-", "2024-05-01T04:00:00Z")
    c.has(out, r"^as of\s+2024-05-01T04:00:00Z$")
    c.has(out, r"^state\s+active, version 1$")
    c.has(out, r"^secured\s+300000000 CNY \(minor units\)$")
    c.has(out, r"^certificate\s+not checked")
    ask("verify", tm, "-", "2024-04-01T00:00:00Z", rc=1)
    out, _ = ask("verify", tm, "-", str(T0 + 2 * DAY))   # microseconds work too
    c.has(out, r"^state\s+active, version 1$")
    # an offset, or a day (its midnight UTC), as the library reads them
    out, _ = ask("verify", tm, "-", "2024-05-01T12:00:00+08:00")
    c.has(out, r"^as of\s+2024-05-01T04:00:00Z$")
    out, _ = ask("verify", tm, "-", "2024-05-02")
    c.has(out, r"^as of\s+2024-05-02T00:00:00Z$")
    c.has(out, r"^state\s+active, version 1$")
    # what is not an instant is refused, not read as another one: a day its
    # month does not have (it was read as 1 March), a count past the year
    # 9999, an empty argument (the Python twin answered for now)
    for bad in ("2024-02-30T00:00:00Z", "2024-13-01", "2024-5-1T00:00:00Z",
                "99999999999999999999", "253402300800000000", "", "1٢3",
                "9999-12-31T23:00:00-02:00"):   # past the year 9999 in UTC
        _, err = ask("verify", tm, "-", bad, rc=2)
        c.has(err, r"is not an instant")

    out, _ = ask("verify", "R-FZ01-AR-2024-000001", rc=1)
    c.has(out, r"^state\s+cancelled, version 2$")
    c.has(out, r"^rank\s+0$")
    ask("verify", "R-FZ01-XX-2024-999999", rc=1)

    # search by right: every pledge of the debtor's receivables, in order
    out, _ = ask("right", "receivable", "91440300MA5F00001A")
    hits = re.findall(r"^(R-\S+)\s+receivable\s+(\S+)\s", out, re.M)
    c.eq(hits, [("R-FZ01-AR-2024-000001", "cancelled"), ("R-FZ01-AR-2024-000002", ar_now)],
         "pledges on the receivable, in registration order")
    c.has(out, r"^2 pledges$")
    out, _ = ask("right", "receivable", "91440300MA5F00001A/SS-2024-017", "2024-07-05T00:00:00Z")
    c.eq(re.findall(r"^(R-\S+)\s+receivable\s+(\S+)\s", out, re.M),
         [("R-FZ01-AR-2024-000001", "active")], "on 5 July, one pledge, active")
    out, _ = ask("right", "trademark", "12345679")
    c.has(out, rf"^{tm}\s+trademark\s+{tm_now}\s+2024-04-02T06:00:00Z\s+Fujian Minjiang")
    c.has(out, r"^1 pledge$")
    out, _ = ask("right", "trademark", "12345679", "2024-04-01T00:00:00Z", rc=1)
    c.has(out, r"^0 pledges$")
    ask("right", "castle", "1", rc=2)

    # search by party
    out, _ = ask("party", "91350100M000100Y43")
    c.has(out, r"^3 pledges$")
    out, _ = ask("party", "91350100MA2Y00002L")
    c.has(out, rf"^R-FZ01-AR-2024-000002\s+receivable\s+{ar_now}\s")
    c.has(out, r"^1 pledge$")
    out, _ = ask("party", "11010519491231002X", rc=1)
    c.has(out, r"^0 pledges$")
    ask("party", "91350100M000100Y44", rc=2)   # not a valid USCC
    ask("verify", rc=2)

    if c.args.python:
        # The twins agree: same exit status, same output, line for line.
        for args, rc, py_out in outputs:
            p = subprocess.run([os.path.join(c.args.bindir, "bank-verifier"), db, *args],
                               capture_output=True, text=True)
            c.last = (["bank-verifier", db, *args], p.stdout, p.stderr)
            c.eq((p.returncode, p.stdout), (rc, py_out),
                 f"the C program's status and output for {' '.join(args)}")


SCENARIOS = {
    "demo": scenario_demo,
    "demo-cli": scenario_demo_cli,
    "register-import": scenario_register_import,
    "acceptance-window": scenario_acceptance_window,
    "registrar-desk": scenario_registrar_desk,
    "bank-verifier": scenario_bank_verifier,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", choices=sorted(SCENARIOS))
    ap.add_argument("--bindir", required=True, help="the build directory's examples/")
    ap.add_argument("--srcdir", required=True, help="the source tree")
    ap.add_argument("--python", action="store_true", help="run the Python twins")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="pledger-example-")
    try:
        c = Checker(args, tmp)
        SCENARIOS[args.scenario](c)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in c.failures:
        print(f, end="\n\n")
    print(f"{args.scenario}{' (Python)' if args.python else ''}: "
          f"{c.count - len(c.failures)} of {c.count} checks passed")
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())
