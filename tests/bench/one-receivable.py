"""Bulk filings all on one receivable: the time of each batch and the size
of the registry, as the pledges on that receivable grow.

usage: one-receivable.py REGISTRY ITEMS ROUNDS [distinct]   (REGISTRY is replaced)
With "distinct", every item pledges receivables of its own (its own
contract number and description): the common bulk filing, for comparison.
Figures and the command: docs/performance.md, "Many pledges on one
receivable".
"""
import os
import pathlib
import sys
import time

import pledger

SAMPLE = pathlib.Path(__file__).resolve().parents[1] / "data" / "app-receivable.xml"


def own(xml: bytes, i: int) -> bytes:
    """The sample with receivables of its own (item @i)."""
    return xml.replace(b"<contract_number>gy-2024-017", f"<contract_number>gy-{i}".encode(),
                       1).replace("<description>应收王芳".encode(),
                                  f"<description>{i}应收王芳".encode(), 1)


def main() -> None:
    path, n, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    distinct = sys.argv[4:] == ["distinct"]
    if os.path.exists(path):
        os.remove(path)
    xml = SAMPLE.read_bytes().replace(b"<end>2025-10-31</end>", b"<end>2049-10-31</end>", 1)
    with pledger.open(path, office="FZ01") as reg:
        reg.set_actor("bank-1", pledger.Role.APPLICANT)
        for r in range(rounds):
            apps = [pledger.Application.from_xml(own(xml, r * n + i) if distinct else xml)
                    for i in range(n)]
            t = time.monotonic()
            reg.file_batch(apps)
            print(f"batch {r + 1}: {n} items on "
                  f"{'receivables of their own' if distinct else 'one receivable'} in "
                  f"{time.monotonic() - t:.2f} s", flush=True)
    print(f"registry file: {os.path.getsize(path) / 1048576:.1f} MiB")


if __name__ == "__main__":
    main()
