"""One Pledge everywhere: Registry.pledge(), Verification.pledge and
SearchHit.pledge are the same snapshot (pledger_pledge) for the same
version, each field readable by its path in the pledge document; the
Certificate record agrees with the certificate document."""
from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET

import pledger
from pledger import Kind, PledgeState, Role

from conftest import DAY_US, T0

NS = {"p": "urn:pledger:1"}
UTC = dt.timezone.utc


def _hit(reg: pledger.Registry, number: str, **query) -> pledger.SearchHit:
    hits = [h for h in reg.search(**query) if h.number == number]
    assert len(hits) == 1
    return hits[0]


def test_one_pledge_from_get_verify_and_search(reg, flow, clock) -> None:
    number = flow.registered(Kind.TRADEMARK).number
    flow.act("registrar-1", Role.REGISTRAR)
    got = reg.pledge(number)
    v = reg.verify(number)
    hit = _hit(reg, number, kind=Kind.TRADEMARK, right=got.rights[0])
    assert isinstance(v.pledge, pledger.Pledge) and isinstance(hit.pledge, pledger.Pledge)
    assert v.pledge == got and hit.pledge == got
    assert dict(v.pledge.fields) == dict(got.fields) == dict(hit.pledge.fields)
    # the answers' own attributes are the pledge's
    for name in ("number", "kind", "state", "version", "registered_at", "pledgor_name",
                 "pledgor_id", "pledgee_name", "pledgee_id", "amount", "currency",
                 "period_start", "period_end"):
        assert getattr(v, name) == getattr(got, name) == getattr(hit, name), name
    assert tuple(r.right_id for r in v.rights) == got.rights
    assert all(r.rank == 1 for r in v.rights)
    # a change: version 2 now, version 1 read back at an instant
    before = clock.now
    clock.advance(1)
    reg.change(number, amount=987654321)
    clock.advance(1)
    old = reg.pledge(number, at=before)
    assert old.version == 1 and old.valid_to is not None
    assert reg.verify(number, at=before).pledge == old
    assert _hit(reg, number, kind=Kind.TRADEMARK, right=got.rights[0], as_of=before).pledge == old
    new = reg.pledge(number)
    assert new.version == 2 and new.amount == 987654321
    assert new.field("amount") == "987654321"
    assert new.field("history/entry[2]/operation") == "change"
    assert old.field("status") == "superseded" and new.field("status") == "current"


def test_fields_are_the_documents(reg, flow) -> None:
    for kind in Kind:
        number = flow.registered(kind).number
        flow.act("registrar-1", Role.REGISTRAR)
        p = reg.pledge(number)
        root = ET.fromstring(reg.pledge_xml(number))
        for path, value in p.fields.items():
            steps, attr = path.split("/"), None
            if steps[-1].startswith("@"):
                attr = steps.pop()[1:]
            node = root.find("/".join("p:" + s for s in steps), NS)
            assert node is not None, path
            text = node.get(attr) if attr else (node.text or "")
            assert text == value, (path, text, value)
        # the attributes are the fields
        assert p.field("registration_number") == p.number
        assert p.field("kind") == kind.api_name
        assert p.field("state") == p.state.api_name
        assert p.field("pledgor/name") == p.pledgor_name
        assert p.field("amount") == str(p.amount)
        assert p.field("period/end") == p.period_end.isoformat()
        assert p.field("application") == p.application_uuid
        for i, r in enumerate(p.rights, 1):
            assert p.field(f"rights/*[{i}]/identifier") == r
            assert p.field(f"rights/{kind.api_name}[{i}]/identifier") == r
            assert p.field(f"rights/right[{i}]/identifier") == r
        assert p.field(f"rights/*[{len(p.rights) + 1}]/identifier") is None
        assert p.field("no/such/path") is None
        assert p.registered_at == dt.datetime.fromtimestamp(T0 / 1e6, UTC) or \
            p.registered_at > dt.datetime.fromtimestamp(T0 / 1e6, UTC)


