"""Search results: an iterator over the library's cursor (``pledger_cursor``),
and the one conversion of a pledge snapshot (``pledger_pledge``) into a
:class:`pledger.Pledge`."""
from __future__ import annotations

from typing import Any, Iterator

from . import _ffi
from ._ffi import ffi, lib
from .enums import ALL as _ENUMS
from .enums import Kind, PledgeState
from .errors import make_error
from .types import Pledge, SearchHit, from_iso, to_date

AS_OF_CURRENT: int = int(lib.PLEDGER_AS_OF_CURRENT)


def pledge_of(p: Any) -> Pledge:
    """The :class:`pledger.Pledge` of a snapshot (``const pledger_pledge *``,
    owned or borrowed): its fields by their paths in the pledge document
    (``pledger_pledge_field_count``, ``_path``, ``_value``),
    the one way every read of a pledge reaches Python."""
    s = _ffi.string
    fields: dict[str, str] = {}
    n = lib.pledger_pledge_field_count(p)
    if n == 0:  # a registration always has fields: the table could not be made
        raise make_error(int(lib.pledger_errcode(ffi.NULL)) or lib.PLEDGER_ENOMEM)
    for i in range(n):
        path = s(lib.pledger_pledge_field_path(p, i)) or ""
        value = lib.pledger_pledge_field_value(p, i)
        if value == ffi.NULL:
            raise make_error(int(lib.pledger_errcode(ffi.NULL)))
        fields[path] = s(value) or ""
    return Pledge.from_fields(fields)


class Cursor(Iterator[SearchHit]):
    """The hits of a search, in registration order, as an iterator.

    Hits are read page by page (``page_size`` at a time, one read
    transaction each); with ``all_pages`` the next page is fetched when
    one runs out, else iteration stops at the end of the first page and
    :attr:`continuation` is the token that resumes after it (pass it as
    ``after=`` to :meth:`pledger.Registry.search`).  Close it early with
    :meth:`close` or a ``with`` block; it is freed when collected anyway.
    """

    __slots__ = ("_reg", "_c", "_q", "_keep", "_all", "_count", "continuation")

    def __init__(self, reg: Any, fields: dict[str, Any], all_pages: bool) -> None:
        self._reg = reg          # keeps the registry open while hits are read
        self._c: Any = None
        self._all = all_pages
        self._count = 0
        self.continuation: str | None = None
        q = ffi.new("pledger_query *")
        q.version = lib.PLEDGER_QUERY_VERSION
        keep = []
        for name, value in fields.items():
            if isinstance(value, str):
                c = _ffi.cstr(value, name)
                keep.append(c)
                setattr(q, name, c)
            elif value is not None:
                setattr(q, name, value)
        self._q = q
        self._keep = keep
        self._fetch(fields.get("after"))

    def _fetch(self, after: str | None) -> None:
        after_c = _ffi.cstr(after, "after")
        self._q.after = after_c
        pp = ffi.new("pledger_cursor **")
        with self._reg._lock:   # the registry's turn (registry.py)
            rc = lib.pledger_search(pp, self._reg._h, self._q)
            self._q.after = ffi.NULL
            if rc != 0:
                raise make_error(rc, self._reg._p)
        self._release()
        self._c = _ffi.gc(pp[0], lib.pledger_cursor_free)
        self._count = int(lib.pledger_cursor_count(self._c))
        self.continuation = _ffi.string(lib.pledger_cursor_continuation(self._c))

    @property
    def page_count(self) -> int:
        """How many hits the current page holds."""
        return self._count

    def _release(self) -> None:
        if self._c is not None:
            ffi.release(self._c)
            self._c = None

    def close(self) -> None:
        """Free the cursor now; iteration ends."""
        self._release()
        self._all = False

    def __enter__(self) -> "Cursor":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> "Cursor":
        return self

    def __next__(self) -> SearchHit:
        while True:
            if self._c is None:
                raise StopIteration
            rc = lib.pledger_cursor_next(self._c)
            if rc == 1:
                return self._hit()
            if rc < 0:
                raise make_error(rc)
            if self._all and self.continuation:
                self._fetch(self.continuation)
                continue
            self._release()
            raise StopIteration

    def _hit(self) -> SearchHit:
        c = self._c
        p = pledge_of(lib.pledger_cursor_pledge(c))
        return SearchHit(
            number=p.number, kind=p.kind, state=p.state, version=p.version,
            registered_at=p.registered_at, pledgor_name=p.pledgor_name,
            pledgor_id=p.pledgor_id, pledgee_name=p.pledgee_name, pledgee_id=p.pledgee_id,
            amount=p.amount, currency=p.currency, period_start=p.period_start,
            period_end=p.period_end,
            name_match=_ENUMS["NameMatch"](lib.pledger_cursor_name_match(c)),
            pledge=p)


__all__ = ["Cursor", "AS_OF_CURRENT", "pledge_of"]
