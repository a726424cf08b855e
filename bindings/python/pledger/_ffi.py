"""Loading libpledger through cffi in ABI mode.

The declarations come from ``pledger.cdef``, generated from the public C
headers when the library is built (``gen_cdef.py``); nothing here repeats
them.  Beside it the build writes ``_pledger_cffi.py``, cffi's
"out-of-line ABI" module of the same declarations, stamped with the
SHA-256 of ``pledger.cdef``: it imports in milliseconds, where parsing
the text takes a quarter of a second.  It is used when its stamp
matches; else the text is parsed.  Where things are looked for:

- the declarations: ``pledger.cdef`` beside this file (where Meson and
  pip install it), ``_pledger_cffi.py`` in the same directory;
- the library: ``libpledger.so.0``, by its SONAME, where the dynamic
  loader finds it (after ``ldconfig`` for a new library in /usr/local/lib).

Nothing needs an environment variable once installed.  For running from a
build tree (the tests, ``meson devenv``), ``$PLEDGER_CDEF`` names another
``pledger.cdef`` and ``$PLEDGER_LIBRARY`` another library file.

``lib`` stays referenced by every finalizer (see :func:`gc`), so the
shared object is never unloaded while a handle still waits to be freed.
"""
from __future__ import annotations

import hashlib
import importlib.util
import operator
import os
from typing import Any, Callable

import cffi

from ._i18n import _

SONAME = "libpledger.so.0"


def _cdef_path() -> str:
    env = os.environ.get("PLEDGER_CDEF")
    if env:
        return env
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "pledger.cdef")


def _load() -> tuple[cffi.FFI, Any]:
    path = _cdef_path()
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        if os.environ.get("PLEDGER_CDEF"):
            raise ImportError(f"pledger: cannot read the C declarations {path!r} named by "
                              f"PLEDGER_CDEF ({e.strerror})") from None
        raise ImportError(
            f"pledger: cannot read the C declarations {path!r} ({e.strerror}); they are "
            "generated when libpledger is built and installed into the package by "
            "`meson install` or `pip install bindings/python`") from None
    ffi = _compiled(os.path.join(os.path.dirname(path), "_pledger_cffi.py"), text)
    if ffi is None:
        ffi = cffi.FFI()
        ffi.cdef(text)
    name = os.environ.get("PLEDGER_LIBRARY") or SONAME
    try:
        lib = ffi.dlopen(name)
    except OSError as e:
        hint = ("" if name != SONAME else
                "; after installing libpledger into a new directory run ldconfig as "
                "root (or set LD_LIBRARY_PATH to that directory)")
        raise ImportError(f"pledger: cannot load {name!r}: {e}{hint}") from None
    return ffi, lib


def _compiled(path: str, text: str) -> Any:
    """The out-of-line module's ffi when it was made from ``text``, else None."""
    if not os.path.exists(path):
        return None
    spec = importlib.util.spec_from_file_location("pledger._pledger_cffi", path)
    if spec is None or spec.loader is None:
        return None
    mod = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(mod)
    except Exception:
        return None
    if getattr(mod, "CDEF_SHA256", None) != hashlib.sha256(text.encode("utf-8")).hexdigest():
        return None
    return mod.ffi


ffi, lib = _load()

#: whether the declarations came from the out-of-line module (the fast path)
COMPILED: bool = not hasattr(ffi, "cdef")


def gc(ptr: Any, free: Callable[[Any], None]) -> Any:
    """Attach ``free`` (a libpledger ``*_free`` call) to ``ptr`` as its
    finalizer; the finalizer holds the library object."""
    def finalizer(p: Any, _lib: Any = lib, _free: Callable[[Any], None] = free) -> None:
        _free(p)
    return ffi.gc(ptr, finalizer)


def string(p: Any) -> str | None:
    """A borrowed ``const char *`` as str (None for NULL)."""
    if p == ffi.NULL:
        return None
    return ffi.string(p).decode("utf-8")


def take_string(pp: Any) -> str | None:
    """The string a ``char **`` out-parameter received, freed with
    pledger_free() (None for NULL)."""
    p = pp[0]
    if p == ffi.NULL:
        return None
    try:
        return ffi.string(p).decode("utf-8")
    finally:
        lib.pledger_free(p)
        pp[0] = ffi.NULL


