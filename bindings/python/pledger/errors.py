"""The exceptions: one class per libpledger result code.

Every failing call raises a subclass of :class:`Error` carrying the
code (``e.code``, a negative ``PLEDGER_E*`` value), its name
(``e.name``, e.g. ``"PLEDGER_ENOTFOUND"``) and the library's message
(``e.message``, also ``str(e)``), which names what was wrong: the field
path, the line, the number -- in the caller's words: without the C
function that refused (``pledger_search: ``) and with the fields of its
C structures named as the Python arguments that fill them (``right``,
not ``query->right_id``), as a remote registry's service words them.
``e.library_message`` is the message as the C library gave it.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from ._ffi import ffi, lib


class Error(Exception):
    """A libpledger call failed.  Base class of every pledger exception."""

    #: the PLEDGER_E* name this class stands for (None: the base class)
    code_name: str | None = None

    def __init__(self, code: int, message: str, library_message: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        #: the message as the C library worded it (C names and all)
        self.library_message = message if library_message is None else library_message

    @property
    def name(self) -> str:
        """The code's C name, e.g. ``"PLEDGER_EPERM"``."""
        for n, v in _CODES.items():
            if v == self.code:
                return n
        return f"PLEDGER_E{-self.code}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code}, {self.message!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # pickle and copy make the exception again from its own arguments
        # and attributes (BaseException's way passes the message alone,
        # which __init__ does not take: a multiprocessing pool whose worker
        # raised one hung for ever on the TypeError)
        return (type(self), (self.code, self.message, self.library_message), self.__dict__)


class InvalidArgument(Error, ValueError):
    """PLEDGER_EINVAL: an argument or a field is invalid."""
    code_name = "PLEDGER_EINVAL"


class WrongType(InvalidArgument, TypeError):
    """PLEDGER_EINVAL for an argument of the wrong Python type (a str where
    an int is expected): both an :class:`InvalidArgument` and a TypeError."""


class NotFound(Error, LookupError):
    """PLEDGER_ENOTFOUND: the file, record or number does not exist."""
    code_name = "PLEDGER_ENOTFOUND"


class WrongState(Error):
    """PLEDGER_ESTATE: not allowed in the record's current state."""
    code_name = "PLEDGER_ESTATE"


class Conflict(Error):
    """PLEDGER_ECONFLICT: conflicts with stored data (already pledged, a
    duplicate, a key already used for another document).  (An import
    cancelled by its progress callback is :class:`Cancelled`.)"""
    code_name = "PLEDGER_ECONFLICT"


class PermissionDenied(Error):
    """PLEDGER_EPERM: the actor's role may not do this (or no actor is set)."""
    code_name = "PLEDGER_EPERM"


class ReadOnly(Error):
    """PLEDGER_EREADONLY: the registry was opened read-only."""
    code_name = "PLEDGER_EREADONLY"


class Busy(Error):
    """PLEDGER_EBUSY: try again later, nothing was done: the database
    stayed locked past the busy timeout, or a registry's service
    (:func:`pledger.connect`) refused the request for now -- too many
    requests for the account (HTTP 429), another verification running, the
    registry not opened for the request or the service stopping (HTTP
    503).  ``retry_after``: the seconds the
    service said to wait (its Retry-After), or None."""
    code_name = "PLEDGER_EBUSY"

    def __init__(self, code: int, message: str, library_message: str | None = None) -> None:
        super().__init__(code, message, library_message)
        self.retry_after: int | None = None


class IOFailure(Error):
    """PLEDGER_EIO: an input/output error."""
    code_name = "PLEDGER_EIO"


class Corrupt(Error):
    """PLEDGER_ECORRUPT: the database or the journal is damaged."""
    code_name = "PLEDGER_ECORRUPT"


class NotARegistry(Error):
    """PLEDGER_ENOTDB: the file is not a pledger registry."""
    code_name = "PLEDGER_ENOTDB"


class TooNew(Error):
    """PLEDGER_ENEWER: the registry was written by a newer pledger."""
    code_name = "PLEDGER_ENEWER"


class InvalidDocument(Error, ValueError):
    """PLEDGER_EXML: a document is not well-formed or not valid."""
    code_name = "PLEDGER_EXML"


class OutOfMemory(Error, MemoryError):
    """PLEDGER_ENOMEM: the library ran out of memory."""
    code_name = "PLEDGER_ENOMEM"


class ReviewBlocked(Error):
    """PLEDGER_EREVIEW: the latest review has findings that stop submission.
    From :meth:`pledger.Registry.file_batch`, ``items`` holds every item's
    :class:`pledger.Filed` (its review, and whether it stopped the batch);
    elsewhere it is empty."""
    code_name = "PLEDGER_EREVIEW"

    def __init__(self, code: int, message: str, library_message: str | None = None) -> None:
        super().__init__(code, message, library_message)
        self.items: tuple[Any, ...] = ()


