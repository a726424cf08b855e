#!/usr/bin/python3
"""Import a reference register of rights with a progress display: the
Python twin of register-import.c (same output, same exit status).

usage: register_import.py REGISTRY.db REGISTER.xml

The file (share/pledger/register.xsd) is read as a stream and imported in
one transaction: a file that is not well-formed changes nothing; bad
records are rejected one by one, with their line; importing the same file
again changes nothing.  Progress goes to standard error, the report to
standard output.  Exit status: 0 imported (even with rejected records),
1 the file was refused or the import cancelled, 2 usage or another error.
PLEDGER_NOW (microseconds since the epoch) fixes the clock.
"""
import os
import re
import sys

import pledger
from pledger import Role

PROG = "register-import"


class Progress:
    """Redraws one line on a terminal; else prints a line every 10 %."""

    def __init__(self, stream):
        self.stream = stream
        self.tty = stream.isatty()
        self.last_percent = -1

    def __call__(self, records, bytes_read, total_bytes):
        # Called at least every 1000 records and once at the end; returning
        # False would cancel the import (and nothing would change).
        percent = bytes_read * 100 // total_bytes if total_bytes else 0
        if self.tty:
            bar = "#" * (percent * 30 // 100)
            self.stream.write(f"\r[{bar:.<30}] {percent:3d}%  {records} records")
        elif percent // 10 > self.last_percent // 10 or self.last_percent < 0:
            self.stream.write(f"progress {percent:3d}%  {records} records  "
                              f"{bytes_read} of {total_bytes} bytes\n")
            self.last_percent = percent
        self.stream.flush()


def main(argv):
    if len(argv) != 3:
        print("usage: register_import.py REGISTRY.db REGISTER.xml", file=sys.stderr)
        return 2
    try:
        reg = pledger.open(argv[1])          # created when missing
    except pledger.Error as e:
        print(f"{PROG}: {e.message}", file=sys.stderr)
        return 2
    with reg:
        now = os.environ.get("PLEDGER_NOW")
        if now:
            # refused when it is not microseconds, as in the C twin
            if not re.fullmatch(r"-?[0-9]+", now) or not -2**63 <= int(now) < 2**63:
                print(f"{PROG}: PLEDGER_NOW '{now}' is not microseconds since the epoch",
                      file=sys.stderr)
                return 2
            reg.set_clock(lambda: int(now))
        reg.set_actor("registrar", Role.REGISTRAR)   # the registry office's job
        progress = Progress(sys.stderr)
        try:
            report = reg.register_import(argv[2], progress=progress)
        except (pledger.InvalidDocument, pledger.Conflict) as e:
            # Not well-formed, a DOCTYPE, the wrong root (the message names
            # the line), or cancelled: the register is exactly as it was.
            if progress.tty:
                sys.stderr.write("\n")
            print(f"{PROG}: {e.message}", file=sys.stderr)
            return 1
        except pledger.Error as e:
            print(f"{PROG}: {e.message}", file=sys.stderr)
            return 2
        if progress.tty:
            sys.stderr.write("\n")

    print(f"inserted     {report.inserted}")
    print(f"updated      {report.updated}")
    print(f"unchanged    {report.unchanged}")
    print(f"rejected     {report.rejected}")
    # The first rejections keep their line and reason; the count has them all.
    for r in report.rejections:
        print(f"  line {r.line}: {r.message}")
    # The journal records the import with this digest of the file.
    print(f"sha256       {report.sha256}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
