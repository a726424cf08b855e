"""The key of a receivable: the same receivable is found as the same
right however its debtors are listed and however its contract number's
dashes are typed, in a new registry and in one an older pledger made
(whose keys the first opening for writing makes again, journaled)."""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3

import pytest

import pledger
from pledger import Kind, Role

from conftest import DATA, DAY_US, T0, sample_path

#: listed first in the old registry, but its identifier sorts last
A = ("深圳市前海超市连锁有限公司", "914403001922038216")
#: its identifier sorts first
B = ("广州天河物流有限公司", "91440101MA5CYX0X2H")
C = ("海口美兰贸易有限公司", "91460100MA5TQ8KC0D")


def receivable(debtors, contract: str, start: dt.date, desc: str = "供货款应收账款",
               rights: int = 1) -> pledger.Application:
    """The receivable sample with its rights replaced by @rights copies of
    one receivable of @debtors and @contract, its period from @start."""
    x = sample_path(Kind.RECEIVABLE).read_text(encoding="utf-8")
    parties = "".join(
        f'<party type="organisation"><name>{n}</name><id type="uscc">{i}</id>'
        f"<country>CN</country></party>" for n, i in debtors)
    one = (f"<receivable><description>{desc}</description><debtors>{parties}</debtors>"
           f'<amount currency="CNY">125000000</amount>'
           f"<due_date>{start + dt.timedelta(days=500)}</due_date>"
           f"<contract_number>{contract}</contract_number></receivable>")
    head, rest = x.split("<rights>", 1)
    x = head + "<rights>" + one * rights + "</rights>" + rest.split("</rights>", 1)[1]
    end = start + dt.timedelta(days=700)
    for old, new in (("<start>2024-05-01</start>", f"<start>{start}</start>"),
                     ("<end>2025-10-31</end>", f"<end>{end}</end>"),
                     ("<performance_start>2024-05-01</performance_start>",
                      f"<performance_start>{start}</performance_start>"),
                     ("<performance_end>2025-04-30</performance_end>",
                      f"<performance_end>{end}</performance_end>")):
        assert old in x
        x = x.replace(old, new)
    return pledger.Application.from_xml(x)


def codes(review) -> dict[str, str]:
    return {f.code: f.message for f in review}


def register(reg: pledger.Registry, app: pledger.Application) -> str:
    reg.set_actor("bank-1", Role.APPLICANT)
    uuid = reg.save(app)
    review = reg.review(uuid)
    assert not review.stops_submission, [(f.code, f.message) for f in review]
    reg.submit(uuid)
    reg.set_actor("clerk-1", Role.CLERK)
    reg.accept(uuid)
    reg.set_actor("registrar-1", Role.REGISTRAR)
    return reg.register(uuid).number


START = dt.date(2024, 4, 15)

#: the same receivable as (debtors A and B, "HT-2024-001"), typed otherwise
SAME = [
    ((A, B), "HT-2024-001"),
    ((B, A), "HT-2024-001"),
    ((B, A), "ht\u20132024\u2013001"),          # en dashes, lower case
    ((A, B), "HT\u22122024\uff0d001"),          # a minus sign, a full-width hyphen
    ((C, B, A), "HT\u20102024\u2011001"),       # a third debtor, sorting after B
    ((A, B), "HT-2024-\u00ad001"),              # a soft hyphen pasted along
]


@pytest.mark.parametrize("debtors,contract", SAME[1:])
def test_same_receivable_however_typed(reg, clock, debtors, contract) -> None:
    first = register(reg, receivable(SAME[0][0], SAME[0][1], START))
    clock.advance(1)
    with receivable(debtors, contract, START) as app:
        found = codes(reg.check(app))
        assert "RC_PRIOR_PLEDGE" in found, found
        assert first in found["RC_PRIOR_PLEDGE"]
        assert "rank 2" in found["RC_PRIOR_PLEDGE"]
        second = register(reg, app)
    assert reg.rank(first) == 1
    assert reg.rank(second) == 2
    assert reg.compare(first, second) < 0
    # found by the right, keyed by the debtor whose identifier sorts first
    hits = [h.number for h in reg.search(kind=Kind.RECEIVABLE, right=f"{B[1]}/HT-2024-001")]
    assert hits == [first, second]
    # and typed with other dashes too
    hits = [h.number for h in reg.search(kind=Kind.RECEIVABLE,
                                         right=f"{B[1]}/ht\u20142024\u2212001")]
    assert hits == [first, second]


