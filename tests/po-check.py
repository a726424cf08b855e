#!/usr/bin/python3
"""The translation catalogues are complete and safe.

po-check.py SOURCE_ROOT LANG... -- XGETTEXT_ARGS...

For each language: every message that xgettext finds in the sources named
by po/POTFILES has a translation in po/LANG.po that is neither empty nor
fuzzy; the catalogue has no message the sources no longer use; no
message names a C call ("pledger_x()"); and
`msgfmt --check` accepts it, which refuses a translation whose printf or
Python placeholders differ from the English (a lost %s would crash or
print garbage).  Codes (finding codes, PLEDGER_E*) are not messages and
are never translated.
"""
import os
import re
import subprocess
import sys
import tempfile


def parse_po(path):
    """{msgid: (msgstr, fuzzy)} of a .po file, header and obsolete entries left out;
    a message with a context is keyed "context|msgid" (the same words in two
    contexts are two messages, each to be translated)."""
    entries = {}
    cur = {"id": None, "str": None, "fuzzy": False, "field": None, "obsolete": False,
           "ctx": None}

    def flush():
        if cur["id"] is not None and cur["id"] != "" and not cur["obsolete"]:
            key = cur["id"] if cur["ctx"] is None else f'{cur["ctx"]}|{cur["id"]}'
            entries[key] = (cur["str"] or "", cur["fuzzy"])
        cur.update(id=None, str=None, fuzzy=False, field=None, obsolete=False, ctx=None)

    def unquote(s):
        s = s.strip()
        assert s.startswith('"') and s.endswith('"'), s
        return bytes(s[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")

    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                flush()
                continue
            if line.startswith("#~"):
                cur["obsolete"] = True
                continue
            if line.startswith("#,"):
                if cur["id"] is not None:
                    flush()
                cur["fuzzy"] = "fuzzy" in line
                continue
            if line.startswith("#"):
                continue
            if line.startswith("msgid_plural"):
                continue
            if line.startswith("msgctxt "):
                if cur["id"] is not None:
                    flush()
                cur["ctx"] = unquote(line[8:])
                cur["field"] = "ctx"
                continue
            if line.startswith("msgid "):
                if cur["id"] is not None:
                    flush()
                cur["id"] = unquote(line[6:])
                cur["field"] = "id"
            elif line.startswith("msgstr"):
                rest = line.split(" ", 1)[1]
                cur["str"] = (cur["str"] or "") + unquote(rest)
                cur["field"] = "str"
            elif line.startswith('"'):
                if cur["field"] == "ctx":
                    cur["ctx"] += unquote(line)
                elif cur["field"] == "id":
                    cur["id"] += unquote(line)
                elif cur["field"] == "str":
                    cur["str"] += unquote(line)
    flush()
    return entries


def main():
    argv = sys.argv[1:]
    sep = argv.index("--")
    root, langs, xargs = argv[0], argv[1:sep], argv[sep + 1 :]
    po_dir = os.path.join(root, "po")
    failures = []
    # every source that has messages is listed: a file left out of
    # po/POTFILES is a file whose messages are never translated
    with open(os.path.join(po_dir, "POTFILES"), encoding="utf-8") as f:
        listed = {line.strip() for line in f if line.strip() and not line.startswith("#")}
    # a call of any function xgettext is told to extract from (its
    # --keyword=NAME arguments) marks a file with messages
    keywords = {a.split("=", 1)[1].split(":")[0] for a in xargs if a.startswith("--keyword=")}
    marker = re.compile(r"(?<![A-Za-z0-9_])(?:%s)\((?!\))"   # not "N_()" in a comment
                        % "|".join(map(re.escape, sorted(keywords))))
    for top, exts in (("lib", (".c",)), ("pledgerd", (".c", ".h")),
                      ("bindings/python/pledger", (".py",))):
        for dirpath, _dirs, files in os.walk(os.path.join(root, top)):
            for name in sorted(files):
                if not name.endswith(exts):
                    continue
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, root)
                with open(full, encoding="utf-8") as f:
                    # a macro's own definition is not a message
                    text = "".join(line for line in f if not line.lstrip().startswith("#define"))
                if marker.search(text) and rel not in listed:
                    failures.append(f"po/POTFILES: {rel} has messages but is not listed")
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, "pledger.pot")
        subprocess.run(
            ["xgettext", *xargs, "-D", root, "-f", os.path.join(po_dir, "POTFILES"), "-o", pot],
            check=True,
        )
        wanted = parse_po(pot)
        print(f"{len(wanted)} messages in the sources")
        # a message is read through the command line, Python and the
        # service too: it says what to do in words, not as a C call
        for m in wanted:
            if re.search(r"\bpledger_[a-z0-9_]+\(\)", m):
                failures.append(f"a message names a C call: {m!r}")
        for lang in langs:
            po = os.path.join(po_dir, f"{lang}.po")
            have = parse_po(po)
            missing = [m for m in wanted if m not in have]
            empty = [m for m in wanted if m in have and not have[m][0]]
            fuzzy = [m for m in wanted if m in have and have[m][1]]
            stale = [m for m in have if m not in wanted]
            for name, lst in (("missing", missing), ("untranslated", empty), ("fuzzy", fuzzy),
                              ("no longer in the sources", stale)):
                for m in lst[:30]:
                    failures.append(f"{lang}.po: {name}: {m!r}")
                if len(lst) > 30:
                    failures.append(f"{lang}.po: {name}: ... and {len(lst) - 30} more")
            r = subprocess.run(["msgfmt", "--check", "-o", os.devnull, po],
                               capture_output=True, text=True)
            if r.returncode:
                failures.append(f"{lang}.po: msgfmt --check:\n{r.stderr}")
            print(f"{lang}: {len(have)} translations, {len(missing)} missing, "
                  f"{len(empty)} empty, {len(fuzzy)} fuzzy, {len(stale)} stale")
    for f in failures:
        print(f, file=sys.stderr)
    if failures:
        print("Update the catalogue: ninja -C build pledger-update-po, then translate "
              "what is new in po/<lang>.po", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
