"""One Registry shared by threads: its calls take turns.  Without the
registry's lock, eight threads saving, reviewing, searching and verifying
through one handle crashed the interpreter (segfaults, a double free) or
got each other's errors ("a transaction is already open").  On the real
clock, as a script would run them."""
from __future__ import annotations

import threading

import pledger
from pledger import Kind, Role
from conftest import Flow, sample

THREADS = 8
ROUNDS = 15


def test_one_registry_many_threads(db_path: str) -> None:
    with pledger.open(db_path, office="FZ01") as reg:
        flow = Flow(reg, None)  # type: ignore[arg-type]
        number = flow.registered(Kind.EQUITY).number   # the sample's period runs to 2029
        reg.set_actor("applicant-1", Role.APPLICANT)
        saved: list[str] = []
        errors: list[str] = []
        start = threading.Barrier(THREADS)

        def work(i: int) -> None:
            try:
                start.wait()
                for k in range(ROUNDS):
                    with sample(Kind.TRADEMARK) as app:
                        uuid = reg.save(app)
                    saved.append(uuid)
                    assert reg.review(uuid) is not None
                    v = reg.verify(number)
                    assert v.number == number and v.state == pledger.PledgeState.ACTIVE
                    assert any(h.number == number for h in reg.search(kind=Kind.EQUITY))
                    missing = f"R-FZ01-TM-2024-{900000 + 100 * i + k:06d}"
                    try:
                        reg.verify(missing)
                        errors.append(f"{missing} verified")
                    except pledger.NotFound as e:
                        # the error a call raises is its own, not another thread's
                        if missing not in e.message:
                            errors.append(f"{missing}: {e.message}")
            except Exception as e:  # noqa: BLE001 -- every failure is reported
                errors.append(f"thread {i}: {e!r}")

        threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert len(set(saved)) == THREADS * ROUNDS
        for uuid in saved:
            with reg.load(uuid) as app:
                assert app.state == pledger.AppState.REVIEWED


def test_closed_by_one_thread_while_others_call(db_path: str) -> None:
    """close() waits for the call in progress; later calls are refused
    with pledger.Error, not a crash."""
    reg = pledger.open(db_path, office="FZ01")
    reg.set_actor("auditor-1", Role.AUDITOR)
    outcomes: list[str] = []

    def read() -> None:
        for _ in range(200):
            try:
                reg.log_size()
                outcomes.append("ok")
            except pledger.Error as e:
                outcomes.append("closed" if "closed" in e.message else repr(e))

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    reg.close()
    for t in threads:
        t.join()
    assert set(outcomes) <= {"ok", "closed"}, set(outcomes)
    assert len(outcomes) == 800


def test_snapshot_holds_the_registry_turn(db_path: str) -> None:
    """A ``with reg.snapshot():`` block is the registry's turn, as a call
    is: another thread's calls wait for its end.  Before, only the making
    of the context manager took the lock: the other threads' saves ran
    inside the block's read (WrongState), their reads began a transaction
    inside it (IOFailure "cannot start a transaction within a
    transaction") or lost their message to it, and pledger_read_begin ran
    on the handle while another thread was in a call."""
    with pledger.open(db_path, office="FZ01") as reg:
        flow = Flow(reg, None)  # type: ignore[arg-type]
        number = flow.registered(Kind.EQUITY).number
        reg.set_actor("applicant-1", Role.APPLICANT)
        errors: list[str] = []
        start = threading.Barrier(4)

        def snapshots() -> None:
            try:
                start.wait()
                for _ in range(60):
                    with reg.snapshot():
                        before = reg.log_size()
                        for _ in range(3):
                            reg.verify(number)
                        # no other thread's save lands inside the block
                        if reg.log_size() != before:
                            errors.append("the log grew inside a snapshot")
            except Exception as e:  # noqa: BLE001 -- every failure is reported
                errors.append(f"snapshot: {e!r}")

        def calls(i: int) -> None:
            try:
                start.wait()
                for k in range(10):
                    with sample(Kind.TRADEMARK) as app:
                        reg.save(app)
                    missing = f"R-FZ01-TM-2024-{900000 + 100 * i + k:06d}"
                    try:
                        reg.verify(missing)
                        errors.append(f"{missing} verified")
                    except pledger.NotFound as e:
                        if missing not in e.message:
                            errors.append(f"{missing}: {e.message}")
            except Exception as e:  # noqa: BLE001
                errors.append(f"thread {i}: {e!r}")

        threads = [threading.Thread(target=snapshots) for _ in range(2)] + \
            [threading.Thread(target=calls, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []


def test_snapshot_closed_inside_its_block(db_path: str) -> None:
    """Closing the registry inside a snapshot ends the block quietly (the
    read went with the handle), not with "the registry is closed"."""
    reg = pledger.open(db_path, office="FZ01")
    with reg.snapshot():
        reg.close()
    assert reg.closed
