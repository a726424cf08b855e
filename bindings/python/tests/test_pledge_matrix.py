"""Every step on a registered pledge, from every state it can be in, for
every kind, and by every role (docs/design.md §3, the step table of
lib/workflow/states.c): a step the table allows does what it says; one
it does not is refused -- WrongState naming the step, the pledge and
the state, PermissionDenied naming the actor, its role and the step --
and leaves the registry file exactly as it was."""
from __future__ import annotations

import datetime as dt
import sqlite3
import pytest

import pledger
from pledger import Kind, PledgeState, Role

from conftest import DAY_US, KINDS, Clock, Flow, sample

A, U = PledgeState.ACTIVE, PledgeState.UNDER_OBJECTION

#: step -> (the states, as read, it is taken from; the state it leaves)
TABLE = {
    "change": ({A}, A),
    "extend": ({A}, A),
    "cancel": ({A}, PledgeState.CANCELLED),
    "revoke": ({A, U}, PledgeState.REVOKED),
    "object": ({A}, U),
    "record_litigation": ({U}, U),
    "dismiss_objection": ({U}, A),
}
#: the steps the pledgee of a receivable takes itself, as an applicant with
#: the modification code; an objection also comes from an applicant
PLEDGEE_STEPS = {"change", "extend", "cancel"}

#: how to bring a freshly registered pledge into each state (receivable-only
#: states first)
OBJECTION_STATES = ("under_objection", "litigation_recorded", "objection_lapsed",
                    "objection_dismissed")
STATES = ("active",) + OBJECTION_STATES + ("cancelled", "revoked", "expired_swept",
                                           "expired_unswept")


def dump(path: str) -> str:
    c = sqlite3.connect(path)
    try:
        return "\n".join(c.iterdump())
    finally:
        c.close()


def registered(flow: Flow, kind: Kind) -> pledger.Registration:
    """The sample of @kind registered; a receivable for two months from
    today, so that it is in its last 90 days and may be extended."""
    flow.act("applicant-1", Role.APPLICANT)
    with sample(kind) as app:
        if kind == Kind.RECEIVABLE:
            for path, value in (("period/start", "2024-04-01"), ("period/end", "2024-06-01"),
                                ("claim/performance_start", "2024-04-01"),
                                ("claim/performance_end", "2024-06-01")):
                app.set(path, value)
        uuid = flow.reg.save(app)
    review = flow.reg.review(uuid)
    assert not review.stops_submission, [(f.code, f.path) for f in review]
    flow.reg.submit(uuid)
    flow.act("clerk-1", Role.CLERK)
    flow.reg.accept(uuid)
    flow.act("registrar-1", Role.REGISTRAR)
    return flow.reg.register(uuid)


def day_after(clock: Clock, day: dt.date, days: int) -> None:
    """The clock at 10:00 in Beijing, @days after @day."""
    d = day + dt.timedelta(days=days)
    clock.now = int(dt.datetime(d.year, d.month, d.day, 2, tzinfo=dt.timezone.utc)
                    .timestamp()) * 1_000_000


def bring(flow: Flow, r: pledger.Registration, state: str) -> None:
    reg, n = flow.reg, r.number
    flow.act("registrar-1", Role.REGISTRAR)
    end = dt.date.fromisoformat(str(reg.pledge(n).period_end))
    if state in OBJECTION_STATES:
        reg.object(n, "a creditor of the pledgor")
    if state == "litigation_recorded":
        reg.record_litigation(n)
    elif state == "objection_lapsed":
        flow.clock.advance(31)      # 30 days without litigation: active again
    elif state == "objection_dismissed":
        reg.dismiss_objection(n, "no ground")
    elif state == "cancelled":
        reg.cancel(n, r.modcode)
    elif state == "revoked":
        reg.revoke(n, "CONTRACT_VOID")
    elif state.startswith("expired"):
        day_after(flow.clock, end, 1)
        if state == "expired_swept":
            assert reg.expire() == 1


