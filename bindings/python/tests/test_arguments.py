"""Every public call that takes an int (or an instant, which may be one)
refuses a value beyond its C type with pledger.InvalidArgument naming the
parameter, and a value of the wrong type with pledger.WrongType: never a
bare OverflowError or TypeError from cffi.  The calls are found by
inspecting the package, so a new one is covered by itself."""
from __future__ import annotations

import datetime as dt
import inspect
from typing import Any, Callable, Iterator

import pytest

import pledger

#: a valid value for each parameter name a public call may require
SAMPLE: dict[str, Any] = {
    "path": ":memory:", "number": "R-FZ01-TM-2024-000001", "uuid": "u", "name": "n",
    "role": pledger.Role.BANK, "template": "{series}-{year}-{seq:6}", "note": "n",
    "ground": "G", "objector": "o", "new_end": "2030-01-01", "date": "2024-04-01",
    "n": 1, "text": "t", "start": "2024-01-01", "end": "2024-12-31",
    "number_a": "R-1", "number_b": "R-2", "kind": pledger.Kind.TRADEMARK,
    "id_type": pledger.IdType.USCC, "code": 0, "value": "v", "app": None,
    "clock": None, "source": b"", "file_name": "f", "data": b"", "xml": "",
    "event": 1, "size": 1, "old_size": 1, "leaf": bytes(32), "root": bytes(32),
    "old_root": bytes(32), "proof": pledger.Proof(()), "signers": pledger.Keyring(),
    "query": "q", "trusted": pledger.Keyring(), "url": "https://127.0.0.1:9",
    "site": pledger.Site.OFFICE, "minor": 1, "apps": [],
}

#: the words of an annotation that mean "an int is accepted here"
INT_WORDS = ("int", "Instant", "Kind", "Role", "PledgeState", "IdType")
#: calls that never reach the library: any value has an answer
PURE = {"pledger.error_class"}


def _calls() -> Iterator[tuple[str, Callable[..., Any], inspect.Signature]]:
    yield "pledger.open", pledger.open, inspect.signature(pledger.open)
    for cls in (pledger.Registry, pledger.Application):
        for name, fn in inspect.getmembers(cls, lambda m: inspect.isfunction(m) or
                                           inspect.ismethod(m)):   # and class methods
            if name.startswith("_") and name != "__init__":
                continue
            yield f"{cls.__name__}.{name}", fn, inspect.signature(fn)
    for name in pledger.__all__:
        obj = getattr(pledger, name)
        if inspect.isfunction(obj) and obj is not pledger.open:
            yield f"pledger.{name}", obj, inspect.signature(obj)


def _int_params() -> list[tuple[str, str]]:
    out = []
    for label, _fn, sig in _calls():
        for p in sig.parameters.values():
            ann = str(p.annotation)
            if p.name != "self" and any(w in ann for w in INT_WORDS) and "bool" != ann:
                out.append((label, p.name))
    return out


INT_PARAMS = _int_params()


def test_the_sweep_finds_the_int_parameters() -> None:
    found = set(INT_PARAMS)
    for expected in [("Registry.certificate", "version"), ("Registry.change", "amount"),
                     ("Registry.search", "page_size"), ("Registry.due", "within_days"),
                     ("Registry.due", "at"), ("Registry.verify", "at"),
                     ("Registry.add_working_days", "n"), ("Registry.set_actor", "role"),
                     ("Application.__init__", "kind"), ("pledger.normalize_id", "id_type"),
                     ("pledger.strerror", "code"), ("Application.set", "value")]:
        assert expected in found, expected


@pytest.fixture(scope="module")
def reg() -> Iterator[pledger.Registry]:
    with pledger.open(":memory:") as r:
        yield r


def _call(label: str, param: str, value: Any, reg: pledger.Registry,
          app: pledger.Application) -> Any:
    fn = dict((lb, f) for lb, f, _ in _calls())[label]
    sig = inspect.signature(fn)
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for p in sig.parameters.values():
        if p.name == "self":
            args.append(object.__new__(pledger.Registry) if label == "Registry.__init__" else
                        reg if label.startswith("Registry.") else
                        app if label != "Application.__init__" else object.__new__(
                            pledger.Application))
            continue
        if p.name == param:
            v = value
        elif p.default is not inspect.Parameter.empty:
            continue
        else:
            assert p.name in SAMPLE, f"{label}: give SAMPLE a value for {p.name!r}"
            v = SAMPLE[p.name]
        if p.kind is inspect.Parameter.POSITIONAL_ONLY:
            args.append(v)
        else:
            kwargs[p.name] = v
    return fn(*args, **kwargs)


