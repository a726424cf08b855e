"""Identifiers of parties and rights (``ident.h``): check one and get its
normal form, e.g. as a form field is typed."""
from __future__ import annotations

from . import _ffi
from ._ffi import ffi, lib
from .enums import IdType
from .errors import check

#: enough for every identifier type (ident.h: 241 bytes always suffice)
_OUT_SIZE = 256


def normalize_id(id_type: IdType | int | str, text: str) -> str:
    """The normal form of an identifier of ``id_type`` (an :class:`IdType`
    or its API name): half-width, no white space, upper case, patents
    without "ZL"/"CN" and with their dot.

    Raises :class:`pledger.InvalidArgument` naming the identifier and
    what is wrong (e.g. the expected check character)."""
    out = ffi.new("char[]", _OUT_SIZE)
    check(lib.pledger_id_normalize(out, _OUT_SIZE, IdType.c_value(id_type, "id_type"),
                                   _ffi.cstr(text, "text")))
    return ffi.string(out).decode("utf-8")


def is_valid_id(id_type: IdType | int | str, text: str) -> bool:
    """Whether ``text`` is a valid identifier of ``id_type``."""
    from .errors import InvalidArgument, WrongType
    try:
        normalize_id(id_type, text)
        return True
    except WrongType:
        raise
    except InvalidArgument:
        return False


__all__ = ["normalize_id", "is_valid_id"]
