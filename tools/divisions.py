#!/usr/bin/env python3
"""The GB/T 2260 administrative division codes of share/pledger/divisions.tsv.

A resident identity number (GB 11643) begins with the GB/T 2260 code of the
county where its holder was registered when the number was assigned; the
number is kept for life, so a code retired since (counties become cities or
districts, and get new codes) still appears on genuine numbers, and a code
may be retired and later given to another division.  The table therefore
keeps every code ever listed, with the years it was listed.

usage:
  divisions.py generate GB2260 CHINA_DIVISION IDCARD > share/pledger/divisions.tsv
  divisions.py c OUT.c OUT.h divisions.tsv          (run by the build)

`generate` reads three npm packages, each unpacked with `npm pack NAME@VERSION`
and `tar xzf` (their `package/` directories are the arguments); node itself
is not needed:

  gb2260@0.6.0        (MIT) lib/<YYYYMM>.json: the division tables of the
                      National Bureau of Statistics, 19 revisions from
                      2002-12 to 2016-07, and lib/{hongkong,macao}-201512.json.
  china-division@2.7.0 (MIT) dist/pca-code.json: the statistical division
                      codes as of 2023-06-30 (the "current" table).
  idcard@4.2.0        (ISC) lib/data/{province,city,area}.json: the codes of
                      the Ministry of Civil Affairs' yearly publications
                      merged, undated: it supplies the codes retired before
                      2002 (and a few listed only between 2017 and 2022).

Each line of the TSV is `code <TAB> first <TAB> last <TAB> name` for one era
of a code (sorted by code, then first year):

  first  the year of the first dated table that lists the code in this era;
         0 when it is already in the earliest one (2002) or undated.
  last   the year of the last dated table that lists it; 9999 when the
         current table (2023) lists it; 0 when the code is undated (listed
         only by idcard: valid at some time before 2002 or between 2017
         and 2022, years unknown).

A code listed again after a gap, or under a new name within gb2260's
revisions, starts a new era.  Hand-added rows (see EXTRA) are the codes of
the residence permits for residents of Hong Kong, Macao and Taiwan (2018),
which have the format of a resident identity number.

`c` writes the table as a sorted C array (pl_divisions[], pl_divisions_n)
for lib/base/ident.c, which looks codes up by binary search; so the check
needs no file at run time (the TSV is installed too, for reference).
"""
import json
import os
import sys

CURRENT_YEAR = 2023  # china-division 2.7.0: the codes as of 2023-06-30
EXTRA = [
    # code, first, last, name: residence permits of Hong Kong, Macao and
    # Taiwan residents (State Council, 2018-09-01).
    ("810000", 0, 9999, "香港特别行政区"),
    ("820000", 0, 9999, "澳门特别行政区"),
    ("830000", 2018, 9999, "台湾居民居住证"),
]


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def dated_tables(gb2260, china_division):
    """[(year, {code: name})], oldest first."""
    tables = []
    for rev in sorted(load_json(os.path.join(gb2260, "lib", "revisions.json"))):
        table = load_json(os.path.join(gb2260, "lib", rev + ".json"))
        tables.append((int(rev[:4]), {c: n for c, n in table.items()}))
    current = {}

    def walk(nodes):
        for node in nodes:
            if len(node["code"]) > 6:
                continue  # a town of a prefecture without counties (Dongguan)
            code = node["code"].ljust(6, "0")
            current[code] = node["name"]
            walk(node.get("children", []))
    walk(load_json(os.path.join(china_division, "dist", "pca-code.json")))
    tables.append((CURRENT_YEAR, current))
    return tables


def undated_codes(idcard):
    codes = {}
    for name in ("province", "city", "area"):
        for entry in load_json(os.path.join(idcard, "lib", "data", name + ".json")).values():
            codes.setdefault(entry["code"], entry["text"])
    return codes


def eras(tables):
    """{code: [[first, last, name]]} from the dated tables."""
    out = {}
    for i, (year, table) in enumerate(tables):
        prev = tables[i - 1][1] if i else {}
        current = year == CURRENT_YEAR
        for code, name in table.items():
            rows = out.setdefault(code, [])
            # gb2260's and china-division's names differ in small ways, so a
            # code in both the last revision and the current table goes on.
            same = code in prev and (current or prev[code] == name)
            if rows and same:
                rows[-1][1] = 9999 if current else year
                rows[-1][2] = name
            else:
                first = 0 if i == 0 else (tables[i - 1][0] + 1 if current else year)
                rows.append([first, 9999 if current else year, name])
    return out