@pytest.mark.parametrize("label,param", INT_PARAMS, ids=[f"{a}:{b}" for a, b in INT_PARAMS])
@pytest.mark.parametrize("value", [10**30, -(10**30), 2**63, -(2**63) - 1, 10**5000],
                         ids=["1e30", "-1e30", "2^63", "-2^63-1", "5000-digits"])
def test_out_of_range_is_invalid_argument(label: str, param: str, value: int,
                                          reg: pledger.Registry) -> None:
    with pledger.Application(pledger.Kind.TRADEMARK) as app:
        if label == "pledger.is_valid_id":
            assert pledger.is_valid_id(value, "x") is False
            return
        if label in PURE:
            assert _call(label, param, value, reg, app) is pledger.Error
            return
        with pytest.raises(pledger.InvalidArgument) as e:
            _call(label, param, value, reg, app)
    assert param in e.value.message or (param in ("at", "as_of") and "instant" in
                                        e.value.message), e.value.message
    assert e.value.code == pledger.ErrorCode.EINVAL
    assert len(e.value.message) < 200  # a huge number is not printed in full


@pytest.mark.parametrize("label,param", INT_PARAMS, ids=[f"{a}:{b}" for a, b in INT_PARAMS])
@pytest.mark.parametrize("value", [1.5, b"1", object(), True],
                         ids=["float", "bytes", "object", "bool"])
def test_wrong_type_is_wrong_type(label: str, param: str, value: Any,
                                  reg: pledger.Registry) -> None:
    with pledger.Application(pledger.Kind.TRADEMARK) as app:
        if label == "pledger.is_valid_id":
            with pytest.raises(pledger.WrongType):
                pledger.is_valid_id(value, "x")
            return
        if label in PURE:
            assert _call(label, param, value, reg, app) is pledger.Error
            return
        with pytest.raises(pledger.Error) as e:
            _call(label, param, value, reg, app)
    assert isinstance(e.value, (pledger.WrongType, pledger.InvalidArgument)), repr(e.value)
    if isinstance(e.value, pledger.WrongType):
        assert isinstance(e.value, TypeError)


def test_limits_themselves_pass(reg: pledger.Registry) -> None:
    # the largest value of each C type reaches the library, which answers
    # with its own message (not found, not allowed, ...)
    with pytest.raises(pledger.NotFound):
        reg.certificate("R-NOPE", 2**31 - 1)
    reg.set_actor("registrar-1", pledger.Role.REGISTRAR)
    with pytest.raises(pledger.NotFound):
        reg.change("R-NOPE", amount=2**63 - 1)
    with pytest.raises(pledger.InvalidArgument) as e:
        reg.change("R-NOPE", amount=-1)  # -1 is the C "unchanged": not an amount
    assert "amount" in e.value.message
    with pytest.raises(pledger.NotFound):
        reg.rank("R-NOPE", -62135596800000000)  # the first instant, 0001-01-01
    assert pledger.strerror(-(2**31)) == "unknown error"
    with pytest.raises(pledger.InvalidArgument):
        reg.due(within_days=2**31 - 1)  # the library's own limit: 3650 days
    assert isinstance(reg.due(within_days=3650), list)
    with pytest.raises(pledger.InvalidArgument):
        list(reg.search(page_size=2**31 - 1))


def test_timeout_and_names(tmp_path: Any) -> None:
    for t in (float("inf"), 1e300, 10**30):
        pledger.open(tmp_path / "t.db", timeout=t).close()
    for t in (float("nan"), -1, -(10**30)):
        with pytest.raises(pledger.InvalidArgument):
            pledger.open(tmp_path / "t.db", timeout=t)
    with pytest.raises(pledger.WrongType):
        pledger.open(tmp_path / "t.db", timeout="5")  # type: ignore[arg-type]
    with pytest.raises(pledger.InvalidArgument):
        pledger.Kind.from_name("car")
    with pytest.raises(pledger.InvalidArgument):
        pledger.open(str(tmp_path / "a\0b.db"))
    with pytest.raises(pledger.InvalidArgument):
        pledger.normalize_id("uscc", "\ud800")
    when = dt.datetime(2024, 4, 1, tzinfo=dt.timezone.utc)
    with pledger.open(":memory:") as r:
        with pytest.raises(pledger.NotFound):
            r.pledge("R-NOPE", when)