@pytest.mark.parametrize("debtors,contract", [
    ((A, B), "HT-2024-002"),         # another contract
    ((A, C), "HT-2024-001"),         # other debtors
    ((A,), "HT-2024-001"),           # not the debtor the key names
    ((A, B), "HT2024001"),           # a dash is part of the number, not only its dress
])
def test_other_receivables_are_not_the_same(reg, clock, debtors, contract) -> None:
    register(reg, receivable((A, B), "HT-2024-001", START))
    clock.advance(1)
    with receivable(debtors, contract, START) as app:
        found = codes(reg.check(app))
        assert "RC_PRIOR_PLEDGE" not in found, found
        number = register(reg, app)
    assert reg.rank(number) == 1


def test_pending_application_and_duplicate_right(reg, clock) -> None:
    reg.set_actor("bank-1", Role.APPLICANT)
    pending = reg.save(receivable((A, B), "HT-2024-003", START))
    with receivable((B, A), "ht\u20132024\u20133", START) as other:
        other.set("rights/right[1]/contract_number", "HT\u20132024\u2013003")
        found = codes(reg.check(other))
    assert "RIGHT_PENDING_APPLICATION" in found, found
    assert pending[:8] in found["RIGHT_PENDING_APPLICATION"]
    # one application naming the same receivable twice, its debtors swapped
    with receivable((A, B), "HT-2024-004", START, rights=2) as twice:
        twice.set("rights/right[2]/debtors/party[1]/name", B[0])
        twice.set("rights/right[2]/debtors/party[1]/id", B[1])
        twice.set("rights/right[2]/debtors/party[2]/name", A[0])
        twice.set("rights/right[2]/debtors/party[2]/id", A[1])
        twice.set("rights/right[2]/contract_number", "HT\u20142024\u2014004")
        found = codes(reg.check(twice))
    assert "RIGHT_DUPLICATE" in found, found


def test_receivable_identified_by_its_key(reg) -> None:
    """What a pledge and its certificate name a receivable by is what a
    bank types to search by right, whatever order the debtors were in."""
    number = register(reg, receivable((A, B), "ht\u20132024-005", START))
    key = f"{B[1]}/HT-2024-005"
    assert reg.pledge(number).rights == (key,)
    assert f"<identifier>{key}</identifier>" in reg.certificate(number)
    assert [h.number for h in reg.search(kind=Kind.RECEIVABLE, right=key)] == [number]
    assert [h.number for h in reg.search(kind=Kind.RECEIVABLE, right=B[1])] == [number]


@pytest.mark.parametrize("debtor", [A, B, C])
def test_receivable_found_by_any_of_its_debtors(reg, clock, debtor) -> None:
    """A bank asking what is pledged of a debtor's receivables finds a
    receivable of several debtors by each of them, alone or with the
    contract number, and not a receivable of other debtors."""
    three = register(reg, receivable((A, C, B), "HT-2024-008", START))
    clock.advance(1)
    two = register(reg, receivable((C, A), "HT-2024-009", START))
    clock.advance(1)
    other = register(reg, receivable((B,), "HT-2024-010", START))
    ident = debtor[1]
    want = {A[1]: [three, two], B[1]: [three, other], C[1]: [three, two]}[ident]
    assert [h.number for h in reg.search(kind=Kind.RECEIVABLE, right=ident)] == want
    assert [h.number for h in reg.search(kind=Kind.RECEIVABLE,
                                         right=f"{ident}/ht\u20142024\u2013008")] == [three]
    assert [h.number for h in reg.search(kind=Kind.RECEIVABLE,
                                         right=f"{ident}/HT-2024-011")] == []
    # the rank is still the receivable's own
    assert reg.rank(three) == reg.rank(two) == reg.rank(other) == 1
    # the other criteria still hold on the debtor's receivables
    assert [h.number for h in reg.search(kind=Kind.RECEIVABLE, right=ident,
                                         registered_to=dt.date(2024, 3, 31))] == []


def test_receivable_by_debtor_pages(reg, clock) -> None:
    numbers = []
    for i in range(5):
        numbers.append(register(reg, receivable((C, A), f"HT-2024-1{i:02d}", START)))
        clock.advance(1)
    cur = reg.search(kind=Kind.RECEIVABLE, right=A[1], page_size=2)
    assert [h.number for h in cur] == numbers


# ---- a registry an older pledger made ------------------------------------------------


def old_registry(tmp_path) -> str:
    path = str(tmp_path / "old.db")
    con = sqlite3.connect(path)
    con.executescript((DATA / "registry-0.2-receivables.sql").read_text(encoding="utf-8"))
    con.close()
    return path


