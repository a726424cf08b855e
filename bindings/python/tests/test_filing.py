"""Bulk filing through Python: Registry.file_batch files every item or none,
numbers consecutive, every item's review on refusal."""
from __future__ import annotations

import pytest

import pledger
from pledger import AppState, Kind, Role, Severity
from conftest import Flow, sample


def receivables(n: int) -> list[pledger.Application]:
    apps = []
    for i in range(n):
        app = sample(Kind.RECEIVABLE)
        app["claim/main_contract_number"] = f"QHB-2024-LD-{i:04d}"
        apps.append(app)
    return apps


def serial(number: str) -> int:
    return int(number.rsplit("-", 1)[1])


def test_files_every_item(reg: pledger.Registry, flow: Flow) -> None:
    single = flow.registered(Kind.RECEIVABLE)
    apps = receivables(12)
    flow.act("bank-qh", Role.APPLICANT)
    items = reg.file_batch(apps)
    assert len(items) == 12
    assert [serial(it.number or "") for it in items] == \
        [serial(single.number) + 1 + i for i in range(12)]
    for app, it in zip(apps, items):
        assert isinstance(it, pledger.Filed) and not it.blocked
        assert app.uuid == it.uuid and app.state == AppState.REGISTERED
        assert app.registration_number == it.number
        assert app.acceptance_number == it.acceptance_number
        assert it.modcode and len(it.modcode) >= 16
        assert it.review.count(Severity.BLOCKING) == 0
    flow.act("bank-1", Role.BANK)
    assert reg.verify(items[5].number or "").state == pledger.PledgeState.ACTIVE


def test_one_bad_item_files_nothing(reg: pledger.Registry, flow: Flow) -> None:
    apps = receivables(6)
    del apps[4]["claim/amount"]
    flow.act("bank-qh", Role.APPLICANT)
    with pytest.raises(pledger.ReviewBlocked) as e:
        reg.file_batch(apps)
    assert "item 4" in e.value.message and "1 of 6" in e.value.message
    items = e.value.items
    assert [it.blocked for it in items] == [False, False, False, False, True, False]
    assert all(it.uuid is None and it.number is None for it in items)
    assert any(f.code == "AMOUNT_MISSING" and f.path == "claim/amount"
               for f in items[4].review)
    assert all(a.uuid is None for a in apps)
    flow.act("auditor-1", Role.AUDITOR)
    assert reg.stats("2024-01-01", "2024-12-31").registrations == 0
    # cured, the same handles file
    apps[4]["claim/amount"] = "100000000"
    apps[4]["claim/amount/@currency"] = "CNY"
    flow.act("bank-qh", Role.APPLICANT)
    assert len(reg.file_batch(apps)) == 6
    flow.act("auditor-1", Role.AUDITOR)
    assert reg.stats("2024-01-01", "2024-12-31").registrations == 6


def test_who_and_what(reg: pledger.Registry, flow: Flow) -> None:
    apps = receivables(2)
    for role in (Role.CLERK, Role.REGISTRAR, Role.BANK, Role.AUDITOR):
        flow.act("someone", role)
        with pytest.raises(pledger.PermissionDenied):
            reg.file_batch(apps)
    flow.act("bank-qh", Role.APPLICANT)
    with pytest.raises(pledger.InvalidArgument, match="item 1"):
        reg.file_batch([apps[0], sample(Kind.TRADEMARK)])
    with pytest.raises(pledger.InvalidArgument, match="no items"):
        reg.file_batch([])
    with pytest.raises(pledger.InvalidArgument, match=r"apps\[1\]"):
        reg.file_batch([apps[0], "not an application"])  # type: ignore[list-item]
    with pytest.raises(pledger.InvalidArgument):
        reg.file_batch("apps")  # type: ignore[arg-type]


