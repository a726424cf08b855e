"""Bulk filings all on one receivable: the time of each batch and the size
of the registry, as the pledges on that receivable grow.

usage: one-receivable.py REGISTRY ITEMS ROUNDS   (REGISTRY is replaced)
Figures and the command: docs/performance.md, "Many pledges on one
receivable".
"""
import os
import pathlib
import sys
import time

import pledger

SAMPLE = pathlib.Path(__file__).resolve().parents[1] / "data" / "app-receivable.xml"


def main() -> None:
    path, n, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if os.path.exists(path):
        os.remove(path)
    xml = SAMPLE.read_bytes().replace(b"<end>2025-10-31</end>", b"<end>2049-10-31</end>", 1)
    with pledger.open(path, office="FZ01") as reg:
        reg.set_actor("bank-1", pledger.Role.APPLICANT)
        for r in range(rounds):
            apps = [pledger.Application.from_xml(xml) for _ in range(n)]
            t = time.monotonic()
            reg.file_batch(apps)
            print(f"batch {r + 1}: {n} items on one receivable in "
                  f"{time.monotonic() - t:.2f} s", flush=True)
    print(f"registry file: {os.path.getsize(path) / 1048576:.1f} MiB")


if __name__ == "__main__":
    main()