def rows(path: str, sql: str) -> list:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


OLD_NUMBER = "R-FZ01-AR-2026-000001"


def test_old_registry_read_only_keeps_its_keys(tmp_path) -> None:
    path = old_registry(tmp_path)
    before = rows(path, "SELECT right_key FROM pledge_right")
    with pledger.open(path, read_only=True) as r:
        assert r.log_size() == 8
        assert [h.number for h in r.search(kind=Kind.RECEIVABLE, right=A[1])] == [OLD_NUMBER]
    assert rows(path, "SELECT right_key FROM pledge_right") == before
    assert rows(path, "PRAGMA user_version") == [(11,)]


def test_old_registry_keys_made_again(tmp_path) -> None:
    path = old_registry(tmp_path)
    assert rows(path, "SELECT right_key FROM pledge_right") == [(f"{A[1]}/HT\u20132026\u2013001",)]
    # the first opening for writing: one event, on the real clock
    with pledger.open(path, office="FZ01") as r:
        assert r.log_size() == 9
        r.set_actor("auditor-1", Role.AUDITOR)
        check = r.journal_verify()
        assert check.intact, check.message
        assert check.count == 9
    event = rows(path, "SELECT actor, role, operation, subject, payload FROM journal "
                       "WHERE seq = 9")[0]
    assert event[:4] == ("pledger", "system", "registry.rekey", "right_keys")
    payload = json.loads(event[4])
    # recorded at the last event's instant; made now, on the real clock
    at = rows(path, "SELECT at_us FROM journal WHERE seq IN (8, 9) ORDER BY seq")
    assert at[0] == at[1]
    made = payload.pop("made_at")
    assert abs(made / 1e6 - dt.datetime.now(dt.timezone.utc).timestamp()) < 600
    key1, key2 = f"{B[1]}/HT-2026-001", f"{B[1]}/HT-2026-002"
    assert payload == {
        "applications": [{"id": 1, "idx": 1, "key": key1}, {"id": 2, "idx": 1, "key": key2}],
        "debtors": [{"debtor": A[1], "id": 1, "idx": 1}, {"debtor": B[1], "id": 1, "idx": 1}],
        "pledges": [{"id": 1, "idx": 1, "key": key1}],
        "unread": 0,
        "upgrade": "right_keys",
    }
    assert sorted(rows(path, "SELECT pledge_id, idx, debtor FROM pledge_debtor")) == [
        (1, 1, B[1]), (1, 1, A[1])]
    assert rows(path, "SELECT right_key, identifier FROM pledge_right") == [(key1, key1)]
    assert rows(path, "SELECT * FROM upgrade_pending") == []
    # the next opening finds nothing to do
    with pledger.open(path, office="FZ01") as r:
        assert r.log_size() == 9
        today = r.now.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
        # the same receivable, debtors swapped and dashes plain: a prior pledge
        with receivable((B, A), "HT-2026-001", today) as app:
            found = codes(r.check(app))
            assert "RC_PRIOR_PLEDGE" in found and OLD_NUMBER in found["RC_PRIOR_PLEDGE"], found
            number = register(r, app)
        assert r.rank(number) == 2
        assert [h.number for h in r.search(kind=Kind.RECEIVABLE, right=f"{B[1]}/HT-2026-001")] \
            == [OLD_NUMBER, number]
        # by either debtor: the old pledge's debtors were kept by the rekey
        for d in (A, B):
            assert [h.number for h in r.search(kind=Kind.RECEIVABLE, right=d[1])] \
                == [OLD_NUMBER, number]
        # the application still pending is found on the same right
        with receivable((B, A), "HT-2026-002", today) as app:
            found = codes(r.check(app))
            assert "RIGHT_PENDING_APPLICATION" in found, found
        r.set_actor("auditor-1", Role.AUDITOR)
        check = r.journal_verify()
        assert check.intact, check.message


def test_new_registry_has_nothing_to_make_again(tmp_path) -> None:
    path = str(tmp_path / "new.db")
    with pledger.open(path, office="FZ01", create=True) as r:
        assert r.log_size() == 0
    with pledger.open(path, office="FZ01") as r:
        assert r.log_size() == 0
    assert rows(path, "SELECT * FROM upgrade_pending") == []