def test_bytes_arguments_are_bytes(reg: pledger.Registry) -> None:
    """bytes(184320) is 184,320 zero bytes: an int given for a material's
    data or a document was recorded as that.  Every bytes argument takes
    bytes-like values only, a file name no int (an int is a descriptor)."""
    from pledger import Kind
    app = pledger.Application(Kind.TRADEMARK)
    for bad in (184320, 3.5, None, ["x"]):
        with pytest.raises(pledger.WrongType) as e:
            app.add_material("contract", "c.pdf", bad)
        assert "data" in e.value.message
        with pytest.raises(pledger.WrongType) as e:
            pledger.Application.from_xml(bad)
        assert "xml" in e.value.message
    with pytest.raises(pledger.WrongType):
        pledger.Application.from_file(0)
    app.add_material("pledge_contract", "c.pdf", bytearray(b"%PDF"))
    app.add_material("pledge_contract", "d.pdf", memoryview(b"%PDF-1"))
    reg.set_actor("bank-1", pledger.Role.BANK)
    for kw in ({"right": 12345678, "kind": Kind.TRADEMARK}, {"party_id": 5},
               {"party_name": b"x"}, {"after": 1}):
        with pytest.raises(pledger.WrongType) as e:
            reg.search(**kw)
        assert next(k for k in kw if k != "kind") in e.value.message


def _date_params() -> list[tuple[str, str]]:
    return [(label, p.name) for label, _fn, sig in _calls() for p in sig.parameters.values()
            if "DateLike" in str(p.annotation)]


DATE_PARAMS = _date_params()


def test_the_sweep_finds_the_date_parameters() -> None:
    assert {("Registry.search", "registered_from"), ("Registry.search", "registered_to"),
            ("Registry.stats", "start"), ("Registry.extend", "new_end")} <= set(DATE_PARAMS)


@pytest.mark.parametrize("label,param", DATE_PARAMS, ids=[f"{a}:{b}" for a, b in DATE_PARAMS])
@pytest.mark.parametrize("value", [20240101, 1.5, b"2024-01-01",
                                   dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)],
                         ids=["int", "float", "bytes", "datetime"])
def test_a_date_of_the_wrong_type_names_its_parameter(label: str, param: str, value: Any,
                                                      reg: pledger.Registry) -> None:
    """A day given as a number, bytes or an instant is refused naming the
    parameter it was given for (search said "date must be ...")."""
    with pledger.Application(pledger.Kind.TRADEMARK) as app:
        with pytest.raises(pledger.WrongType) as e:
            r = _call(label, param, value, reg, app)
            if isinstance(r, pledger.Cursor):
                list(r)
    assert e.value.message.startswith(param + " "), e.value.message


def _text_params() -> list[tuple[str, str]]:
    return [(label, p.name) for label, _fn, sig in _calls() for p in sig.parameters.values()
            if p.name != "self" and any(w in str(p.annotation) for w in ("str", "bytes"))]


TEXT_PARAMS = _text_params()


def test_the_sweep_finds_the_text_parameters() -> None:
    assert {("pledger.open", "path"), ("Registry.calendar_load", "text"),
            ("Registry.search", "right"), ("Application.from_file", "path"),
            ("pledger.normalize_id", "text"), ("Registry.change", "amount")} <= set(TEXT_PARAMS)


@pytest.mark.parametrize("label,param", TEXT_PARAMS, ids=[f"{a}:{b}" for a, b in TEXT_PARAMS])
@pytest.mark.parametrize("value", [object(), 1.5, "\ud800", "a\0b"],
                         ids=["object", "float", "surrogate", "nul"])
def test_text_of_the_wrong_kind_is_refused(label: str, param: str, value: Any,
                                           reg: pledger.Registry) -> None:
    """Every parameter that takes text (or bytes) refuses a value of another
    type, a str that is no Unicode (a lone surrogate) and a NUL with
    pledger.Error, never AttributeError, UnicodeEncodeError or cffi's
    TypeError (calendar_load said "'int' object has no attribute
    'encode'", pledger.open a bare TypeError)."""
    with pledger.Application(pledger.Kind.TRADEMARK) as app:
        try:
            r = _call(label, param, value, reg, app)
            if isinstance(r, pledger.Cursor):
                list(r)
        except pledger.Error as e:
            if isinstance(value, str) and not isinstance(e, (pledger.InvalidArgument,
                                                             pledger.NotFound)):
                return  # refused for its value further on (no such pledge, ...)
            assert len(e.message) < 300
            return
        except FileNotFoundError:
            assert value == "a\0b" and False, "a NUL reached the file system"
        # accepted: only where such a value is text the call may keep
        assert isinstance(value, str), (label, param, value)


def test_enum_arguments_below_zero(reg: pledger.Registry) -> None:
    """-1 for an enumeration the C side holds unsigned is refused naming the
    parameter (normalize_id raised cffi's bare OverflowError)."""
    with pytest.raises(pledger.InvalidArgument) as e:
        pledger.normalize_id(-1, "x")
    assert "id_type" in e.value.message
    assert pledger.is_valid_id(-1, "x") is False
    with pytest.raises(pledger.InvalidArgument) as e:
        reg.set_actor("a", -1)
    assert "role" in e.value.message