def test_a_keyed_batch_is_filed_once(reg: pledger.Registry, flow: Flow) -> None:
    """file_batch(key=...) sent again (the answer was lost) files nothing
    and answers with the first filing; other documents under the key
    raise Conflict; a key of the wrong type or form is refused naming it."""
    flow.act("bank-qh", Role.APPLICANT)
    first = reg.file_batch(receivables(3), key="batch-7")
    assert not any(it.replayed for it in first) and all(it.modcode for it in first)
    size = reg.log_size()
    apps = receivables(3)
    again = reg.file_batch(apps, key="batch-7")
    assert all(it.replayed for it in again)
    assert [it.number for it in again] == [it.number for it in first]
    assert [a.registration_number for a in apps] == [it.number for it in first]
    assert all(it.modcode is None for it in again)
    assert reg.log_size() == size   # nothing journaled
    with pytest.raises(pledger.Conflict) as e:
        reg.file_batch(receivables(2), key="batch-7")
    assert "batch-7" in e.value.message
    with pytest.raises(pledger.WrongType):
        reg.file_batch(receivables(1), key=7)  # type: ignore[arg-type]
    with pytest.raises(pledger.InvalidArgument) as e:
        reg.file_batch(receivables(1), key="batch 7")
    assert "key" in e.value.message
    # without a key the same documents are filed again: two more pledges
    assert reg.file_batch(receivables(3))[0].number != first[0].number


def test_a_keyed_save_saves_one_draft(reg: pledger.Registry, flow: Flow) -> None:
    """save(key=...) sent again (the answer was lost) saves nothing and
    returns the first draft's UUID, the handle in the state it has now;
    another document under the key, or a batch's key, raises Conflict; a
    key of the wrong type or form is refused naming it."""
    flow.act("bank-qh", Role.APPLICANT)
    first = receivables(1)[0]
    uuid = reg.save(first, key="draft-7")
    assert first.uuid == uuid and first.state == AppState.DRAFT
    size = reg.log_size()
    again = receivables(1)[0]
    assert reg.save(again, key="draft-7") == uuid and again.uuid == uuid
    assert reg.log_size() == size   # nothing journaled
    reg.review(uuid)
    later = receivables(1)[0]
    assert reg.save(later, key="draft-7") == uuid and later.state == AppState.REVIEWED
    other = receivables(2)[1]
    with pytest.raises(pledger.Conflict) as e:
        reg.save(other, key="draft-7")
    assert "draft-7" in e.value.message and other.uuid is None
    reg.file_batch(receivables(1), key="batch-8")
    with pytest.raises(pledger.Conflict) as e:
        reg.save(other, key="batch-8")
    assert "bulk filing" in e.value.message
    with pytest.raises(pledger.WrongType):
        reg.save(other, key=7)  # type: ignore[arg-type]
    with pytest.raises(pledger.InvalidArgument) as e:
        reg.save(other, key="draft 7")
    assert "key" in e.value.message
    # without a key the same document is a new draft
    assert reg.save(receivables(1)[0]) != uuid


def test_a_keyed_save_sent_twice_at_once_saves_one_draft(db_path: str) -> None:
    """Two handles (two processes' worth: each its own connection) send
    the same application under the same key at the same moment, many
    times, on the real clock: every pair gets one UUID, and the registry
    holds one draft per key."""
    import threading
    doc = receivables(1)[0].to_xml()
    handles = []
    for _ in range(2):
        h = pledger.open(db_path, office="FZ01")
        h.set_actor("bank-qh", Role.APPLICANT)
        handles.append(h)
    rounds = 40
    got: list[list[str]] = [[], []]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def run(i: int) -> None:
        try:
            for k in range(rounds):
                start.wait()
                got[i].append(handles[i].save(pledger.Application.from_xml(doc),
                                              key=f"race-{k}"))
        except BaseException as e:  # noqa: BLE001 -- reported below
            errors.append(e)
            start.abort()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    for h in handles:
        h.close()
    assert not errors, errors
    assert got[0] == got[1] and len(set(got[0])) == rounds
    import sqlite3
    with sqlite3.connect(db_path) as c:
        assert c.execute("SELECT count(*) FROM application").fetchone()[0] == rounds
        assert c.execute("SELECT count(*) FROM filing_key").fetchone()[0] == rounds


