"""Control characters in text, through the bindings: every text a
registry user gives -- a party's new name, an actor, a note, a ground, an
objector, a search's name filter, a field of an application -- refuses
ESC, DEL, C1 controls, the line separators and the bidirectional
controls with pledger.InvalidArgument (pledger.InvalidDocument for XML)
naming the parameter or field, the character and its position, and the
registry's file is left as it was.  The notes keep tab, LF and CRLF."""
from __future__ import annotations

import sqlite3
from typing import Any, Callable

import pytest

import pledger
from pledger import Kind, Role

from conftest import Flow, sample

BAD = [
    ("AB\x1b[2J", "U+001B"), ("AB\x7f", "U+007F"), ("AB\x9b2J", "U+009B"),
    ("AB\x85", "U+0085"), ("AB\u2028", "U+2028"), ("AB\u202ecba", "U+202E"),
    ("AB\u2066x\u2069", "U+2066"), ("AB\u200f", "U+200F"), ("AB\rx", "U+000D"),
]
ONE_LINE_ONLY = [("AB\tx", "U+0009"), ("AB\nx", "U+000A")]

Call = Callable[[pledger.Registry, str, str, str], Any]

#: (label, parameter named in the message, multi-line, the call with t in its place)
CALLS: list[tuple[str, str, bool, Call]] = [
    ("set_actor", "name", False, lambda r, n, c, t: r.set_actor(t, Role.REGISTRAR)),
    ("change pledgor", "pledgor_name", False,
     lambda r, n, c, t: r.change(n, pledgor_name=t, modcode=c)),
    ("change pledgee", "pledgee_name", False,
     lambda r, n, c, t: r.change(n, pledgee_name=t, modcode=c)),
    ("change note", "note", True,
     lambda r, n, c, t: r.change(n, pledgor_name="甲公司", note=t, modcode=c)),
    ("cancel note", "note", True, lambda r, n, c, t: r.cancel(n, c, t)),
    ("revoke ground", "ground", False, lambda r, n, c, t: r.revoke(n, t)),
    ("object objector", "objector", False, lambda r, n, c, t: r.object(n, t)),
    ("object note", "note", True, lambda r, n, c, t: r.object(n, "乙", t)),
    ("dismiss note", "note", True, lambda r, n, c, t: r.dismiss_objection(n, t)),
    ("pledge number", "number", False, lambda r, n, c, t: r.pledge(t)),
    ("search party_name", "party_name", False,
     lambda r, n, c, t: list(r.search(party_name=t))),
]


def dump(path: str) -> list[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as h:
        return list(h.iterdump())


@pytest.mark.parametrize("label,param,lines,call", CALLS, ids=[c[0] for c in CALLS])
def test_text_parameters_refuse_controls(flow: Flow, db_path: str, label: str, param: str,
                                         lines: bool, call: Call) -> None:
    reg = flow.reg
    r = flow.registered(Kind.RECEIVABLE)
    flow.act("registrar-1", Role.REGISTRAR)
    before = dump(db_path)
    for text, cp in BAD + ([] if lines else ONE_LINE_ONLY):
        with pytest.raises(pledger.InvalidArgument) as e:
            call(reg, r.number, r.modcode, text)
        assert f"{param} holds {cp} at character 3" in str(e.value), (label, str(e.value))
    assert dump(db_path) == before


def test_notes_keep_tab_and_line_breaks(flow: Flow) -> None:
    r = flow.registered(Kind.RECEIVABLE)
    flow.act("registrar-1", Role.REGISTRAR)
    flow.reg.object(r.number, "乙", "第一行\n\t第二行\r\n第三行")
    flow.reg.dismiss_objection(r.number, "驳回\r\n理由")


@pytest.mark.parametrize("path", ["pledgor/name", "pledgee/address", "contract/number",
                                  "pledgor/id/@type"])
def test_application_fields_refuse_controls(path: str) -> None:
    with sample(Kind.RECEIVABLE) as app:
        for text, cp in BAD + ONE_LINE_ONLY:
            with pytest.raises(pledger.InvalidArgument) as e:
                app.set(path, text)
            assert f"{path}: value holds {cp} at character 3" in str(e.value)


def test_application_xml_refuses_controls() -> None:
    xml = (pledger.Application.to_xml(sample(Kind.RECEIVABLE)))
    bad = xml.replace("<name>", "<name>AB&#x202E;", 1)
    with pytest.raises(pledger.InvalidDocument) as e:
        pledger.Application.from_xml(bad)
    assert "pledgor/name: U+202E at character 3" in str(e.value)
