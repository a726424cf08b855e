"""What banks ask, through Python: verification (with certificate codes),
search as an iterator over the cursor, rank and compare, the due list and
statistics, now and at past instants."""
from __future__ import annotations

import datetime as dt
import re

import pytest

import pledger
from pledger import Kind, PledgeState, Role
from conftest import DAY_US, T0, Flow

CodeStatus = pledger.enums.ALL["CodeStatus"]
NameMatch = pledger.enums.ALL["NameMatch"]
DueWhat = pledger.enums.ALL["DueWhat"]
PartySide = pledger.enums.ALL["PartySide"]


def code_of(cert: str) -> str:
    m = re.search(r"<verification_code>([^<]+)</verification_code>", cert)
    assert m, cert
    return m.group(1)


@pytest.fixture
def book(flow: Flow) -> dict[str, pledger.Registration]:
    """Every kind registered a day apart; the trademark changed once."""
    out = {}
    for k in Kind:
        out[k.api_name] = flow.registered(k)
        flow.clock.advance(1)
    return out


def test_verify_with_codes(flow: Flow, book: dict) -> None:
    reg, clock = flow.reg, flow.clock
    tm = book["trademark"].number
    code1 = code_of(reg.certificate(tm))
    t_before_change = clock.now
    flow.act("registrar-1", Role.REGISTRAR)
    reg.change(tm, amount=123456)
    code2 = code_of(reg.certificate(tm))
    assert code1 != code2

    v = reg.verify(tm)
    assert isinstance(v, pledger.Verification)
    assert v.number == tm and v.kind == Kind.TRADEMARK and v.state == PledgeState.ACTIVE
    assert v.version == 2 and v.amount == 123456 and v.as_of is None
    assert v.rank == 1 and v.in_force and all(r.rank == 1 for r in v.rights)
    assert [r.right_id for r in v.rights] == list(reg.pledge(tm).rights)
    assert v.code_status == CodeStatus.NOT_GIVEN and v.code_version == 0

    v = reg.verify(tm, code=code2.lower().replace("-", " "))
    assert v.code_status == CodeStatus.MATCHED and v.code_version == 2
    v = reg.verify(tm, code=code1)
    assert v.code_status == CodeStatus.SUPERSEDED and v.code_version == 1
    assert v.code_superseded_at is not None
    v = reg.verify(tm, at=t_before_change - 1)
    assert v.version == 1 and v.as_of == pledger.types.from_us(t_before_change - 1)
    with pytest.raises(pledger.CodeMismatch):
        reg.verify(tm, code="ZZZZ-ZZZZ-ZZZZ-ZZZZ")
    with pytest.raises(pledger.NotFound):
        reg.verify("R-FZ01-TM-2024-999999")
    with pytest.raises(pledger.NotFound):
        reg.verify(tm, at=T0 - 1)


def test_search_iterates_the_cursor(flow: Flow, book: dict) -> None:
    reg = flow.reg
    hits = list(reg.search())
    assert [h.number for h in hits] == [r.number for r in book.values()]
    assert all(isinstance(h, pledger.SearchHit) for h in hits)
    assert [h.kind for h in hits] == list(Kind)
    assert hits[0].registered_at < hits[1].registered_at

    # page by page: one hit a page, every page fetched by the iterator
    cur = reg.search(page_size=2)
    assert cur.page_count == 2 and cur.continuation
    assert [h.number for h in cur] == [h.number for h in hits]
    # one page only, then resume with its token
    first = reg.search(page_size=3, all_pages=False)
    page1 = [h.number for h in first]
    assert len(page1) == 3 and first.continuation
    rest = [h.number for h in reg.search(after=first.continuation)]
    assert page1 + rest == [h.number for h in hits]

    tm = next(h for h in hits if h.kind == Kind.TRADEMARK)
    right = reg.pledge(tm.number).rights[0]
    assert [h.number for h in reg.search(kind="trademark", right=right)] == [tm.number]
    assert list(reg.search(state=PledgeState.CANCELLED)) == []
    byname = list(reg.search(party_name="福建闽江食品有限公司", side=PartySide.PLEDGOR))
    assert byname and all(h.name_match == NameMatch.EXACT for h in byname)
    similar = list(reg.search(party_name="福建闽江食品", side="pledgor"))
    assert {h.number for h in similar} == {h.number for h in byname}
    assert all(h.name_match == NameMatch.SIMILAR for h in similar)
    assert list(reg.search(as_of=T0 - 1)) == []
    assert [h.number for h in reg.search(as_of=T0)] == [hits[0].number]
    assert list(reg.search(registered_from=dt.date(2030, 1, 1))) == []

    with pytest.raises(pledger.InvalidArgument) as e:
        reg.search(page_size=-1)
    assert "page_size" in e.value.message
    with pytest.raises(pledger.InvalidArgument):
        reg.search(registered_from="2024-05-01", registered_to="2024-04-01")
    with pytest.raises(pledger.InvalidArgument):
        reg.search(right="12345678")  # a right needs its kind

    with reg.search(page_size=1) as c:
        next(c)
    assert list(c) == []