def test_addresses_and_amounts_name_themselves(reg: pledger.Registry) -> None:
    for url in (None, 5, b"https://x"):
        with pytest.raises(pledger.WrongType):
            pledger.RemoteRegistry(url, None, None, 5.0)  # type: ignore[arg-type]
    with pytest.raises(pledger.InvalidArgument):
        pledger.RemoteRegistry("ftp://x", None, None, 5.0)
    reg.set_actor("registrar-1", pledger.Role.REGISTRAR)
    with pytest.raises(pledger.InvalidArgument) as e:
        reg.change("R-NOPE", amount="1\0")
    assert e.value.message.startswith("amount "), e.value.message


def _instant_params() -> list[tuple[str, str]]:
    return [(label, p.name) for label, _fn, sig in _calls() for p in sig.parameters.values()
            if "Instant" in str(p.annotation) and "Callable" not in str(p.annotation)]


INSTANT_PARAMS = _instant_params()


@pytest.mark.parametrize("label,param", INSTANT_PARAMS,
                         ids=[f"{a}:{b}" for a, b in INSTANT_PARAMS])
@pytest.mark.parametrize("value", [
    dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=-14))),
    dt.datetime(1, 1, 1, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=14)))],
    ids=["year-10000-in-utc", "year-0-in-utc"])
def test_an_aware_instant_past_the_years_is_refused(label: str, param: str, value: Any,
                                                    reg: pledger.Registry) -> None:
    """A datetime whose offset takes it past the year 9999 (or before the
    year 1) in UTC was passed on; the answer's as_of then failed to
    convert back.  It is refused naming the parameter."""
    assert INSTANT_PARAMS
    with pledger.Application(pledger.Kind.TRADEMARK) as app:
        with pytest.raises(pledger.InvalidArgument) as e:
            r = _call(label, param, value, reg, app)
            if isinstance(r, pledger.Cursor):
                list(r)
    assert e.value.message.startswith(param + " ") and "years 1 to 9999" in e.value.message


@pytest.mark.parametrize("label,param", INSTANT_PARAMS,
                         ids=[f"{a}:{b}" for a, b in INSTANT_PARAMS])
def test_the_now_marker_is_no_instant(label: str, param: str, reg: pledger.Registry) -> None:
    """The lowest int64_t is the library's "now" marker: given as an
    instant it was taken as now.  It is refused naming the parameter
    (None asks for now)."""
    with pledger.Application(pledger.Kind.TRADEMARK) as app:
        with pytest.raises(pledger.InvalidArgument) as e:
            r = _call(label, param, pledger.AS_OF_CURRENT, reg, app)
            if isinstance(r, pledger.Cursor):
                list(r)
    assert e.value.message.startswith(param + " ") and "marker" in e.value.message


def test_a_nul_in_a_date_names_the_parameter(reg: pledger.Registry) -> None:
    """A NUL in a date given as text was refused as "argument contains a
    NUL character", naming no parameter."""
    calls = [("new_end", lambda: reg.extend("R-X", "2024-01-01\0x")),
             ("date", lambda: reg.add_working_days("2024-01-01\0x", 1)),
             ("start", lambda: reg.stats("2024-01-01\0x", "2024-12-31")),
             ("end", lambda: reg.stats("2024-01-01", "2024-12-31\0x"))]
    for param, call in calls:
        with pytest.raises(pledger.InvalidArgument) as e:
            call()
        assert e.value.message.startswith(param + " ") and "NUL" in e.value.message, \
            (param, e.value.message)


def test_bounded_counts_state_the_librarys_bounds(reg: pledger.Registry) -> None:
    """A count past the library's bounds is refused stating them, the same
    for a huge value as for a small one (a huge one stated the C type's
    range, -2147483648 to 2147483647, as if -5 were taken)."""
    reg.set_actor("auditor-1", pledger.Role.AUDITOR)
    calls = (("within_days", "0 to 3650", lambda v: reg.due(within_days=v)),
             ("page_size", "0 to 10000", lambda v: list(reg.search(kind="trademark",
                                                                    page_size=v))),
             ("limit", "1 to 10000", lambda v: reg.applications(limit=v)),
             ("limit", "1 to 10000", lambda v: reg.reports(limit=v)))
    for name, bounds, call in calls:
        for v in (-5, 10**30, 2**31):
            with pytest.raises(pledger.InvalidArgument) as e:
                call(v)
            assert e.value.message.startswith(name) and bounds in e.value.message, e.value