def test_old_registry_with_a_changed_document_still_opens(tmp_path) -> None:
    """A document changed outside the library keeps its key (the journal's
    verification names it); the others are made again."""
    path = old_registry(tmp_path)
    con = sqlite3.connect(path)
    con.execute("UPDATE application SET document = replace(document, '供货款应收账款二', "
                "'改过的') WHERE id = 2")
    con.commit()
    con.close()
    with pledger.open(path, office="FZ01") as r:
        assert r.log_size() == 9
    payload = json.loads(rows(path, "SELECT payload FROM journal WHERE seq = 9")[0][0])
    assert [a["id"] for a in payload["applications"]] == [1]
    assert [p["id"] for p in payload["pledges"]] == [1]
    assert payload["unread"] == 1


# ---- references typed with other dashes ----------------------------------------------


DASHES = ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe58",
          "\ufe63", "\uff0d"]


@pytest.mark.parametrize("dash", DASHES)
def test_number_and_codes_typed_with_any_dash(reg, dash) -> None:
    """A registration number, a verification code and a modification code
    pasted from a document whose editor made its hyphens into dashes."""
    reg.set_actor("bank-1", Role.APPLICANT)
    uuid = reg.save(receivable((A, B), "HT-2024-006", START))
    assert not reg.review(uuid).stops_submission
    reg.submit(uuid)
    reg.set_actor("clerk-1", Role.CLERK)
    reg.accept(uuid)
    reg.set_actor("registrar-1", Role.REGISTRAR)
    got = reg.register(uuid)
    code = reg.load_certificate(got.number).code
    typed = got.number.replace("-", dash)
    assert typed != got.number
    v = reg.verify(typed, code.replace("-", dash))
    assert v.number == got.number
    assert v.code_status.name == "MATCHED"
    assert reg.rank(typed) == 1
    # the pledgee cancels its pledge with the modification code so typed
    assert "-" in got.modcode
    reg.set_actor("bank-1", Role.APPLICANT)
    reg.cancel(typed, modcode=got.modcode.replace("-", dash))
    assert reg.pledge(got.number).state.name == "CANCELLED"


@pytest.mark.skipif(not pledger.xmlsig_available(),
                    reason="this libpledger was built without libxmlsec1")
def test_acceptance_point_takes_the_office_certificate(tmp_path, clock) -> None:
    """The office's certificate names a receivable by its key; the
    acceptance point, which checks the certificate against the document
    it sent, takes it though the debtors were listed in another order."""
    from test_exchange import keypair, ring
    ap_key, ap_pub = keypair(tmp_path, "fz01")
    of_key, of_pub = keypair(tmp_path, "bj00")
    with pledger.open(str(tmp_path / "ap.db"), office="FZ01") as ap, \
            pledger.open(str(tmp_path / "of.db"), office="BJ00") as of:
        ap.set_clock(clock)
        of.set_clock(clock)
        ap.set_actor("registrar-fz", Role.REGISTRAR)
        ap.set_site("acceptance_point", "BJ00")
        ap.set_actor("bank-1", Role.APPLICANT)
        uuid = ap.save(receivable((A, B), "ht\u20132024\u2013007", START))
        assert not ap.review(uuid).stops_submission
        ap.submit(uuid)
        ap.set_actor("clerk-fz", Role.CLERK)
        ap.accept(uuid)
        of.set_actor("registrar-bj", Role.REGISTRAR)
        receipt = of.exchange_import(ap.exchange_export("BJ00", ring("FZ01", ap_key)),
                                     ring("FZ01", ap_pub), ring("BJ00", of_key))
        ap.exchange_import(receipt, ring("BJ00", of_pub))
        number = of.register(uuid).number
        assert of.pledge(number).rights == (f"{B[1]}/HT-2024-007",)
        ap.exchange_import(of.exchange_export("FZ01", ring("BJ00", of_key)),
                           ring("BJ00", of_pub), ring("FZ01", ap_key))
        got = ap.load(uuid)
        assert got.state == pledger.AppState.REGISTERED and got.registration_number == number


def test_old_registry_opens_while_another_writes(tmp_path) -> None:
    """An opening that finds the keys to make while another handle holds
    the write lock opens all the same and leaves them to a later one."""
    path = old_registry(tmp_path)
    with pledger.open(path, office="FZ01") as r:
        assert r.log_size() == 9
    con = sqlite3.connect(path)
    con.execute("INSERT INTO upgrade_pending(name) VALUES ('right_keys')")
    con.commit()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pledger.open(path, office="FZ01", timeout=0.2) as r:
            assert r.log_size() == 9
            assert [h.number for h in r.search(kind=Kind.RECEIVABLE, right=B[1])] == [OLD_NUMBER]
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert rows(path, "SELECT name FROM upgrade_pending") == [("right_keys",)]
    with pledger.open(path, office="FZ01") as r:
        assert r.log_size() == 10     # nothing left to change: an event that says so
    payload = json.loads(rows(path, "SELECT payload FROM journal WHERE seq = 10")[0][0])
    assert payload["applications"] == [] and payload["pledges"] == []
    assert payload["debtors"] == []     # kept by the first
    assert rows(path, "SELECT name FROM upgrade_pending") == []
    con.close()