class CodeMismatch(Error):
    """PLEDGER_ECODE: a modification or verification code did not match."""
    code_name = "PLEDGER_ECODE"


class Cancelled(Error):
    """PLEDGER_ECANCELLED: a callback of the caller asked to stop (e.g. an
    import's progress callback); nothing was changed."""
    code_name = "PLEDGER_ECANCELLED"


class NotSupported(Error):
    """PLEDGER_ENOTSUP: this build of the library lacks the feature (XML
    signatures need libxmlsec1 when the library is built)."""
    code_name = "PLEDGER_ENOTSUP"


#: every PLEDGER_E* code the loaded headers know, by name
_CODES: dict[str, int] = {
    n: v for n, v in ffi.typeof("pledger_error").relements.items() if v < 0}

#: code -> exception class; a code without a class here raises Error
_CLASSES: dict[int, type[Error]] = {}
for _cls in (InvalidArgument, NotFound, WrongState, Conflict, PermissionDenied, ReadOnly, Busy,
             IOFailure, Corrupt, NotARegistry, TooNew, InvalidDocument, OutOfMemory,
             ReviewBlocked, CodeMismatch, Cancelled, NotSupported):
    if _cls.code_name in _CODES:
        _CLASSES[_CODES[_cls.code_name]] = _cls


def error_class(code: int) -> type[Error]:
    """The exception class raised for a result code."""
    return _CLASSES.get(code, Error)


#: the characters a terminal or a log viewer obeys or hides rather than
#: shows: the control characters (C0, DEL, C1), and the format characters
#: (Unicode's Cf: the bidirectional controls U+202A-U+202E, U+2066-U+2069,
#: the zero-width U+200B-U+200F, U+FEFF, U+00AD, the tags) and the line
#: and paragraph separators U+2028, U+2029 (Zl, Zp); a lone surrogate (a
#: byte not UTF-8, as Python decodes it) too
_UNSEEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def unseen(ch: str) -> bool:
    """@ch is one :func:`shown` writes out."""
    import unicodedata
    return unicodedata.category(ch) in _UNSEEN_CATEGORIES


def _show(ch: str) -> str:
    cp = ord(ch)
    if cp < 0x20 or 0x7f <= cp <= 0x9f:
        return f"\\x{cp:02x}"
    return f"\\u{cp:04X}" if cp <= 0xffff else f"\\U{cp:08X}"


def shown(text: str) -> str:
    """``text`` (a message, which may quote what someone else sent) with
    each character a terminal or a log viewer would obey or hide written
    out: a control character as ``\\x1b``, as the library's messages write
    one, a format character or separator as ``\\u202E`` (``\\U000E0001``
    past U+FFFF), as pledgerd's messages write them."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(_show(ch) if unseen(ch) else ch for ch in text)


_C_CALL = re.compile(r"\bpledger_[a-z0-9_]+(?:: |：\s*)")   # a catalogue's colon too
_C_FIELD = re.compile(r"\b(?:[a-z]+->|filter\.)([a-z]+(?:_[a-z]+)*)\b")
#: the C fields whose Python argument has another name, in every call
_FIELDS = {"right_id": "right"}


def caller_words(msg: str, fields: Mapping[str, str] | None = None) -> str:
    """A library message in the caller's words: without the C functions it
    names and with a C structure's field (``query->right_id``,
    ``filter.from``) named as the argument that fills it (``right``;
    @fields maps the names a call's arguments have besides)."""
    names = {**_FIELDS, **(fields or {})}
    msg = _C_CALL.sub("", msg)
    msg = _C_FIELD.sub(lambda m: names.get(m.group(1), m.group(1)), msg)
    if "at_us" in names:    # a C parameter, not a field: pledger_rank's at_us
        msg = re.sub(r"^at_us\b", names["at_us"], msg)
    return re.sub(r"\bright_id\b", "right", msg)


def make_error(code: int, reg: Any = None, fields: Mapping[str, str] | None = None) -> Error:
    """The exception for ``code``, with the message of ``reg`` (a
    ``pledger_registry *``) or, without one, of the calling thread, in the
    caller's words (:func:`caller_words`, @fields)."""
    p = lib.pledger_errmsg(reg if reg is not None else ffi.NULL)
    msg = ffi.string(p).decode("utf-8", "replace") if p != ffi.NULL else ""
    if not msg and reg is not None:
        p = lib.pledger_errmsg(ffi.NULL)
        msg = ffi.string(p).decode("utf-8", "replace") if p != ffi.NULL else ""
    if not msg:
        msg = ffi.string(lib.pledger_strerror(code)).decode("utf-8", "replace")
    return error_class(code)(code, caller_words(msg, fields), msg)


def check(rc: int, reg: Any = None) -> None:
    """Raise the exception of ``rc`` unless it is 0."""
    if rc != 0:
        raise make_error(rc, reg)
