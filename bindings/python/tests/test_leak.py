"""No leak: creating and freeing 100,000 handles and answers keeps the
resident memory of the process flat.  RSS is read after 10,000 and after
100,000 rounds (after a warm-up of 2,000): a leak of even 40 bytes per
round would add 3.6 MB between the two.  Meson runs this in the 'slow'
suite (test python-leak)."""
from __future__ import annotations

import gc
import os
import re
import time

import pytest

import pledger
from pledger import Kind, Role
from conftest import DATA, Flow, sample_path

ROUNDS = int(os.environ.get("PLEDGER_LEAK_ROUNDS", "100000"))
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss() -> int:
    gc.collect()
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


@pytest.mark.slow
def test_handles_and_answers_keep_rss_flat(flow: Flow, db_path: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    reg = flow.reg
    number = flow.registered(Kind.LAND).number
    rv = flow.registered(Kind.RECEIVABLE)
    code = re.search(r"<verification_code>([^<]+)<", reg.certificate(number)).group(1)
    xml = sample_path(Kind.TRADEMARK).read_bytes()
    register = (DATA / "register-small.xml").read_bytes()
    missing = "00000000-0000-0000-0000-000000000000"
    flow.act("registrar-1", Role.REGISTRAR)

    def round_(i: int) -> None:
        # a document handle: freed by close() or by the collector (ffi.gc)
        app = pledger.Application.from_xml(xml)
        assert app["rights/right[2]/mark"] == "MINJIANG"
        if i & 1:
            app.close()
        del app
        # answers: a snapshot, a verification, a cursor, strings freed by pledger_free
        assert reg.pledge(number).kind == Kind.LAND
        assert reg.verify(number, code=code).rank == 1
        assert [h.number for h in reg.search(kind=Kind.RECEIVABLE)] == [rv.number]
        assert len(reg.certificate(number)) > 100
        assert reg.rank(rv.number) == 1
        # a failure: an exception carrying the handle's message
        try:
            reg.load(missing)
        except pledger.NotFound as e:
            assert missing in e.message
        if i % 10 == 0:
            assert reg.stats("2024-01-01", "2024-12-31").registrations == 2
            assert isinstance(reg.due(), list)
            with pledger.Application(Kind.PATENT) as a:
                a["pledgor/name"] = "x" * 64
                a.to_xml()
        if i % 100 == 0:
            # registry handles, and answers of calls that write
            with pledger.open(db_path, read_only=True) as ro:
                ro.set_clock(lambda: 0)
                assert ro.pledge(number).number == number
            pledger.open(db_path).close()
            assert reg.register_import(register, progress=lambda *a: None).rejected == 0

    t0 = time.monotonic()
    for i in range(2000):
        round_(i)
    base = rss()
    for i in range(2000, 10_000):
        round_(i)
    at_10k = rss()
    t_10k = time.monotonic() - t0
    for i in range(10_000, ROUNDS):
        round_(i)
    at_end = rss()
    elapsed = time.monotonic() - t0
    growth = at_end - at_10k
    with capsys.disabled():
        print(f"\nleak check: {ROUNDS:,} rounds in {elapsed:.1f} s "
              f"({t_10k:.1f} s for 10,000); RSS after 2,000: {base / 2**20:.2f} MiB, "
              f"after 10,000: {at_10k / 2**20:.2f} MiB, after {ROUNDS:,}: "
              f"{at_end / 2**20:.2f} MiB (growth {growth / 2**10:+.0f} KiB)")
    assert growth < 1.5 * 2**20, f"RSS grew by {growth / 2**20:.2f} MiB"