def test_rank_compare(flow: Flow, book: dict) -> None:
    reg = flow.reg
    a, b = book["trademark"].number, book["patent"].number
    assert reg.rank(a) == 1
    assert reg.compare(a, b) == -1 and reg.compare(b, a) == 1 and reg.compare(a, a) == 0
    flow.act("registrar-1", Role.REGISTRAR)
    reg.cancel(a)
    assert reg.rank(a) == 0
    assert reg.rank(a, at=flow.clock.now - 1) == 1
    with pytest.raises(pledger.NotFound) as e:
        reg.compare(a, "R-FZ01-XX-2024-000009")
    assert "R-FZ01-XX-2024-000009" in e.value.message


def test_due_list(flow: Flow) -> None:
    reg = flow.reg
    uuid = flow.submitted(Kind.TRADEMARK)
    flow.act("clerk-1", Role.CLERK)
    items = reg.due()
    assert [(i.what, i.subject) for i in items] == [(DueWhat.ACCEPTANCE, uuid)]
    item = items[0]
    assert isinstance(item, pledger.DueItem) and item.kind == Kind.TRADEMARK
    assert item.date == dt.date(2024, 4, 3) and item.days_left == 2
    assert item.what.api_name == "acceptance"
    # the day the list is for, from which the days left count
    assert isinstance(items, pledger.DueList) and isinstance(items, list)
    assert items.today == dt.date(2024, 4, 1)
    later = reg.due(at=T0 + 5 * DAY_US)
    assert later[0].days_left == -3 and later.today == dt.date(2024, 4, 6)
    assert later[0].days_left == (later[0].date - later.today).days
    flow.act("bank-1", Role.BANK)
    with pytest.raises(pledger.PermissionDenied):
        reg.due()
    flow.act("clerk-1", Role.CLERK)
    with pytest.raises(pledger.InvalidArgument):
        reg.due(within_days=-1)


def test_stats(flow: Flow, book: dict) -> None:
    reg = flow.reg
    flow.act("registrar-1", Role.REGISTRAR)
    reg.cancel(book["land"].number)
    s = reg.stats("2024-01-01", dt.date(2024, 12, 31))
    assert isinstance(s, pledger.Stats)
    assert (s.registrations, s.cancellations, s.active) == (7, 1, 6)
    assert [a.currency for a in s.amounts] == ["CNY"]
    total = sum(reg.pledge(r.number, at=reg.pledge(r.number).registered_at).amount
                for r in book.values())
    assert s.amounts[0].registered == total
    assert s.amounts[0].active == total - reg.pledge(book["land"].number).amount
    tm = reg.stats("2024-01-01", "2024-12-31", kind=Kind.TRADEMARK, office="FZ01")
    assert (tm.registrations, tm.kind, tm.office) == (1, Kind.TRADEMARK, "FZ01")
    assert reg.stats("2023-01-01", "2023-12-31").registrations == 0
    with pytest.raises(pledger.InvalidArgument):
        reg.stats("2024-12-31", "2024-01-01")


def test_masking_by_role(flow: Flow) -> None:
    reg = flow.reg
    uuid, _ = flow.accepted(Kind.LAND)
    flow.act("registrar-1", Role.REGISTRAR)
    number = reg.register(uuid).number
    whole = reg.verify(number)
    assert whole.pledgor_id == "11010519491231002X"
    flow.act("bank-1", Role.BANK)
    assert reg.verify(number).pledgor_id == "110105********002X"
    assert next(iter(reg.search(kind=Kind.LAND))).pledgor_id == "110105********002X"
    flow.act("auditor-1", Role.AUDITOR)
    assert reg.verify(number).pledgor_id == "11010519491231002X"