def take(reg: pledger.Registry, step: str, r: pledger.Registration) -> None:
    n, code = r.number, r.modcode
    if step == "change":
        reg.change(n, pledgee_name="福州海峡银行股份有限公司", modcode=code)
    elif step == "extend":
        end = dt.date.fromisoformat(str(reg.pledge(n).period_end))
        reg.extend(n, end + dt.timedelta(days=45), code)
    elif step == "cancel":
        reg.cancel(n, code, "the loan was repaid")
    elif step == "revoke":
        reg.revoke(n, "CONTRACT_VOID", "court judgment")
    elif step == "object":
        reg.object(n, "a creditor of the pledgor")
    elif step == "record_litigation":
        reg.record_litigation(n)
    else:
        reg.dismiss_objection(n, "no ground")


#: (kind, state): objections are registered for receivable pledges only
CASES = [(k, s) for k in KINDS for s in STATES
         if k == Kind.RECEIVABLE or s not in OBJECTION_STATES]


@pytest.mark.parametrize("kind,state", CASES, ids=[f"{k.api_name}-{s}" for k, s in CASES])
def test_every_step_from_every_state(tmp_path, kind: Kind, state: str) -> None:
    for step, (froms, to) in TABLE.items():
        path = str(tmp_path / f"{step}.db")
        with pledger.open(path, office="FZ01") as reg:
            clock = Clock()
            reg.set_clock(clock)
            flow = Flow(reg, clock)
            r = registered(flow, kind)
            bring(flow, r, state)
            flow.act("registrar-1", Role.REGISTRAR)
            was = reg.pledge(r.number)
            allowed = (was.state in froms and
                       (step != "object" or kind == Kind.RECEIVABLE) and
                       not (step == "record_litigation" and state == "litigation_recorded"))
            before = dump(path)
            if allowed:
                take(reg, step, r)
                now = reg.pledge(r.number)
                assert now.state == to, (step, state)
                assert now.version == was.version + 1, (step, state)
                continue
            with pytest.raises(pledger.WrongState) as e:
                take(reg, step, r)
            msg = str(e.value)
            assert msg.startswith(f"{step}: ") and r.number in msg, msg
            if step == "object" and kind != Kind.RECEIVABLE and was.state in froms:
                assert "receivable pledges only" in msg, msg
            elif step == "record_litigation" and state == "litigation_recorded":
                assert "already recorded" in msg, msg
            else:
                assert f" is {was.state.api_name}; {step} is allowed only while it is " in msg, \
                    msg
            assert dump(path) == before, (step, state)
            assert reg.pledge(r.number).state == was.state


def _roles(kind: Kind, step: str) -> set[Role]:
    allowed = {Role.REGISTRAR}
    if step == "object" or (kind == Kind.RECEIVABLE and step in PLEDGEE_STEPS):
        allowed.add(Role.APPLICANT)
    return allowed


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.api_name)
def test_every_role_on_every_step(tmp_path, kind: Kind) -> None:
    """Each role is refused exactly where the table says, before anything
    else is looked at, and a refused call changes nothing."""
    path = str(tmp_path / "reg.db")
    with pledger.open(path, office="FZ01") as reg:
        clock = Clock()
        reg.set_clock(clock)
        flow = Flow(reg, clock)
        active = registered(flow, kind)
        objected = None
        if kind == Kind.RECEIVABLE:
            clock.advance(0.001)
            objected = registered(flow, kind)
            reg.object(objected.number, "a creditor of the pledgor")
        for step in TABLE:
            r = objected if step in ("record_litigation", "dismiss_objection") and objected \
                else active
            for role in Role:
                if role in _roles(kind, step):
                    continue
                reg.set_actor("intruder-7", role)
                before = dump(path)
                with pytest.raises(pledger.PermissionDenied) as e:
                    take(reg, step, r)
                msg = str(e.value)
                assert msg.startswith(f"{step}: actor 'intruder-7' has role {role.api_name};"), \
                    msg
                assert dump(path) == before, (step, role)
        # the roles the table allows get past the role check
        for step in TABLE:
            for role in _roles(kind, step):
                with pledger.open(str(tmp_path / f"{step}-{role.api_name}.db"),
                                  office="FZ01") as other:
                    c2 = Clock()
                    other.set_clock(c2)
                    f2 = Flow(other, c2)
                    r2 = registered(f2, kind)
                    if step in ("record_litigation", "dismiss_objection"):
                        if kind != Kind.RECEIVABLE:
                            continue
                        other.object(r2.number, "a creditor of the pledgor")
                    other.set_actor("pledgee-bank", role)
                    if step == "object" and kind != Kind.RECEIVABLE:
                        with pytest.raises(pledger.WrongState):
                            take(other, step, r2)
                    else:
                        take(other, step, r2)


