#!/usr/bin/python3
"""Check the API documentation doxygen built from the public headers.

usage: docs-check.py WARNINGS-LOG HTML-DIR

Fails (exit 1, saying what and where) when
- doxygen's warnings log (WARN_LOGFILE) is missing or not empty: an
  undocumented parameter or member, an unknown command, a broken
  reference;
- a brief description ends at an abbreviation ("e.g.", "i.e.", "etc.",
  "Co." ...): JAVADOC_AUTOBRIEF ends the brief at the first full stop
  followed by a space, so "Why it was rejected, e.g. ..." is listed (in
  the HTML summaries and the man pages' synopses) as "Why it was
  rejected, e.g.".  Write "such as" or "for example" instead.
Standard library only.
"""
import glob
import html
import os
import re
import sys

# Words a full stop ends without ending the sentence.
ABBREVIATIONS = re.compile(
    r"(?:^|[\s(\"'])(e\.g|i\.e|etc|cf|vs|viz|approx|incl|esp|resp|al|Co|Corp|"
    r"Ltd|Inc|No|no|Nr|nr|Art|art|Fig|fig|Sec|sec|Ch|ch|p|pp|vol|Vol|min|max|maj)\.$")
SUMMARY = re.compile(r'class="mdescRight">(.*?)</td>', re.S)
MORE = re.compile(r'<a href="[^"]*">More\.\.\.</a>')


def main(log, html_dir):
    problems = []
    if not os.path.isfile(log):
        problems.append(f"{log}: missing (doxygen did not run?)")
    else:
        with open(log, encoding="utf-8", errors="replace") as f:
            text = f.read()
        if text.strip():
            problems.append(f"{log}: doxygen warned:\n{text.rstrip()}")
    pages = sorted(glob.glob(os.path.join(html_dir, "*.html")))
    if not pages:
        problems.append(f"{html_dir}: no HTML page")
    briefs = 0
    for page in pages:
        with open(page, encoding="utf-8", errors="replace") as f:
            text = f.read()
        for m in SUMMARY.finditer(text):
            brief = html.unescape(re.sub(r"<[^>]*>", "", MORE.sub("", m.group(1))))
            brief = " ".join(brief.split())
            briefs += 1
            if ABBREVIATIONS.search(brief):
                problems.append(f"{os.path.basename(page)}: brief cut at an abbreviation "
                                f"(JAVADOC_AUTOBRIEF): \"{brief}\"")
    if pages and not briefs:
        problems.append(f"{html_dir}: no brief description found (the HTML changed form?)")
    for p in problems:
        print(p)
    if not problems:
        print(f"no doxygen warning; {briefs} briefs in {len(pages)} pages, none cut short")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    sys.exit(main(sys.argv[1], sys.argv[2]))