def test_snapshot_reads_one_state(flow: Flow, db_path: str) -> None:
    """Inside ``snapshot()`` a second handle's registration stays unseen,
    the log size stays, a change on the holding handle is refused; after
    it, both are seen."""
    first = flow.registered(Kind.TRADEMARK).number
    with pledger.open(db_path, read_only=True) as ro:
        ro.set_actor("bank-1", Role.BANK)
        with ro.snapshot() as snap:
            assert snap is ro
            size = ro.log_size()
            later = flow.registered(Kind.PATENT).number
            with pytest.raises(pledger.NotFound):
                ro.verify(later)
            assert ro.verify(first).number == first and ro.log_size() == size
            with pytest.raises(pledger.WrongState):
                with ro.snapshot():
                    pass
        assert ro.verify(later).number == later and ro.log_size() > size
    with flow.reg.snapshot():
        with pytest.raises(pledger.WrongState, match="pledger_read_end"):
            flow.registered(Kind.EQUITY)
    flow.registered(Kind.EQUITY)


def typed_forms(ident: str) -> list[str]:
    """An identifier as people type it: lower case, with spaces around,
    in full-width forms (an input method left on), upper case."""
    full = "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in ident)
    return [ident.lower(), f"  {ident}\t", full, f" {full.lower()} ", ident.upper()]


def test_numbers_and_uuids_as_typed(flow: Flow, book: dict) -> None:
    """Every call that takes a registration number or an application UUID
    finds it as a person types it: "r-fz01-..." was answered "no pledge
    is registered" -- to a bank, about a pledge that is registered."""
    reg = flow.reg
    tm, ar = book["trademark"].number, book["receivable"].number
    flow.act("bank-1", Role.BANK)
    v0, p0, c0 = reg.verify(tm), reg.pledge(tm), reg.certificate(tm)
    code = code_of(c0)
    for typed in typed_forms(tm):
        if typed == tm:
            continue
        v = reg.verify(typed, code=code)
        assert v.number == tm and v.code_status == CodeStatus.MATCHED, typed
        assert v == reg.verify(tm, code=code)
        assert reg.verify(typed, at=flow.clock.now).number == tm
        assert reg.rank(typed) == reg.rank(tm) == 1
        assert reg.compare(typed, tm) == 0 and reg.compare(tm, typed) == 0
        assert reg.compare(typed, ar) == reg.compare(tm, ar) != 0
        assert reg.pledge(typed) == p0 and reg.pledge(typed, at=flow.clock.now) == p0
        assert reg.pledge_xml(typed) == reg.pledge_xml(tm)
        assert reg.certificate(typed) == c0
        assert reg.load_certificate(typed).number == tm
    # a number that is not registered is still not found, in any form
    for typed in typed_forms(tm[:-1] + "9"):
        with pytest.raises(pledger.NotFound, match="no pledge is registered"):
            reg.verify(typed)
    # the writing calls act on the pledge typed so, and journal its number
    flow.act("registrar-1", Role.REGISTRAR)
    reg.change(tm.lower(), amount=777)
    assert reg.pledge(tm).amount == 777 and reg.pledge(tm).version == 2
    reg.extend(f" {tm} ", "2031-12-31")
    assert str(reg.pledge(tm).period_end) == "2031-12-31"
    reg.cancel(typed_forms(tm)[2])
    assert reg.verify(tm).state == PledgeState.CANCELLED
    assert reg.journal_verify().intact
    # application UUIDs: stored lower case, found in any case or width
    uuid = flow.saved(Kind.PATENT)
    for typed in typed_forms(uuid):
        with reg.load(typed) as app:
            assert app.uuid == uuid
    assert reg.review(uuid.upper()) == reg.review(uuid)   # the patent is pledged: blocked
    with reg.load(uuid) as app:
        assert app.state == pledger.AppState.REVIEWED
    reg.withdraw(f" {uuid.upper()} ")
    with reg.load(uuid) as app:
        assert app.state == pledger.AppState.WITHDRAWN
    with pytest.raises(pledger.InvalidArgument, match="uuid"):
        reg.review(uuid + "0")
    # a number issued with lower-case letters and a space is found as issued
    flow.act("registrar-1", Role.REGISTRAR)
    reg.set_number_template("{series} no.{office}-{kind}-{year}-{seq:6}")
    odd = flow.registered(Kind.RECEIVABLE).number
    assert " no." in odd
    flow.act("bank-1", Role.BANK)
    assert reg.verify(odd).number == odd and reg.pledge(odd).number == odd
    assert reg.rank(odd) >= 1