def test_every_role_on_a_bulk_filing(tmp_path) -> None:
    """A bulk filing is an applicant's (the pledgee's) alone; the refusal
    names the call, the actor and its role, and files nothing."""
    path = str(tmp_path / "reg.db")
    with pledger.open(path, office="FZ01") as reg:
        reg.set_clock(Clock())
        for role in Role:
            if role == Role.APPLICANT:
                continue
            reg.set_actor("intruder-7", role)
            before = dump(path)
            with sample(Kind.RECEIVABLE) as app, pytest.raises(pledger.PermissionDenied) as e:
                reg.file_batch([app])
            assert str(e.value).startswith(
                f"file_batch: actor 'intruder-7' has role {role.api_name}; only an applicant"), \
                str(e.value)
            assert dump(path) == before
        reg.set_actor("pledgee-bank", Role.APPLICANT)
        with sample(Kind.RECEIVABLE) as app:
            assert len(reg.file_batch([app])) == 1


def _race(path: str, step: str, number: str, barrier, out) -> None:
    """One of the processes of test_conflicting_steps_from_processes."""
    try:
        with pledger.open(path) as reg:     # the system clock
            reg.set_actor(f"registrar-{step}", Role.REGISTRAR)
            barrier.wait(30)
            take(reg, step, pledger.Registration(number=number, modcode=None))
            out.put((step, "ok"))
    except pledger.WrongState as e:
        out.put((step, f"WrongState: {e}"))
    except BaseException as e:                 # anything else fails the test
        out.put((step, f"{type(e).__name__}: {e}"))


def test_conflicting_steps_from_processes(tmp_path) -> None:
    """Four processes on one file, each with its own handle and the real
    clock, take conflicting steps on one pledge at once: the steps are
    serialised, the first one's decides, every other is refused by the
    state it left (not by a lock or a corrupt row), and the journal holds
    exactly what was done."""
    import multiprocessing as mp
    path = str(tmp_path / "reg.db")
    with pledger.open(path, office="FZ01") as reg:
        flow = Flow(reg, Clock())
        flow.act("applicant-1", Role.APPLICANT)
        with sample(Kind.TRADEMARK) as app:
            app.set("period/end", "2099-12-31")
            uuid = reg.save(app)
        reg.set_clock(None)      # the steps from here on read the system clock
        review = reg.review(uuid)
        assert not review.stops_submission, [(f.code, f.path) for f in review]
        reg.submit(uuid)
        flow.act("clerk-1", Role.CLERK)
        reg.accept(uuid)
        flow.act("registrar-1", Role.REGISTRAR)
        number = reg.register(uuid).number
    ctx = mp.get_context("fork")
    steps = ("cancel", "revoke", "change", "extend")
    barrier, out = ctx.Barrier(len(steps)), ctx.Queue()
    procs = [ctx.Process(target=_race, args=(path, s, number, barrier, out)) for s in steps]
    for p in procs:
        p.start()
    results = dict(out.get(timeout=60) for _ in procs)
    for p in procs:
        p.join(60)
    done = [s for s, r in results.items() if r == "ok"]
    assert len(done) >= 1, results
    for s, r in results.items():
        assert r == "ok" or r.startswith(f"WrongState: {s}: pledge {number} is "), results
    with pledger.open(path, read_only=True) as reg:
        reg.set_actor("auditor-1", Role.AUDITOR)
        p = reg.pledge(number)
        # change and extend leave it active: both may be taken before an end
        assert p.version == 1 + len(done), (results, p.version)
        # cancel and revoke end it: at most one of them, and it decides the state
        ends = [s for s in done if s in ("cancel", "revoke")]
        assert len(ends) <= 1, results
        want = {"cancel": PledgeState.CANCELLED, "revoke": PledgeState.REVOKED}
        assert p.state == (want[ends[0]] if ends else A), (results, p.state)
        assert reg.journal_verify().intact
