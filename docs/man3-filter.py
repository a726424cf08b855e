#!/usr/bin/python3
"""Keep the section 3 man pages doxygen wrote that belong to pledger.

usage: man3-filter.py DOXYGEN-DIR OUTPUT-DIR

Doxygen (MAN_LINKS) writes a page for every documented name, struct
members too: after.3, code.3, version.3 would shadow other packages'
pages.  Kept: the pages of pledger_* and PLEDGER_* names and of the
headers, each header's page prefixed with "pledger-" (registry.h(3)
becomes pledger-registry.h(3); pledger.h(3) stays), links rewritten.
Standard library only.
"""
import os
import re
import shutil
import sys


def main(src, dst):
    if os.path.isdir(dst):
        shutil.rmtree(dst)
    os.makedirs(dst)
    names = sorted(os.listdir(src))
    headers = {n for n in names if n.endswith(".h.3")}

    def rename(n):
        if n in headers and not n.startswith("pledger"):
            return "pledger-" + n
        return n

    link = re.compile(r"^\.so [^/\s]+/(\S+)$", re.M)
    kept = 0
    for n in names:
        if n not in headers and not re.match(r"(pledger|PLEDGER)_", n):
            continue
        with open(os.path.join(src, n), encoding="utf-8") as f:
            text = f.read()
        text = link.sub(lambda m: ".so man3/" + rename(m.group(1)), text)
        # Doxygen starts a line of text with a quote ('As of' ...), which
        # roff reads as a control line: make it text.
        text = re.sub(r"^'", r"\\&'", text, flags=re.M)
        with open(os.path.join(dst, rename(n)), "w", encoding="utf-8") as f:
            f.write(text)
        kept += 1
    if not kept or "pledger.h.3" not in headers:
        sys.exit(f"man3-filter.py: no pledger page in {src}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    sys.exit(main(sys.argv[1], sys.argv[2]))
