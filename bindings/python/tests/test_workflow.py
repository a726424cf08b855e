"""The whole workflow of every right kind through Python (the order of
steps and roles of tests/test-workflow.c)."""
from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

import pledger
from pledger import AppState, Kind, PledgeState, Role, Severity
from conftest import DAY_US, KIND_CODES, KINDS, T0, Flow, sample

UTC = dt.timezone.utc


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.api_name)
def test_full_path(flow: Flow, kind: Kind) -> None:
    reg, clock = flow.reg, flow.clock
    uuid, acceptance = flow.accepted(kind)
    assert len(uuid) == 36
    assert acceptance == f"A-FZ01-{KIND_CODES[kind]}-2024-000001"

    flow.act("registrar-1", Role.REGISTRAR)
    clock.advance(1)
    r = reg.register(uuid)
    assert r.number == f"R-FZ01-{KIND_CODES[kind]}-2024-000001"
    if kind == Kind.RECEIVABLE:
        assert r.modcode is not None and len(r.modcode) == 19
    else:
        assert r.modcode is None
    reg_at = clock.now

    p = reg.pledge(r.number)
    assert isinstance(p, pledger.Pledge)
    assert p.kind == kind and p.state == PledgeState.ACTIVE and p.version == 1
    assert p.registered_at == dt.datetime.fromtimestamp(reg_at / 1e6, UTC)
    assert p.valid_to is None
    assert p.acceptance_number == acceptance and p.application_uuid == uuid
    assert p.security == ("mortgage" if kind in (Kind.SEA_AREA, Kind.LAND) else "pledge")
    assert len(p.rights) >= 1 and p.amount > 0 and p.currency == "CNY"
    assert isinstance(p.period_end, dt.date)
    amount1, end1 = p.amount, p.period_end

    cert = reg.certificate(r.number)
    assert r.number in cert and "<status>current</status>" in cert

    with reg.load(uuid) as app:
        assert app.state == AppState.REGISTERED
        assert app.registration_number == r.number
        assert app.acceptance_number == acceptance

    # change the amount: version 2, the old certificate superseded
    clock.advance(1)
    t_change = clock.now
    reg.change(r.number, amount=amount1 + 100, note="top-up of the loan", modcode=r.modcode)
    p = reg.pledge(r.number)
    assert (p.version, p.amount) == (2, amount1 + 100)
    assert pledger.types.to_us(p.valid_from) == t_change
    old = reg.pledge(r.number, at=t_change - 1)
    assert (old.version, old.amount) == (1, amount1)
    assert pledger.types.to_us(old.valid_to) == t_change
    with pytest.raises(pledger.NotFound):
        reg.pledge(r.number, at=reg_at - 1)
    assert "<status>superseded</status>" in reg.certificate(r.number, 1)
    assert "<status>current</status>" in reg.certificate(r.number, 2)

    # extend (receivables: only in the last 90 days of the period)
    new_end = dt.date(end1.year + 1, end1.month, min(end1.day, 28))
    if kind == Kind.RECEIVABLE:
        with pytest.raises(pledger.WrongState):
            reg.extend(r.number, "2026-10-31", r.modcode)
        clock.now = T0 + 540 * DAY_US
    reg.extend(r.number, new_end, r.modcode)
    p = reg.pledge(r.number)
    assert (p.version, p.period_end) == (3, new_end)

    # cancel
    clock.advance(1)
    reg.cancel(r.number, r.modcode, "loan repaid")
    p = reg.pledge(r.number)
    assert (p.state, p.version) == (PledgeState.CANCELLED, 4)
    # its last certificate (version 3) says the pledge ended
    cert = reg.load_certificate(r.number)
    assert cert.version == 3 and cert.status == pledger.CertificateStatus.CANCELLED
    assert not cert.current and "<status>cancelled</status>" in cert.xml
    assert "<status>cancelled</status>" in reg.certificate(r.number)
    assert "cancel" in reg.pledge_xml(r.number)
    with pytest.raises(pledger.WrongState) as e:
        reg.cancel(r.number, r.modcode)
    assert e.value.code == pledger.ErrorCode.ESTATE

    flow.act("auditor-1", Role.AUDITOR)
    check = reg.journal_verify()
    assert check.intact and check.bad_seq is None and check.count >= 8


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.api_name)
def test_refused(flow: Flow, kind: Kind) -> None:
    reg = flow.reg
    uuid, _ = flow.accepted(kind)
    flow.act("registrar-1", Role.REGISTRAR)
    with pytest.raises(pledger.InvalidArgument):
        reg.refuse(uuid, "")
    reg.refuse(uuid, "RIGHT_SEIZED", "seized by a court")
    with reg.load(uuid) as app:
        assert app.state == AppState.REFUSED
        assert app.registration_number is None
    with pytest.raises(pledger.WrongState):
        reg.register(uuid)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.api_name)