def test_as_dict_leaves_the_snapshot_out(reg, flow) -> None:
    number = flow.registered(Kind.PATENT).number
    flow.act("registrar-1", Role.REGISTRAR)
    d = pledger.types.as_dict(reg.verify(number))
    assert "pledge" not in d and d["number"] == number
    assert "fields" not in pledger.types.as_dict(reg.pledge(number))
    assert "pledge" not in pledger.types.as_dict(next(iter(reg.search())))


def test_certificate_record(reg, flow, clock) -> None:
    number = flow.registered(Kind.TRADEMARK).number
    issued = clock.now
    flow.act("registrar-1", Role.REGISTRAR)
    c1 = reg.load_certificate(number)
    assert c1.number == number and c1.version == 1 and c1.current
    assert c1.status == pledger.CertificateStatus.CURRENT
    assert c1.issued_at == pledger.types.from_us(issued)
    assert c1.xml == reg.certificate(number)
    root = ET.fromstring(c1.xml)
    assert root.findtext("p:verification_code", namespaces=NS) == c1.code
    assert root.findtext("p:version", namespaces=NS) == "1"
    clock.advance(2)
    changed = clock.now
    reg.change(number, amount=111111111)
    c2 = reg.load_certificate(number)
    assert c2.version == 2 and c2.current and c2.code != c1.code
    old = reg.load_certificate(number, 1)
    assert old.status == pledger.CertificateStatus.SUPERSEDED and not old.current
    assert old.superseded_at == pledger.types.from_us(changed)
    assert old.code == c1.code
    assert ET.fromstring(old.xml).findtext("p:status", namespaces=NS) == "superseded"
    v = reg.verify(number, code=old.code)
    assert v.code_superseded_at == old.superseded_at and v.code_version == 1
    try:
        reg.load_certificate(number, 3)
    except pledger.NotFound as e:
        assert "pledger_certificate_load" in e.library_message
        assert "pledger_certificate_load" not in e.message and "version 3" in e.message
    else:
        raise AssertionError("version 3 was found")


def test_masked_for_a_bank_in_every_form(reg, flow) -> None:
    number = flow.registered(Kind.LAND).number  # the pledgor is a person
    flow.act("registrar-1", Role.REGISTRAR)
    assert reg.pledge(number).pledgor_id == "11010519491231002X"
    flow.act("officer", Role.BANK)
    p = reg.pledge(number)
    assert p.pledgor_id == "110105********002X" == p.field("pledgor/id")
    assert p.field("pledgor/id/@type") == "resident"
    assert reg.verify(number).pledge == p
    assert _hit(reg, number, kind=Kind.LAND, right=p.rights[0]).pledge == p
    c = reg.load_certificate(number)
    assert "11010519491231002X" not in c.xml and "110105********002X" in c.xml


def test_pledge_is_frozen(reg, flow) -> None:
    number = flow.registered(Kind.EMISSION).number
    p = reg.pledge(number)
    try:
        p.amount = 1  # type: ignore[misc]
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("Pledge is not frozen")
    assert p.state == PledgeState.ACTIVE
    assert reg.verify(number).pledge.fields["registration_number"] == number
    _ = DAY_US


def test_a_version_still_to_come_is_not_answered(reg, flow, clock) -> None:
    """pledge(at=) and pledge_xml(at=) answered for an instant after the
    registry's now -- the current version lapsed to that day, "expired"
    for a pledge whose period would end by then, a forecast an extension
    can make untrue -- where verify, search and rank refuse it."""
    number = flow.registered(Kind.EMISSION).number     # its period ends 2025-06-30
    later = dt.datetime(2026, 1, 1, tzinfo=UTC)
    for call in (reg.pledge, reg.pledge_xml, reg.verify, reg.rank):
        try:
            call(number, at=later)
        except pledger.InvalidArgument as e:
            assert e.message.startswith("at ") and "instants that have passed" in e.message, e
        else:
            raise AssertionError(f"{call.__name__} answered for an instant to come")
    now = reg.now
    assert reg.pledge(number, at=now).state == PledgeState.ACTIVE
    assert "<state>active</state>" in reg.pledge_xml(number, at=now)
