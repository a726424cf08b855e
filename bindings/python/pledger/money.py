"""Money as people write it (``money.h``): an amount typed at a window
("3,000,000.00", "300万元", "3.5亿", full-width digits) to ``int`` minor
units of its currency (fen for CNY), and back to "3,000,000.00"."""
from __future__ import annotations

from . import _ffi
from ._ffi import ffi, lib
from .errors import check


def parse_money(text: str, currency: str = "CNY") -> int:
    """The amount ``text`` in minor units of ``currency`` (an ISO 4217
    code): ``parse_money("300万元") == 300_000_000``.

    Accepted: "3000000", "3,000,000.00" (commas only between groups of
    three digits), "300万", "300万元", "3.5亿", "¥3,000", full-width digits;
    at most the currency's number of decimals (4 more with 万, 8 with 亿).

    Raises :class:`pledger.InvalidArgument` for anything else ("3,00",
    too many decimals, more than 2**63 - 1 minor units, an unknown
    currency), its message ending with the accepted forms."""
    out = ffi.new("int64_t *")
    check(lib.pledger_money_parse(out, _ffi.cstr(text, "text"),
                                  _ffi.cstr(currency, "currency")))
    return int(out[0])


def format_money(minor: int, currency: str = "CNY") -> str:
    """``minor`` units of ``currency`` as "3,000,000.00" (the currency's
    decimals, commas between groups of three digits, "-" before a
    negative amount, no currency code); :func:`parse_money` reads it
    back.  Raises :class:`pledger.InvalidArgument` for an unknown
    currency or when ``minor`` is no int64 (:class:`pledger.WrongType`
    when it is no integer)."""
    size = int(lib.PLEDGER_MONEY_TEXT_MAX)
    out = ffi.new("char[]", size)
    check(lib.pledger_money_format(out, size, _ffi.cint(minor, "minor", "int64_t"),
                                   _ffi.cstr(currency, "currency")))
    return ffi.string(out).decode("utf-8")


__all__ = ["parse_money", "format_money"]