def test_correction_window(flow: Flow, kind: Kind) -> None:
    reg, clock = flow.reg, flow.clock
    uuid, _ = flow.accepted(kind)
    flow.act("clerk-1", Role.CLERK)
    reg.request_correction(uuid, "the pledge contract is unsigned")
    flow.act("registrar-1", Role.REGISTRAR)
    clock.advance(30)
    assert reg.expire() == 0
    assert reg.load(uuid).state == AppState.CORRECTION_REQUESTED
    clock.advance(1)
    assert reg.expire() == 1
    assert reg.load(uuid).state == AppState.WITHDRAWN
    assert reg.expire() == 0


def test_correction_cured(flow: Flow) -> None:
    reg = flow.reg
    uuid, _ = flow.accepted(Kind.TRADEMARK)
    flow.act("clerk-1", Role.CLERK)
    reg.request_correction(uuid, "the goods list is missing")
    with reg.load(uuid) as app:
        app["rights/right[1]/goods"] = "罐头；茶"
        reg.correct(app)
        assert app.state == AppState.ACCEPTED
    assert reg.load(uuid)["rights/right[1]/goods"] == "罐头；茶"


@pytest.mark.parametrize("kind,edits,code", [
    (Kind.PATENT, {"pledgee/name": "@pledgor/name", "pledgee/id": "@pledgor/id"},
     "PARTIES_IDENTICAL"),
    (Kind.EQUITY, {"claim/amount/@currency": "XXX"}, "CURRENCY_UNKNOWN"),
    (Kind.EQUITY, {"contract/date": "2030-01-01"}, "CONTRACT_DATE_FUTURE"),
    (Kind.EQUITY, {"pledgor/name": "王\u200b芳"}, "PARTY_NAME_INVISIBLE"),
    (Kind.EMISSION, {"filing/joint": "false"}, "FILING_JOINT_REQUIRED"),
    (Kind.EMISSION, {"contract/language": "en"}, "TRANSLATION_MISSING"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_correction_is_reviewed(flow: Flow, kind: Kind, edits: dict, code: str) -> None:
    """A corrected document is reviewed as at submission: refused, nothing
    recorded, while a finding blocks it; the registrar cannot register."""
    reg = flow.reg
    uuid, _ = flow.accepted(kind)
    flow.act("clerk-1", Role.CLERK)
    reg.request_correction(uuid, "请补正")
    app = reg.load(uuid)
    before = app.to_xml()
    for path, value in edits.items():
        app[path] = app[value[1:]] if value.startswith("@") else value
    with pytest.raises(pledger.ReviewBlocked) as e:
        reg.correct(app)
    assert code in e.value.message and uuid in e.value.message
    again = reg.load(uuid)
    assert again.state == AppState.CORRECTION_REQUESTED and again.to_xml() == before
    flow.act("registrar-1", Role.REGISTRAR)
    with pytest.raises(pledger.WrongState):
        reg.register(uuid)


@pytest.mark.parametrize("name", ["王\u202e芳", "\u00ad", "ACME\u200b Ltd", "A\x01B", "  \u3000 "])
@pytest.mark.parametrize("field", ["pledgor_name", "pledgee_name"])
def test_change_takes_only_names_the_review_takes(flow: Flow, field: str, name: str) -> None:
    reg = flow.reg
    uuid, _ = flow.accepted(Kind.RECEIVABLE)
    flow.act("registrar-1", Role.REGISTRAR)
    r = reg.register(uuid)
    with pytest.raises(pledger.InvalidArgument) as e:
        reg.change(r.number, modcode=r.modcode, **{field: name})
    assert field in e.value.message
    assert reg.pledge(r.number).version == 1


@pytest.mark.parametrize("blank", ["", "   ", "\t\n", "\u3000"])
def test_white_space_alone_is_empty(flow: Flow, blank: str) -> None:
    reg = flow.reg
    uuid, _ = flow.accepted(Kind.TRADEMARK)
    flow.act("clerk-1", Role.CLERK)
    with pytest.raises(pledger.InvalidArgument) as e:
        reg.request_correction(uuid, blank)
    assert "note" in e.value.message and "empty" in e.value.message
    flow.act("registrar-1", Role.REGISTRAR)
    with pytest.raises(pledger.InvalidArgument) as e:
        reg.refuse(uuid, blank)
    assert "ground" in e.value.message and "empty" in e.value.message
    number = reg.register(uuid).number
    with pytest.raises(pledger.InvalidArgument) as e:
        reg.revoke(number, blank)
    assert "ground" in e.value.message and "empty" in e.value.message
    assert reg.pledge(number).version == 1


def test_withdraw(flow: Flow) -> None:
    uuid = flow.submitted(Kind.LAND)
    flow.reg.withdraw(uuid)
    assert flow.reg.load(uuid).state == AppState.WITHDRAWN
    with pytest.raises(pledger.WrongState):
        flow.reg.withdraw(uuid)


def test_submit_needs_clean_review(flow: Flow) -> None:
    reg = flow.reg
    flow.act("applicant-1", Role.APPLICANT)
    app = sample(Kind.TRADEMARK)
    app["pledgor/id"] = "91350100M000100Y44"  # wrong check character
    del app["claim/amount"]
    uuid = reg.save(app)
    with pytest.raises(pledger.WrongState):
        reg.submit(uuid)  # never reviewed
    review = reg.review(uuid)
    paths = [f.path for f in review]
    assert paths.count("pledgor/id") == 1 and paths.count("claim/amount") == 1
    assert review.count(Severity.CORRECTABLE) >= 2
    assert review.stops_submission
    f = next(f for f in review if f.path == "pledgor/id")
    assert isinstance(f, pledger.Finding) and f.code and f.message and f.basis
    assert f.severity in (Severity.CORRECTABLE, Severity.BLOCKING)
    with pytest.raises(pledger.ReviewBlocked):
        reg.submit(uuid)
    app["pledgor/id"] = "91350100M000100Y43"
    app["claim/amount"] = 300000000
    app["claim/amount/@currency"] = "CNY"
    reg.save(app)
    assert app.state == AppState.DRAFT
    assert not reg.review(uuid).stops_submission
    reg.submit(uuid)
    assert reg.load(uuid).state == AppState.SUBMITTED


def test_single_pledge_kinds_conflict(flow: Flow) -> None:
    reg = flow.reg
    # reviewed before the first is registered (afterwards its review would
    # say RIGHT_ALREADY_PLEDGED): registration refuses it on its own
    uuid, _ = flow.accepted(Kind.PATENT)
    first = flow.registered(Kind.PATENT)
    flow.act("registrar-1", Role.REGISTRAR)
    with pytest.raises(pledger.Conflict) as e:
        reg.register(uuid)
    assert first.number in e.value.message and "rights/right[1]" in e.value.message
    reg.cancel(first.number)
    assert reg.register(uuid).number.endswith("-2024-000002")
    # a later application on the same right: the review says so at once
    later = flow.saved(Kind.PATENT)
    codes = [f.code for f in reg.review(later)]
    assert "RIGHT_ALREADY_PLEDGED" in codes


def test_receivables_modcode_objection_and_litigation(flow: Flow) -> None:
    reg, clock = flow.reg, flow.clock
    r1 = flow.registered(Kind.RECEIVABLE)
    clock.now += 1000
    r2 = flow.registered(Kind.RECEIVABLE)  # the same receivables again: allowed
    assert r1.number != r2.number and r1.modcode != r2.modcode

    flow.act("pledgee-bank", Role.APPLICANT)
    with pytest.raises(pledger.InvalidArgument) as e:
        reg.change(r1.number, pledgee_name="深圳前海商业银行")
    assert "modcode" in e.value.message
    with pytest.raises(pledger.CodeMismatch):
        reg.change(r1.number, pledgee_name="深圳前海商业银行", modcode=r2.modcode)
    reg.change(r1.number, pledgee_name="深圳前海商业银行", modcode=r1.modcode)
    assert reg.pledge(r1.number).pledgee_name == "深圳前海商业银行"
    with pytest.raises(pledger.PermissionDenied):
        reg.revoke(r1.number, "X")

    # the later pledge ranks second on the same receivables
    assert reg.rank(r1.number) == 1 and reg.rank(r2.number) == 2
    assert reg.compare(r1.number, r2.number) == -1
    assert reg.compare(r2.number, r1.number) == 1

    flow.act("pledgor", Role.APPLICANT)
    reg.object(r2.number, "福建闽江食品有限公司", "debt already paid")
    assert reg.pledge(r2.number).state == PledgeState.UNDER_OBJECTION
    flow.act("registrar-1", Role.REGISTRAR)
    clock.advance(31)
    assert reg.expire() == 1  # the objection lapsed
    assert reg.pledge(r2.number).state == PledgeState.ACTIVE

    flow.act("pledgor", Role.APPLICANT)
    reg.object(r1.number, "a creditor")
    flow.act("registrar-1", Role.REGISTRAR)
    reg.record_litigation(r1.number)
    with pytest.raises(pledger.WrongState):
        reg.record_litigation(r1.number)
    clock.advance(60)
    reg.expire()
    assert reg.pledge(r1.number).state == PledgeState.UNDER_OBJECTION
    reg.dismiss_objection(r1.number, "claim rejected by the court")
    assert reg.pledge(r1.number).state == PledgeState.ACTIVE


def test_revoke_and_expiry(flow: Flow) -> None:
    reg, clock = flow.reg, flow.clock
    tm = flow.registered(Kind.TRADEMARK)
    pt = flow.registered(Kind.PATENT)
    flow.act("registrar-1", Role.REGISTRAR)
    reg.revoke(tm.number, "CONTRACT_VOID", "court judgment")
    assert reg.pledge(tm.number).state == PledgeState.REVOKED
    with pytest.raises(pledger.NotFound):
        reg.revoke("R-NOPE", "X")
    clock.now = T0 + 4000 * DAY_US
    assert reg.expire() == 1
    assert reg.pledge(pt.number).state == PledgeState.EXPIRED
    flow.act("clerk-1", Role.CLERK)
    with pytest.raises(pledger.PermissionDenied):
        reg.expire()


def test_calendar(flow: Flow) -> None:
    reg = flow.reg
    assert reg.add_working_days("2025-09-30", 2) == dt.date(2025, 10, 2)
    flow.act("registrar-1", Role.REGISTRAR)
    reg.calendar_load("# 2025 National Day\n"
                      "2025-10-01..2025-10-08 holiday National Day\n"
                      "2025-09-28 workday make-up (Sunday)\n"
                      "2025-10-11 workday make-up (Saturday)\n")
    assert reg.add_working_days(dt.date(2025, 9, 30), 2) == dt.date(2025, 10, 10)
    assert reg.add_working_days("2025-09-26", 1) == dt.date(2025, 9, 28)
    with pytest.raises(pledger.InvalidArgument) as e:
        reg.calendar_load("2025-13-01 holiday\n")
    assert "line 1" in e.value.message
    flow.act("clerk-1", Role.CLERK)
    with pytest.raises(pledger.PermissionDenied):
        reg.calendar_load("2025-10-01 holiday\n")


def test_journal_tamper_found(flow: Flow, db_path: str) -> None:
    import sqlite3
    flow.registered(Kind.EQUITY)
    con = sqlite3.connect(db_path)
    con.executescript("DROP TRIGGER journal_no_update;"
                      "UPDATE journal SET actor = 'mallory' WHERE seq = 4;")
    con.close()
    flow.act("auditor-1", Role.AUDITOR)
    check = flow.reg.journal_verify()
    assert not check.intact and check.bad_seq == 4 and check.count == 3
    assert "event 4" in check.message
    flow.act("bank-1", Role.BANK)
    with pytest.raises(pledger.PermissionDenied):
        flow.reg.journal_verify()


def test_clock_and_actor(reg: pledger.Registry, clock) -> None:
    assert reg.now == dt.datetime(2024, 4, 1, 2, 0, tzinfo=UTC)
    clock.advance(0.5)
    assert reg.now == dt.datetime(2024, 4, 1, 14, 0, tzinfo=UTC)
    reg.set_clock(lambda: dt.datetime(2030, 1, 2, 3, 4, 5, 6, tzinfo=UTC))
    assert reg.now == dt.datetime(2030, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
    reg.set_clock(None)
    assert abs((reg.now - dt.datetime.now(UTC)).total_seconds()) < 60
    assert reg.actor is None
    reg.set_actor("clerk-7", "clerk")
    assert reg.actor == "clerk-7"
    assert reg.office == "FZ01"


def test_a_clock_that_raises_records_nothing(flow: Flow, db_path: str, capsys) -> None:
    """The exception cannot cross the C call: it is printed and the step
    refused, naming the clock -- not recorded at 1970-01-01."""
    reg = flow.reg
    flow.act("applicant-1", Role.APPLICANT)

    def broken() -> int:
        raise OSError("the time server is down")

    reg.set_clock(broken)
    with sample(Kind.TRADEMARK) as app:
        with pytest.raises(pledger.InvalidArgument, match="the registry's clock gives"):
            reg.save(app)
        assert app.uuid is None
    assert "the time server is down" in capsys.readouterr().err
    with pytest.raises(pledger.InvalidArgument, match="the registry's clock gives"):
        reg.now
    reg.set_clock(flow.clock)
    assert reg.now == dt.datetime(2024, 4, 1, 2, 0, tzinfo=UTC)
    assert list(reg.applications()) == []
    with sqlite3.connect(db_path) as c:
        assert c.execute("SELECT count(*) FROM journal").fetchone() == (0,)


def test_number_template(flow: Flow) -> None:
    reg = flow.reg
    flow.act("registrar-1", Role.REGISTRAR)
    reg.set_number_template("{office}/{series}{year}{kind}{seq:4}")
    _, acceptance = flow.accepted(Kind.PATENT)
    assert acceptance == "FZ01/A2024PT0001"
    flow.act("registrar-1", Role.REGISTRAR)
    with pytest.raises(pledger.InvalidArgument) as e:
        reg.set_number_template("{office}-{kind}")
    assert "{seq" in e.value.message or "{series}" in e.value.message
    flow.act("clerk-1", Role.CLERK)
    with pytest.raises(pledger.PermissionDenied):
        reg.set_number_template("{series}-{year}-{seq:6}")


def test_raw_cffi_objects_reach_every_function() -> None:
    assert pledger.ffi.string(pledger.lib.pledger_kind_name(Kind.LAND)) == b"land"
    assert pledger.lib.pledger_kind_from_name(b"patent") == Kind.PATENT


def test_applications_are_listed(flow: Flow) -> None:
    """Registry.applications: an applicant's own, the office's all, by
    state (today's), kind and page; bad arguments name themselves."""
    reg, clock = flow.reg, flow.clock
    draft = flow.saved(Kind.TRADEMARK)
    late, _ = flow.accepted(Kind.PATENT)
    flow.act("clerk-1", Role.CLERK)
    reg.request_correction(late, "the contract is unsigned")
    number = flow.registered(Kind.EQUITY).number
    flow.act("applicant-2", Role.APPLICANT)
    with sample(Kind.TRADEMARK) as app:
        other = reg.save(app)

    flow.act("applicant-1", Role.APPLICANT)
    mine = reg.applications()
    assert [a.uuid for a in mine[:2]] == [draft, late] and len(mine) == 3
    assert all(a.filed_by == "applicant-1" for a in mine)
    assert mine[2].registration_number == number and mine[2].state == AppState.REGISTERED
    assert mine[0].saved_at == reg.now  # the fixed clock
    assert [a.uuid for a in reg.applications("correction_requested")] == [late]
    with pytest.raises(pledger.PermissionDenied, match="applicant-2"):
        reg.applications(filed_by="applicant-2")
    # the correction window closes: withdrawn, as a load says
    clock.advance(31)
    assert reg.applications(AppState.CORRECTION_REQUESTED) == []
    (gone,) = reg.applications([AppState.WITHDRAWN, "refused"])
    assert gone.uuid == late and gone.state == reg.load(late).state == AppState.WITHDRAWN

    flow.act("clerk-1", Role.CLERK)
    every = reg.applications()
    assert [a.uuid for a in every] == [a.uuid for a in mine] + [other]
    assert [a.uuid for a in reg.applications(kind=Kind.TRADEMARK)] == [draft, other]
    assert [a.uuid for a in reg.applications(kind="trademark", after=draft.upper())] == [other]
    assert [a.uuid for a in reg.applications(filed_by="applicant-2")] == [other]
    assert [a.uuid for a in reg.applications(limit=1, after=every[1].uuid)] == [every[2].uuid]
    with pytest.raises(pledger.NotFound, match="after"):
        reg.applications(after="00000000-0000-4000-8000-000000000000")
    for bad, exc in ((dict(states="drafts"), pledger.InvalidArgument),
                     (dict(states=99), pledger.InvalidArgument),
                     (dict(states=1.5), pledger.WrongType),
                     (dict(kind="boat"), pledger.InvalidArgument),
                     (dict(limit=0), pledger.InvalidArgument),
                     (dict(limit=10001), pledger.InvalidArgument),
                     (dict(filed_by=""), pledger.InvalidArgument),
                     (dict(filed_by=7), pledger.WrongType),
                     (dict(after="a\x01"), pledger.InvalidArgument)):
        with pytest.raises(exc):
            reg.applications(**bad)
    flow.act("bank-1", Role.BANK)
    with pytest.raises(pledger.PermissionDenied):
        reg.applications()