#: its identifier sorts before A's, B's and C's
D = ("福建三号食品有限公司", "913501001000000326")


def test_shared_debtor_is_a_notice_of_its_own(reg, clock) -> None:
    """The receivable filed again with a debtor added whose identifier
    sorts first is another right by key: RC_PRIOR_PLEDGE cannot see the
    pledge on it, RC_SHARED_DEBTOR names it (a debtor in common, the same
    contract number, however its dashes are typed)."""
    first = register(reg, receivable((A, B), "HT-2024-001", START))
    clock.advance(1)
    with receivable((D, A, B), "HT\u20142024\uff0d001", START) as app:
        found = codes(reg.check(app))
    assert "RC_PRIOR_PLEDGE" not in found, found
    msg = found["RC_SHARED_DEBTOR"]
    assert f"pledge {first}, in force," in msg
    assert "(HT-2024-001)" in msg
    assert A[1] in msg or B[1] in msg
    # one debtor in common is enough
    with receivable((C, A), "HT-2024-001", START) as app:
        assert first in codes(reg.check(app))["RC_SHARED_DEBTOR"]
    # the same key is the same right: ranked, not a second notice
    with receivable((B, A), "ht-2024-001", START) as app:
        found = codes(reg.check(app))
    assert "RC_PRIOR_PLEDGE" in found and "RC_SHARED_DEBTOR" not in found, found
    # another contract, or no debtor in common: none
    for debtors, contract in (((A, B), "HT-2024-002"), ((C, D), "HT-2024-001")):
        with receivable(debtors, contract, START) as app:
            assert "RC_SHARED_DEBTOR" not in codes(reg.check(app)), (debtors, contract)
    # a second pledge sharing a debtor: both named, oldest first
    clock.advance(1)
    second = register(reg, receivable((A,), "HT-2024-001", START))
    with receivable((D, A), "HT-2024-001", START) as app:
        msg = codes(reg.check(app))["RC_SHARED_DEBTOR"]
    assert f"pledges {first}, {second}, in force," in msg, msg
    # a notice: it does not stop the filing
    clock.advance(1)
    with receivable((D, A, B), "HT-2024-001", START) as app:
        assert register(reg, app)


def test_shared_debtor_in_chinese(reg, clock) -> None:
    first = register(reg, receivable((A, B), "HT-2024-001", START))
    clock.advance(1)
    pledger.set_language("zh_CN")
    try:
        with receivable((D, B), "HT-2024-001", START) as app:
            msg = codes(reg.check(app))["RC_SHARED_DEBTOR"]
    finally:
        pledger.set_language(None)
    assert first in msg and "同一合同编号" in msg, msg


def test_shared_debtor_within_a_bulk_filing(reg, clock) -> None:
    """The earlier items of the same bulk filing register before it: one
    under the same contract number with a debtor in common and another
    key is named as a pledge would be; one with the same key is
    RC_PRIOR_PLEDGE's to rank."""
    reg.set_actor("bank-1", Role.APPLICANT)
    items = reg.file_batch([receivable((A, B), "HT-2024-001", START),
                            receivable((D, A, B), "HT\u20142024-001", START),
                            receivable((B, A), "ht-2024-001", START),
                            receivable((C,), "HT-2024-001", START)])
    found = [{f.code: f.message for f in it.review} for it in items]
    assert "RC_SHARED_DEBTOR" not in found[0], found[0]
    assert "earlier items of this batch (1 of them)" in found[1]["RC_SHARED_DEBTOR"], found[1]
    assert "(HT-2024-001)" in found[1]["RC_SHARED_DEBTOR"]
    # the same key as the first: ranked after it, and the second named
    assert "earlier items of this batch" in found[2]["RC_PRIOR_PLEDGE"], found[2]
    assert "(1 of them)" in found[2]["RC_SHARED_DEBTOR"], found[2]
    # no debtor in common with any of them
    assert "RC_SHARED_DEBTOR" not in found[3], found[3]
    assert all(it.number for it in items)
