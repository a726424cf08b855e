"""pledger.parse_money / pledger.format_money: money as people write it,
over the library's one parser and formatter (money.h)."""
from __future__ import annotations

import pytest

import pledger


@pytest.mark.parametrize("text, currency, minor", [
    ("3000000", "CNY", 300_000_000),
    ("3,000,000.00", "CNY", 300_000_000),
    ("300万", "CNY", 300_000_000),
    ("300万元", "CNY", 300_000_000),
    ("3.5亿", "CNY", 35_000_000_000),
    ("３，０００，０００．００", "CNY", 300_000_000),
    ("￥3,000", "CNY", 300_000),
    ("  1.5 万元 ", "CNY", 1_500_000),
    ("1,234,567", "JPY", 1_234_567),
    ("1.234", "KWD", 1_234),
    ("92233720368547758.07", "CNY", 2**63 - 1),
])
def test_parse_money(text: str, currency: str, minor: int) -> None:
    assert pledger.parse_money(text, currency) == minor


def test_parse_money_defaults_to_cny() -> None:
    assert pledger.parse_money("12.34") == 1234


@pytest.mark.parametrize("text, currency, needle", [
    ("3,00", "CNY", "commas must separate groups of three digits"),
    ("1000,000", "CNY", "commas must separate groups of three digits"),
    ("1.001", "CNY", "has 3 decimals; CNY has 2"),
    ("1.5", "JPY", "has 1 decimals; JPY has 0"),
    ("92233720368547758.08", "CNY", "is too large"),
    ("-5", "CNY", "is negative"),
    ("300万元", "USD", "is the yuan, but the currency is USD"),
    ("3 000", "CNY", "is not a number"),
    ("", "CNY", "amount is empty"),
])
def test_parse_money_refuses(text: str, currency: str, needle: str) -> None:
    with pytest.raises(pledger.InvalidArgument) as e:
        pledger.parse_money(text, currency)
    msg = e.value.message
    assert e.value.library_message.startswith("pledger_money_parse: ")
    assert not msg.startswith("pledger_") and needle in msg
    # the message shows what would have been accepted
    assert "accepted: 3000000, " in msg and "3.5亿" in msg


def test_parse_money_unknown_currency_and_types() -> None:
    with pytest.raises(pledger.InvalidArgument, match="'XYZ' is not a known ISO 4217 code"):
        pledger.parse_money("1", "XYZ")
    with pytest.raises(TypeError):
        pledger.parse_money(5, "CNY")  # type: ignore[arg-type]


@pytest.mark.parametrize("minor, currency, text", [
    (300_000_000, "CNY", "3,000,000.00"),
    (0, "CNY", "0.00"),
    (5, "CNY", "0.05"),
    (-123_456, "CNY", "-1,234.56"),
    (1_234_567, "JPY", "1,234,567"),
    (1_234, "KWD", "1.234"),
    (2**63 - 1, "CNY", "92,233,720,368,547,758.07"),
    (-2**63, "JPY", "-9,223,372,036,854,775,808"),
])
def test_format_money(minor: int, currency: str, text: str) -> None:
    assert pledger.format_money(minor, currency) == text
    if minor >= 0:
        assert pledger.parse_money(text, currency) == minor


def test_format_money_refuses() -> None:
    with pytest.raises(pledger.InvalidArgument, match="not a known ISO 4217 code"):
        pledger.format_money(1, "XYZ")
    with pytest.raises(pledger.InvalidArgument, match="minor is 9223372036854775808"):
        pledger.format_money(2**63, "CNY")
    with pytest.raises(pledger.WrongType):
        pledger.format_money("12", "CNY")
