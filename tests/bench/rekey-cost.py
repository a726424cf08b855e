"""The first opening for writing of a registry whose receivables' keys
are to be made again (schema 12): the time it takes, and the size of the
one "registry.rekey" event, for N receivable applications of which half
have a key that changes.

usage: rekey-cost.py REGISTRY N   (REGISTRY is replaced; N a multiple of 1000)
Figures and the command: docs/performance.md, "Receivables' keys made
again".
"""
import datetime as dt
import os
import pathlib
import sqlite3
import sys
import time

import pledger
from pledger import Role

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "bindings" / "python"
                       / "tests"))
from test_right_keys import A, B, receivable  # noqa: E402


def main(path: str, n: int) -> None:
    for f in (path, path + "-wal", path + "-shm"):
        if os.path.exists(f):
            os.remove(f)
    start = dt.date.today()
    with pledger.open(path, office="FZ01", create=True) as r:
        r.set_actor("bank-1", Role.APPLICANT)
        t = time.monotonic()
        for k in range(n // 1000):
            apps = [receivable((A, B) if i % 2 else (B, A), f"HT\u2013{k:03d}\u2013{i:06d}",
                               start) for i in range(1000)]
            r.file_batch(apps)
            for a in apps:
                a.close()
        print(f"filed {n} receivable applications in {time.monotonic() - t:.1f} s")
    # as a registry made before schema 12 is left by its migration: marked,
    # and half of the keys not the keys this library makes
    con = sqlite3.connect(path)
    con.execute("INSERT INTO upgrade_pending(name) VALUES ('right_keys')")
    con.execute("UPDATE application_right SET right_key = right_key || '-old'"
                " WHERE application_id % 2 = 0")
    con.commit()
    con.close()
    t = time.monotonic()
    with pledger.open(path, office="FZ01"):
        pass
    took = time.monotonic() - t
    con = sqlite3.connect(path)
    size, = con.execute("SELECT length(payload) FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
    left, = con.execute("SELECT count(*) FROM application_right WHERE right_key LIKE '%-old'"
                        ).fetchone()
    con.close()
    print(f"first opening for writing: {took:.2f} s; registry.rekey payload {size} bytes; "
          f"keys left old: {left}")
    if left:
        sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]))