def test_an_application_argument_of_another_type_is_refused(reg: pledger.Registry,
                                                            flow: Flow) -> None:
    """save() and correct() name the argument that is not an Application
    (they raised AttributeError), as file_batch() and the remote client do."""
    flow.act("bank-qh", Role.APPLICANT)
    for bad in (None, "<application/>", 5, receivables(1)):
        for call in (lambda: reg.save(bad), lambda: reg.save(bad, key="k-1"),  # noqa: B023
                     lambda: reg.correct(bad)):  # noqa: B023
            with pytest.raises(pledger.WrongType) as e:
                call()
            assert "app must be a pledger.Application" in e.value.message
    assert reg.log_size() == 0


def _envelope(apps: list[pledger.Application], encoding: str = "UTF-8") -> bytes:
    return (f'<?xml version="1.0" encoding="{encoding}"?>\n<filings xmlns="urn:pledger:1">\n'
            + "".join(a.to_xml().split("?>", 1)[1].lstrip("\n") for a in apps)
            + "</filings>\n").encode("utf-8")


def test_a_filing_document_reads_into_its_applications(reg: pledger.Registry,
                                                        flow: Flow) -> None:
    """Application.list_from_filings reads the document POST /v1/filings
    takes, as UTF-8 whatever it declares; refusals name the line and the
    application; what it read is filed."""
    apps = receivables(3)
    for enc in ("UTF-8", "ISO-8859-1"):
        got = pledger.Application.list_from_filings(_envelope(apps, enc))
        assert [g.to_xml() for g in got] == [a.to_xml() for a in apps]
        assert all(g.uuid is None and g.state == AppState.DRAFT for g in got)
    flow.act("bank-qh", Role.APPLICANT)
    items = reg.file_batch(got)
    assert [g.registration_number for g in got] == [it.number for it in items]
    body = _envelope(receivables(2))
    second = body.index(b"<application", body.index(b"<application") + 1)
    line = body[:second].count(b"\n") + 1
    bad = body[:second] + b"<applicatio\xe3" + body[second + len(b"<application"):]
    with pytest.raises(pledger.InvalidDocument) as e:
        pledger.Application.list_from_filings(bad)
    assert str(e.value).startswith(f"filings: line {line}: invalid UTF-8"), str(e.value)
    kindless = body[:second] + body[second:].replace(b' kind="receivable"', b"", 1)
    with pytest.raises(pledger.InvalidDocument) as e:
        pledger.Application.list_from_filings(kindless)
    assert str(e.value).startswith(f"filings/application[2]: application: line {line}:")
    for other, why in ((b'<filings xmlns="urn:pledger:1"/>', "no <application>"),
                       (b'<batch xmlns="urn:pledger:1"/>', "root element")):
        with pytest.raises(pledger.InvalidArgument) as e:
            pledger.Application.list_from_filings(other)
        assert why in str(e.value)


def test_the_command_line_files_a_filing_document(tmp_path) -> None:
    """pledger file-batch takes <filings> documents with application files,
    each item named by where it came from."""
    from conftest import run_cli
    import json
    db = str(tmp_path / "reg.db")
    assert run_cli("init", "--db", db, "--office", "FZ01").status == 0
    envelope = tmp_path / "batch.xml"
    envelope.write_bytes(_envelope(receivables(2)))
    single = tmp_path / "one.xml"
    single.write_text(receivables(1)[0].to_xml(), encoding="utf-8")
    r = run_cli("file-batch", str(envelope), str(single), "--actor", "bank-qh", "--json",
                "--db", db)
    assert r.status == 0, r.err
    filed = json.loads(r.out)
    assert filed["filed"] and filed["count"] == 3
    assert [i["file"] for i in filed["items"]] == [f"{envelope}[1]", f"{envelope}[2]",
                                                    str(single)]
    envelope.write_bytes(b'<filings xmlns="urn:pledger:1"/>')
    r = run_cli("file-batch", str(envelope), "--actor", "bank-qh", "--db", db)
    assert r.status != 0 and f"{envelope}: filings: no <application>" in r.err, r.err