def _invalid(message: str, wrong_type: bool = False) -> Exception:
    """pledger.InvalidArgument (pledger.WrongType for a value of the wrong
    Python type) with ``message``: every argument the bindings refuse
    raises a :class:`pledger.Error`."""
    from .errors import InvalidArgument, WrongType
    cls = WrongType if wrong_type else InvalidArgument
    return cls(int(lib.PLEDGER_EINVAL), message)


def data(value: Any, what: str, text: bool = False, binary: bool = True) -> bytes:
    """@value as bytes: bytes, bytearray or memoryview (unless not
    @binary), and str, as UTF-8, when @text.  Anything else is refused
    naming @what -- bytes(184320) is 184,320 zero bytes, not an error --
    and so is a str that is not Unicode (a lone surrogate)."""
    if binary and isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if text and isinstance(value, str):
        try:
            return value.encode("utf-8")
        except UnicodeEncodeError:
            raise _invalid(_("{what} is not valid Unicode (a lone surrogate)").format(
                what=what)) from None
    kinds = _(" or ").join(k for k, on in (("str", text), ("bytes", binary)) if on)
    raise _invalid(_("{what} must be {kinds}, not {type}").format(
        what=what, kinds=kinds, type=type(value).__name__), True)


def _show_int(v: int) -> str:
    """``v`` for a message; a huge one by its size, not its digits."""
    if v.bit_length() <= 256:
        return str(v)
    return (_("-an integer of {bits} bits") if v < 0 else
            _("an integer of {bits} bits")).format(bits=v.bit_length())


def cint(value: Any, what: str, ctype: str = "int", minimum: int | None = None,
         maximum: int | None = None) -> int:
    """An int argument checked against the range of the C type ``ctype``
    (e.g. ``"int"``, ``"int64_t"``) and the bounds given, before it
    reaches cffi (which would raise a bare OverflowError).  Any integer
    (``operator.index``) but bool is accepted."""
    if isinstance(value, bool):
        raise _invalid(_("{what} must be an integer, not {type}").format(what=what, type="bool"),
                       True)
    try:
        v = operator.index(value)
    except TypeError:
        raise _invalid(_("{what} must be an integer, not {type}").format(
            what=what, type=type(value).__name__), True) from None
    t = ffi.typeof(ctype)
    bits = 8 * ffi.sizeof(t)
    signed = ffi.cast(t, -1) < 0
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    if minimum is not None:
        lo = max(lo, minimum)
    if maximum is not None:
        hi = min(hi, maximum)
    if not lo <= v <= hi:
        raise _invalid(_("{what} is {value}: it must be {lo} to {hi}").format(
            what=what, value=_show_int(v), lo=lo, hi=hi))
    return v


def cstr(s: str | None, what: str = "argument") -> Any:
    """A str as a NUL-terminated UTF-8 ``char[]`` (NULL for None)."""
    if s is None:
        return ffi.NULL
    if not isinstance(s, str):
        raise _invalid(_("{what} must be {kinds}, not {type}").format(
            what=what, kinds="str", type=type(s).__name__), True)
    try:
        b = s.encode("utf-8")
    except UnicodeEncodeError:
        raise _invalid(_("{what} is not valid Unicode (a lone surrogate)").format(
            what=what)) from None
    if b"\0" in b:
        raise _invalid(_("{what} contains a NUL character").format(what=what))
    return ffi.new("char[]", b)


def cpath(path: str | os.PathLike[str]) -> Any:
    """A file name as a NUL-terminated ``char[]`` (the file system's bytes)."""
    try:
        b = os.fsencode(path)
    except TypeError:
        raise _invalid(_("a file name must be str or os.PathLike, not {type}").format(
            type=type(path).__name__), True) from None
    except UnicodeEncodeError:
        raise _invalid(_("a file name is not valid Unicode (a lone surrogate that is not "
                         "an undecodable byte of the file system's)")) from None
    if b"\0" in b:
        raise _invalid(_("{what} contains a NUL character").format(what=_("a file name")))
    return ffi.new("char[]", b)
