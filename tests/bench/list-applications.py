"""Lists of applications on a large registry: the time of a page of 1,000
(pledger_application_list) for an applicant and a clerk, by state.

usage: list-applications.py REGISTRY   (a copy: it is migrated and gets one
draft of an applicant of its own)
Figures and the command: docs/performance.md, "Lists of applications".
"""
import pathlib
import sys
import time

import pledger

SAMPLE = pathlib.Path(__file__).resolve().parents[1] / "data" / "app-trademark.xml"


def best_of(reg: pledger.Registry, states, runs: int = 5) -> tuple[int, float]:
    """(how many were listed, the fastest of @runs calls in ms)."""
    best, n = float("inf"), 0
    for _ in range(runs):
        t = time.perf_counter()
        n = len(reg.applications(states, limit=1000))
        best = min(best, time.perf_counter() - t)
    return n, best * 1000


def main() -> None:
    t = time.perf_counter()
    reg = pledger.open(sys.argv[1])  # read-write: migrated to the current schema
    print(f"open, migration included: {time.perf_counter() - t:.2f} s")
    reg.set_actor("applicant-rare", pledger.Role.APPLICANT)
    with pledger.Application.from_file(str(SAMPLE)) as app:
        reg.save(app)
    reg.set_actor("clerk-1", pledger.Role.CLERK)
    first = reg.applications(limit=1)[0].filed_by
    for who, role in ((first, pledger.Role.APPLICANT),
                      ("applicant-rare", pledger.Role.APPLICANT),
                      ("clerk-1", pledger.Role.CLERK)):
        reg.set_actor(who, role)
        for states in (None, "registered", "submitted", ["draft", "registered"]):
            n, ms = best_of(reg, states)
            print(f"{who:16} {role.api_name:9} {str(states):25} {n:5} listed  {ms:7.1f} ms")


if __name__ == "__main__":
    main()