def generate(gb2260, china_division, idcard):
    tables = dated_tables(gb2260, china_division)
    table = eras(tables)
    for code, name in undated_codes(idcard).items():
        if code not in table:
            table[code] = [[0, 0, name]]
    for code, first, last, name in EXTRA:
        table[code] = [[first, last, name]]
    w = sys.stdout
    w.write("# GB/T 2260 division codes: every code ever listed, with the years it was\n"
            "# listed.  Generated by tools/divisions.py (which says where from and how)\n"
            "# from the npm packages gb2260@0.6.0, china-division@2.7.0 and idcard@4.2.0.\n"
            "# first: first year listed in this era, 0 = by 2002 or unknown;\n"
            "# last: last year listed, 9999 = listed in %d, 0 = unknown.\n"
            "# code\tfirst\tlast\tname\n" % CURRENT_YEAR)
    for code in sorted(table):
        if len(code) != 6 or not code.isdigit():
            raise SystemExit("bad code %r" % code)
        for first, last, name in sorted(table[code]):
            w.write("%s\t%d\t%d\t%s\n" % (code, first, last, name.strip()))


def to_c(out_c, out_h, tsv):
    rows = []
    with open(tsv, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.startswith("#") or not line.strip():
                continue
            code, first, last, name = line.rstrip("\n").split("\t")
            if len(code) != 6 or not code.isdigit():
                raise SystemExit("%s:%d: bad code %r" % (tsv, n, code))
            rows.append((int(code), int(first), int(last), name))
    if rows != sorted(rows, key=lambda r: (r[0], r[1])):
        raise SystemExit("%s: rows are not sorted by code and first year" % tsv)
    with open(out_h, "w") as h:
        h.write("/* Generated by tools/divisions.py: do not edit. */\n"
                "#ifndef PL_DIVISIONS_H\n#define PL_DIVISIONS_H\n#include <stddef.h>\n"
                "#include <stdint.h>\n\n"
                "/* One era of a GB/T 2260 code (share/pledger/divisions.tsv). */\n"
                "typedef struct pl_division {\n"
                "    int32_t code;   /* 110101 */\n"
                "    int16_t first;  /* first year listed; 0: by 2002 or unknown */\n"
                "    int16_t last;   /* last year listed; 9999: current; 0: unknown */\n"
                "    uint32_t name;  /* offset of its NUL-terminated name in\n"
                "                     * pl_division_names (no pointers: no relocations) */\n"
                "} pl_division;\n\n"
                "#define PL_DIVISIONS_CURRENT_YEAR %d\n\n"
                "/* Sorted by code, then first year. */\n"
                "extern const pl_division pl_divisions[];\n"
                "extern const size_t pl_divisions_n;\n"
                "extern const unsigned char pl_division_names[];\n#endif\n" % CURRENT_YEAR)
    with open(out_c, "w") as c:
        pool, offsets = bytearray(), {}
        for row in rows:
            if row[3] not in offsets:
                offsets[row[3]] = len(pool)
                pool += row[3].encode("utf-8") + b"\0"
        c.write("/* Generated by tools/divisions.py from divisions.tsv: do not edit. */\n"
                "#include \"divisions.h\"\n\nconst pl_division pl_divisions[] = {\n")
        for code, first, last, name in rows:
            c.write("    { %d, %d, %d, %d },\n" % (code, first, last, offsets[name]))
        c.write("};\nconst size_t pl_divisions_n = sizeof pl_divisions / "
                "sizeof pl_divisions[0];\n\n"
                "/* The names, NUL-terminated one after the other (a byte list: a string\n"
                " * literal this long exceeds what ISO C guarantees). */\n"
                "const unsigned char pl_division_names[] = {\n")
        for i in range(0, len(pool), 16):
            c.write("    " + ", ".join("0x%02x" % b for b in pool[i:i + 16]) + ",\n")
        c.write("};\n")


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "generate":
        generate(*sys.argv[2:])
    elif len(sys.argv) == 5 and sys.argv[1] == "c":
        to_c(*sys.argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
