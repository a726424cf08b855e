"""pledger.normalize_id: identifiers as people type them, and the GB/T 2260
address code of resident identity numbers."""
from __future__ import annotations

import pytest

import pledger


@pytest.mark.parametrize("id_type, text, norm", [
    ("trademark", "第12345678号", "12345678"),
    ("trademark", "第 １２３４ ５６７８ 号", "12345678"),
    ("nice_class", "第09类", "9"),
    ("patent", "ZL 2013-1-0699744。2", "201310699744.2"),
    ("uscc", "9135-0100-M000-100Y-43", "91350100M000100Y43"),
    ("resident", "110105-19491231-002x", "11010519491231002X"),
    ("passport", "E1234–5678", "E12345678"),
    ("permit", "第91350100M000100Y43001P号", "91350100M000100Y43001P"),
    ("foreign_reg", "HRB—123", "HRB-123"),
    ("certificate", "国海证 2019—B33020001 号", "国海证2019-B33020001号"),
])
def test_as_typed(id_type: str, text: str, norm: str) -> None:
    assert pledger.normalize_id(id_type, text) == norm


@pytest.mark.parametrize("number, needle", [
    ("990101198001010014", "99 is no province"),
    ("110199198001010016", "110199 is no GB/T 2260 division"),
    ("110103201101010015", "(北京市崇文区) was retired after 2009"),
])
def test_resident_address_code_refused(number: str, needle: str) -> None:
    with pytest.raises(pledger.InvalidArgument) as e:
        pledger.normalize_id("resident", number)
    assert needle in e.value.message
    assert number[6:] not in e.value.message  # the number is not repeated


@pytest.mark.parametrize("number", [
    "110103198001010013",  # retired in 2010, the holder born before
    "110221196001010012",  # retired before 2002
    "830000198001010018",  # residence permit of a Taiwan resident
])
def test_resident_address_code_accepted(number: str) -> None:
    assert pledger.normalize_id("resident", number) == number
