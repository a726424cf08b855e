#!/usr/bin/env python3
"""The store is the only layer that speaks SQL.

Every file of lib/ outside lib/store/ that includes <sqlite3.h> or the
SQLite backend's header "store/sqlite.h", or names an sqlite3_ function,
type or SQLITE_ constant, fails this test: the layers above the store
call its named operations (store/backend.h).  STILL_SQL was the list of
files whose SQL was being moved; it is empty, and a file put on it that
does not speak SQL fails too.

usage: store-boundary.py SOURCE_ROOT
"""
import pathlib
import re
import sys

# Files above the store allowed to speak SQL: none.
STILL_SQL = set("""
""".split())

SQL = re.compile(r'#\s*include\s*[<"](sqlite3\.h|store/sqlite\.h)[>"]|\bsqlite3_\w+|\bSQLITE_[A-Z_]+')


def main(root):
    lib = pathlib.Path(root) / "lib"
    bad, stale = [], []
    speaking = set()
    for path in sorted(lib.rglob("*.[ch]")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("lib/store/"):
            continue
        text = path.read_text(encoding="utf-8")
        hits = [(n, m.group(0)) for n, line in enumerate(text.splitlines(), 1)
                for m in [SQL.search(line)] if m]
        if hits:
            speaking.add(rel)
            if rel not in STILL_SQL:
                n, what = hits[0]
                bad.append(f"{rel}:{n}: '{what}' above the store "
                           f"({len(hits)} lines): move it into a named operation of store/backend.h")
    for rel in sorted(STILL_SQL - speaking):
        stale.append(f"{rel}: no longer speaks SQL; take it off STILL_SQL in tests/store-boundary.py")
    for line in bad + stale:
        print(line)
    print(f"{len(speaking)} files above the store speak SQL, {len(STILL_SQL)} allowed for now")
    return 1 if bad or stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
