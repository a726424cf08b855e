"""A pledger registry served by pledgerd, over HTTPS: the read and filing
methods of a local :class:`pledger.Registry`, the same result types and
the same exceptions, so a bank's script runs unchanged against a file or
a service::

    reg = pledger.connect("https://registry.example:8443", token="bank-1.…")
    v = reg.verify("R-FZ01-TM-2024-000001", code="…")

Only the standard library is used (``urllib``, ``ssl``, ``json``).
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import os
import re
import urllib.parse
from typing import Any, Callable, Iterator, Sequence

from . import _ffi
from ._i18n import _, accept_language
from .application import Application, app_states
from .enums import ALL as _ENUMS
from .enums import AppState, Kind, PledgeState, Role, Severity
from .errors import _CODES, Busy, CodeMismatch, ReviewBlocked, caller_words, error_class, shown
from .log import HASH_SIZE, Checkpoint, Keyring, Proof, verify_consistency
from .report import Report, ReportEntry
from .types import (ApplicationEntry, CurrencyAmounts, DateLike, DueItem, DueList, Filed,
                    Finding, Instant, JournalCheck, Pledge, ReportsCheck, Review, RightRank,
                    SearchHit, Stats, Verification, date_str, from_us, to_date, to_us)


def _instant(t: Instant | None, what: str) -> str | None:
    """An instant as a query parameter: microseconds since 1970 when they
    have more than 10 digits (the service reads fewer as a day typed
    without its dashes), else the same instant in ISO 8601.  The
    library's "now" marker (AS_OF_CURRENT) is no instant: refused naming
    ``what``, as a local registry refuses it (None asks for now).  A date
    is sent as one: the service
    reads it as the first instant of that day in the registry's calendar,
    as a local registry does."""
    if t is None:
        return None
    if isinstance(t, _dt.date) and not isinstance(t, _dt.datetime):
        return t.isoformat()
    us = to_us(t, what)
    if abs(us) >= 10_000_000_000:
        return str(us)
    return from_us(us).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _library_words(msgid: str, *args: Any) -> str:
    """The library's message @msgid (a C format of its catalogue, in the
    language these bindings speak) with @args, in the caller's words, as
    a local call raises it: what the client refuses before it asks."""
    it = iter(args)
    return caller_words(re.sub(r"%(?:zu|s|d)", lambda m: str(next(it)), _(msgid)))


def connect(url: str, token: str | None = None, *, cafile: str | None = None,
            timeout: float = 30.0) -> "RemoteRegistry":
    """A registry served by pledgerd at ``url`` (``https://host:port``, or
    the address pledgerd prints at start, ending in ``/v1/``),
    acting as the account of ``token`` (NAME.SECRET; white space around it,
    as a line read from a file has, is not part of it).  ``cafile``: the
    certificate authority (or the self-signed certificate) to trust
    instead of the system's.  ``timeout``: the seconds an answer is waited
    for -- for a verification of the journal or the reports, a bulk filing
    and a batch of the data line, whose work on the service takes long, 11
    minutes at least (the service answers within 10)."""
    if token is not None:
        if not isinstance(token, str):
            raise _ffi._invalid(_("{what} must be {kinds}, not {type}").format(
                what="token", kinds="str", type=type(token).__name__), True)
        # read from a file or the environment: the line's end is not the token's
        token = token.strip(" \t\r\n") or None   # "": no token, as None
        if token and any(not 0x21 <= ord(ch) <= 0x7e for ch in token):
            raise _ffi._invalid(_("token must be NAME.SECRET as pledgerd token printed it "
                                  "(visible ASCII, no space or control character)"))
    if cafile is not None:
        if not isinstance(cafile, (str, os.PathLike)):
            raise _ffi._invalid(_("{what} must be {kinds}, not {type}").format(
                what="cafile", kinds=_("a file name"), type=type(cafile).__name__), True)
        _ffi.cpath(cafile)      # a NUL or a lone surrogate, refused as elsewhere
    return RemoteRegistry(url, token, cafile, timeout)


def _address_fault(url: str) -> str | None:
    """What is wrong with @url as a service's address (scheme://host[:port]
    [/prefix]), or None: every request's URL is made from it."""
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        return _("holds white space or a control character")
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as e:
        return _("not an address ({error})").format(error=e)
    if not parts.hostname:
        return _("names no host")
    if port == 0:
        return _("port 0 is no port")
    if parts.username is not None or parts.password is not None:
        return _("holds a user name or password; the token is given on its own")
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        return _("holds a query or a fragment; the address is the service's only")
    return None


def _loopback(url: str) -> bool:
    """The host of @url is this machine: localhost or a loopback address."""
    import ipaddress
    try:
        host = urllib.parse.urlsplit(url).hostname or ""
    except ValueError:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _member(cls: Any, value: Any, what: str,
            refused: Callable[[int], str] | None = None) -> str | None:
    """The API name of @value (a member, its name or its number) for a
    query parameter; None for None and for 0, which the library's query
    reads as "any".  A number that is no member is refused as the library
    refuses it (pledger.InvalidArgument), not with a ValueError."""
    if value is None:
        return None
    v = cls.c_value(value, what)
    if v == 0:
        return None
    try:
        return cls(v).api_name
    except ValueError:
        if refused:     # the local call's refusal of it, in its words
            raise _ffi._invalid(refused(v)) from None
        raise _ffi._invalid(f"{what}: {v} is not a value of {cls.__name__}") from None

def _text(value: Any, what: str) -> str | None:
    """@value as the local call takes a text argument: None, or a str --
    another type (an int, bytes, a list) is refused naming @what, as the
    library's cstr() refuses it (:class:`pledger.WrongType`), not sent as
    its str()."""
    if value is not None:
        _ffi.cstr(value, what)
    return value


#: no text parameter of the service takes more than this many bytes (the
#: library's longest limit is 512); a longer value goes cut here, so that
#: the service refuses it naming the parameter and its limit, as the local
#: call does, rather than the request's head outgrowing what the server
#: reads (an HTML 414 or 431, no parameter named)
_TEXT_SENT_MAX = 4096


#: how long a call whose work takes long on the service is waited for (a
#: verification of the journal or the reports, a bulk filing, a batch of
#: the data line), whatever the shorter ``timeout`` of :func:`connect`: the
#: service answers a bulk filing being committed within 10 minutes, even
#: when it is told to stop
_LONG_CALL_TIMEOUT = 660.0

#: an identifier in a path (a number, a UUID) is cut past this many bytes:
#: percent-encoded, the path stays under the service's 4,096 bytes
_ID_SENT_MAX = 1000


def _cut(value: str, limit: int = _TEXT_SENT_MAX) -> str:
    """@value, when over @limit bytes of UTF-8, cut just past it at
    a character's end: still too long, and refused as such."""
    b = value.encode("utf-8")
    if len(b) <= limit:
        return value
    end = limit + 1
    while end < len(b) and (b[end] & 0xC0) == 0x80:
        end += 1
    return b[:end].decode("utf-8")


def _said(message: str, names: dict[str, str] | None) -> str:
    """The service's @message in the caller's words: a query parameter (or
    header) it names where a refusal names its subject -- at the start,
    after "query parameter ", after "before" -- named as the argument that
    filled it (@names: as_of -> at, from -> start, Idempotency-Key -> key),
    as the local call's message names it."""
    for svc, arg in (names or {}).items():
        message = re.sub(r"(^|query parameter |查询参数 |before |早于 )" + re.escape(svc) +
                         r"(?=[ :：])", lambda m: m.group(1) + arg, message)
    return message


#: the service's names of the arguments named otherwise in Python
_AT = {"as_of": "at"}
_KEY = {"Idempotency-Key": "key"}


def _retry_after(headers: Any) -> int | None:
    """The seconds of an answer's Retry-After (RFC 9110 10.2.3: the form
    pledgerd sends), or None."""
    v = headers.get("Retry-After") if headers is not None else None
    return int(v) if v is not None and v.strip().isdigit() else None


def _code(name: str) -> int:
    return _CODES[f"PLEDGER_{name}"]


#: the HTTP status pledgerd answers a library code with (service.c,
#: http_status()); any other code, 500
_CODE_STATUS = {_code("EINVAL"): 400, _code("EXML"): 400, _code("EPERM"): 403,
                _code("EREADONLY"): 403, _code("ENOTFOUND"): 404, _code("ESTATE"): 409,
                _code("ECONFLICT"): 409, _code("EREVIEW"): 409, _code("ECODE"): 409,
                _code("EBUSY"): 503, _code("ENOTSUP"): 501}

#: the code of each kind of status when the answer's is not of it: the
#: status is what every reader of the answer goes by (a proxy, a retrying
#: library), so the exception says what it says
_STATUS_CODE = {400: _code("EINVAL"), 403: _code("EPERM"), 404: _code("ENOTFOUND"),
                409: _code("ECONFLICT"), 500: _code("EIO"), 501: _code("ENOTSUP"),
                503: _code("EBUSY")}


def _status_kind(status: int) -> int:
    """The status whose kind @status is (as pledgerd's status_kind()): 401
    is a 403 (the account's), 429 a 503 (try again later), another 4xx a
    400 (the request's), another 5xx a 500 (the service's)."""
    if status in (401, 429):
        return 403 if status == 401 else 503
    if status in _STATUS_CODE:
        return status
    return 500 if status >= 500 else 400


def code_of_status(status: int, code: int) -> int:
    """The library code an error answer of HTTP @status with the JSON
    @code is raised as: @code when it is of the status's kind (a 404 and
    PLEDGER_ENOTFOUND, a 409 and PLEDGER_ECODE), else the status's own --
    a 503 whose code says PLEDGER_ENOTFOUND (the registry's file missing
    on the service) is PLEDGER_EBUSY, "try again later", not "no such
    registration"; a 500 saying PLEDGER_EINVAL is the service's failure,
    PLEDGER_EIO; a code this client does not know, the status's own too.
    A 401 (no token, or one not taken) is PLEDGER_EPERM whatever it says;
    PLEDGER_ECANCELLED (a callback of this caller's asked to stop, exit
    status 130 as Ctrl-C) is none a service's answer can say."""
    if status == 401:
        return _code("EPERM")
    if code in _CODES.values() and code != _code("ECANCELLED") and _CODE_STATUS.get(code, 500) == _status_kind(status):
        return code
    return _STATUS_CODE[_status_kind(status)]


#: an answer's status, when its body is not the service's JSON (a head
#: libmicrohttpd refused before pledgerd read it, a proxy's page): the
#: error a local call raises for the same cause
_NOT_JSON = {400: -1, 411: -1, 413: -1, 414: -1, 417: -1, 431: -1, 505: -1,
             401: -5, 403: -5, 429: -7, 503: -7}


def _not_json_error(url: str, status: int, raw: bytes, retry: int | None) -> Exception:
    """The exception of an HTTP error @status whose body @raw is not the
    service's JSON: a request too large for the server (400, 413, 414,
    431: pledgerd's libmicrohttpd answers those itself, in HTML) is the
    caller's argument (pledger.InvalidArgument), a server busy (429, 503,
    a proxy's) is pledger.Busy with its Retry-After, any other an I/O
    failure naming what came."""
    import html
    text = raw.decode("utf-8", "replace")
    title = re.search(r"<title>([^<]*)</title>", text, re.I)
    said = shown(html.unescape(title.group(1)).strip() if title else text[:200].strip())
    code = _NOT_JSON.get(status, -8)
    if code == -1:
        msg = _("{url}: HTTP {status}: the server refused the request as too large or "
                "malformed ({said})").format(url=url, status=status, said=said)
    elif code == -5:
        msg = _("{url}: HTTP {status}: the server refused the request ({said})").format(
            url=url, status=status, said=said)
    elif code == -7:
        msg = _("{url}: HTTP {status}: the server is busy ({said}); try again later").format(
            url=url, status=status, said=said)
    else:
        msg = f"{url}: HTTP {status}: {raw[:200]!r}"
    exc = error_class(code)(code, msg)
    exc.http_status = status
    if isinstance(exc, Busy):
        exc.retry_after = retry
    return exc


def _timed_out(url: str, seconds: float) -> str:
    """The message of a request that had no answer within its timeout."""
    return _("{url}: no answer within {seconds:g} s (the timeout): what was asked may or "
             "may not be done; a filing repeated with the same key is done once").format(
                 url=url, seconds=seconds)


class _Answer(dict):  # type: ignore[type-arg]
    """A JSON object of the service's answer: a member it lacks is the
    answer's fault, an I/O failure naming the address, not a KeyError."""

    def __init__(self, url: str, d: dict) -> None:  # type: ignore[type-arg]
        super().__init__(d)
        self._url = url

    def __missing__(self, key: str) -> Any:
        raise error_class(-8)(-8, _("{url}: the answer lacks '{key}': not the service's "
                                    "JSON").format(url=self._url, key=key))


class RemoteRegistry:
    """The registry behind a pledgerd service (see :func:`connect`)."""

    def __init__(self, url: str, token: str | None, cafile: str | None,
                 timeout: float) -> None:
        if isinstance(url, str):
            # a scheme is read in any case (RFC 3986 3.1): HTTPS:// is https://
            scheme, sep, rest = url.partition("://")
            if sep and scheme.lower() in ("https", "http"):
                url = scheme.lower() + sep + rest
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise _ffi._invalid(_("url must be an https:// address, not {url!r}").format(
                url=url), not isinstance(url, str))
        why = _address_fault(url)
        if why:
            # a password in it is not repeated in the message
            shown = url if "@" not in url else url.split("//", 1)[0] + "//...@" + \
                url.rsplit("@", 1)[1]
            raise _ffi._invalid(_("url {url!r}: {why}").format(url=shown, why=why))
        if token and url.startswith("http://") and not _loopback(url):
            # a service with tls = off listens on loopback only
            raise _ffi._invalid(_("url {url!r}: http:// would send the token in clear; it is "
                                  "taken only for this machine (127.0.0.1, [::1], localhost): "
                                  "use https://").format(url=url))
        self.url = url.rstrip("/")
        # the address pledgerd prints at start ends in /v1/: the versioned
        # root, not the service's, whose /v1/... every request adds
        if self.url.endswith("/v1"):
            self.url = self.url[:-3].rstrip("/")
        self._token = token
        self._timeout = timeout
        # The network modules are loaded here, not at import: every local
        # command of the CLI imports this module, and http.client with ssl is
        # a third of its start-up.
        import ssl
        import urllib.request
        self._ctx = None
        if url.startswith("https://"):
            where = os.fspath(cafile) if cafile is not None else _("(the system's)")
            try:
                self._ctx = ssl.create_default_context(cafile=cafile)
            except FileNotFoundError:
                raise error_class(-2)(-2, _("cafile: {where}: no such file").format(
                    where=where)) from None
            except ssl.SSLError as e:
                raise _ffi._invalid(_("cafile: {where}: holds no PEM certificate "
                                      "({error})").format(where=where,
                                                          error=e.reason or e)) from None
            except OSError as e:
                raise _ffi._invalid(f"cafile: {where}: {e.strerror or e}") from None

        class Stay(urllib.request.HTTPRedirectHandler):
            """A redirect is not followed: the token goes to the address
            given and nowhere else (urllib would send it on, to any host)."""

            def redirect_request(self, *args: Any) -> None:
                return None

        handlers: list[Any] = [Stay()]
        if self._ctx is not None:
            handlers.append(urllib.request.HTTPSHandler(context=self._ctx))
        self._open = urllib.request.build_opener(*handlers).open
        #: the number of the search report the service recorded for the last
        #: search or verification (also when it found nothing); None before,
        #: and after one the service refused (a bad parameter: no report)
        self.last_report: int | None = None
        #: that report (text and proof) when the answer carried it (JSON answers;
        #: :meth:`report` fetches any); check it with :meth:`pledger.Report.open`
        self.last_report_note: str | None = None
        self._last_error_body: Any = None

    def __enter__(self) -> "RemoteRegistry":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Nothing is held between requests; here for ``with``."""

    # ---- transport ----------------------------------------------------------------

    def _request(self, method: str, path: str, query: dict[str, Any] | None = None,
                 body: bytes | None = None,
                 headers: dict[str, str] | None = None,
                 names: dict[str, str] | None = None, long: bool = False) -> tuple[str, bytes]:
        import http.client
        import ssl
        import urllib.error
        import urllib.request
        if method in ("GET", "HEAD") and path.startswith("/v1/pledges"):
            # a search or a verification: its report, or none (an answer
            # the service refused records none) -- never the one before
            self.last_report = self.last_report_note = None
        q = {k: v for k, v in (query or {}).items() if v is not None}
        for k, v in q.items():
            if isinstance(v, str):  # as the library's cstr() refuses it, naming it
                _ffi.cstr(v, k)
                q[k] = _cut(v)
            elif not isinstance(v, int) or isinstance(v, bool):
                raise _ffi._invalid(_("{what} must be {kinds}, not {type}").format(
                    what=k, kinds="str", type=type(v).__name__), True)
        for k, v in (headers or {}).items():
            if not v.isprintable() or not v.isascii():
                raise _ffi._invalid(f"{'key' if k == 'Idempotency-Key' else k} must be "
                                    "visible ASCII (it goes as an HTTP header)")
        # a header over what the server reads is refused by libmicrohttpd
        # (431, HTML, nothing named): cut, it is refused naming it
        headers = {k: _cut(v) for k, v in (headers or {}).items()}
        url = self.url + path + ("?" + urllib.parse.urlencode(q) if q else "")
        # a call whose work takes long on the service (a verification of
        # everything, a bulk filing being committed, a batch of the data
        # line) is waited for as long as the service may take to answer it
        timeout = max(self._timeout, _LONG_CALL_TIMEOUT) if long else self._timeout
        req = urllib.request.Request(url, data=body, method=method)
        if self._token:
            req.add_header("Authorization", f"Bearer {self._token}")
        # the service's messages in the language these bindings speak
        lang = accept_language()
        if lang:
            req.add_header("Accept-Language", lang)
        if body is not None:
            req.add_header("Content-Type", "application/xml")
        for name, value in (headers or {}).items():
            req.add_header(name, value)
        try:
            with self._open(req, timeout=timeout) as r:
                self._note_report(r.headers)
                return r.headers.get("Content-Type", ""), r.read()
        except urllib.error.HTTPError as e:
            self._note_report(e.headers)
            if 300 <= e.code < 400:
                where = e.headers.get("Location") if e.headers is not None else None
                raise error_class(-8)(-8, _("{url}: HTTP {status}: the answer sends the "
                                            "request to {where!r}; not followed (the token "
                                            "goes to the address given only)").format(
                                                url=url, status=e.code, where=where)) from None
            raw = e.read()
            retry = _retry_after(e.headers)
            try:
                self._last_error_body = json.loads(raw)
                err = self._last_error_body["error"]
                code, message = int(err["code"]), str(err["message"])
            except (ValueError, KeyError, TypeError):
                raise _not_json_error(url, e.code, raw, retry) from None
            # the service's words are shown, not obeyed, where they are
            # printed: a control or bidirectional character they quote
            # (pledgerd writes them out; another server might not)
            message = shown(message)
            said = code_of_status(e.code, code)
            if said != code:
                # the status is the answer: the code the service gave with it, said
                message = _("{message} (HTTP {status}, with the code {name})").format(
                    message=message, status=e.code, name=shown(str(err.get("name") or code)))
            # .message as the local call words it; .library_message the service's
            exc = error_class(said)(said, _said(message, names), message)
            exc.http_status = e.code
            if e.code == 401:
                exc.message = _("{message} (give the account's token: "
                                "pledger.connect(url, token=...))").format(message=exc.message)
                exc.args = (exc.message,)
            if isinstance(exc, Busy):
                exc.retry_after = retry
            raise exc from None
        except urllib.error.URLError as e:
            if isinstance(e.reason, TimeoutError):
                raise error_class(-8)(-8, _timed_out(url, timeout)) from None
            if isinstance(e.reason, ssl.SSLCertVerificationError):
                raise error_class(-8)(-8, _("{url}: the service's certificate is not taken "
                                            "({why}): give the authority that signed it as "
                                            "cafile (the command line's --cacert), or use the "
                                            "address it names").format(
                                                url=url, why=e.reason.verify_message)) from None
            raise error_class(-8)(-8, f"{url}: {e.reason}") from None
        except (http.client.HTTPException, OSError) as e:
            # the connection dropped, timed out or was refused mid-way
            if isinstance(e, TimeoutError):
                raise error_class(-8)(-8, _timed_out(url, timeout)) from None
            raise error_class(-8)(-8, f"{url}: {type(e).__name__}: {e}") from None

    def _note_report(self, headers: Any) -> None:
        n = headers.get("Pledger-Report") if headers is not None else None
        if n is not None and n.isdigit():
            self.last_report, self.last_report_note = int(n), None

    def _json(self, method: str, path: str, query: dict[str, Any] | None = None,
              body: bytes | None = None, headers: dict[str, str] | None = None,
              names: dict[str, str] | None = None, long: bool = False) -> Any:
        ctype, raw = self._request(method, path, query, body, headers, names, long)
        # a 2xx that is not pledgerd's answer (a proxy's page, a cut body):
        # an I/O failure naming what came, not a JSONDecodeError or a
        # KeyError further on (every object read missing a member says so)
        url = self.url + path
        try:
            j = json.loads(raw, object_hook=lambda d: _Answer(url, d))
        except ValueError:
            raise error_class(-8)(-8, _("{url}: the answer is not the service's JSON "
                                        "({ctype}): {start!r}").format(
                                            url=url, ctype=ctype or "no Content-Type",
                                            start=raw[:120])) from None
        if not isinstance(j, dict):
            raise error_class(-8)(-8, _("{url}: the answer is not the service's JSON "
                                        "({ctype}): {start!r}").format(
                                            url=url, ctype=ctype or "no Content-Type",
                                            start=raw[:120]))
        if isinstance(j.get("report"), dict):
            self.last_report_note = j["report"].get("note")
        return j

    @staticmethod
    def _quote(s: str, what: str) -> str:
        _ffi.cstr(s, what)     # a str (WrongType else), no lone surrogate or NUL, named
        if not s:              # as the library says it; "/v1/pledges/" is the search
            raise _ffi._invalid(_("{what} is empty").format(what=what))
        # no identifier is near this long: cut, it is still refused as too
        # long, naming it, not as a path over the service's 4,096 bytes
        return urllib.parse.quote(_cut(s, _ID_SENT_MAX), safe="")

    # ---- search reports -------------------------------------------------------------

    def report(self, number: int) -> str:
        """As :meth:`pledger.Registry.report`: search report ``number`` as
        handed out, text and proof (a bank: its own)."""
        n = _ffi.cint(number, "number", "int64_t", 1)
        return self._request("GET", f"/v1/reports/{n}")[1].decode("utf-8")

    def reports(self, party: str | None = None, actor: str | None = None,
                since: Instant | None = None, until: Instant | None = None,
                after: int = 0, limit: int = 1000) -> list[ReportEntry]:
        """As :meth:`pledger.Registry.reports` (role auditor; a bank its own)."""
        j = self._json("GET", "/v1/reports", {
            "party": _text(party, "party"), "actor": _text(actor, "actor"),
            "from": _instant(since, "since"),
            "to": _instant(until, "until"),
            "after": _ffi.cint(after, "after", "int64_t", 0) or None,
            "limit": _ffi.cint(limit, "limit", "int", 1, 10000)},
            names={"from": "since", "to": "until"})
        return [ReportEntry(number=r["number"], issued_at=r["issued_at"], actor=r["actor"],
                            role=Role.from_name(r["role"]),
                            kind=_ENUMS["ReportKind"].from_name(r["kind"]), query=r["query"],
                            result_count=r["result_count"], log_size=r["log_size"])
                for r in j["reports"]]

    # ---- reads --------------------------------------------------------------------

    def verify(self, number: str, code: str | None = None,
               at: Instant | None = None) -> Verification:
        """As :meth:`pledger.Registry.verify`."""
        j = self._json("GET", "/v1/pledges/" + self._quote(number, "number"),
                       {"code": _text(code, "code"), "as_of": _instant(at, "at")},
                       names=_AT)
        sup = j.get("code_superseded_at")
        return Verification(
            number=j["number"], kind=Kind.from_name(j["kind"]), security=j["security"],
            state=PledgeState.from_name(j["state"]), version=j["version"],
            registered_at=from_us(j["registered_at"]), valid_from=from_us(j["valid_from"]),
            as_of=None if j.get("as_of") is None else from_us(j["as_of"]),
            pledgor_name=j["pledgor"]["name"], pledgor_id=j["pledgor"]["id"],
            pledgee_name=j["pledgee"]["name"], pledgee_id=j["pledgee"]["id"],
            amount=j["amount"], currency=j["currency"],
            period_start=to_date(j["period_start"]), period_end=to_date(j["period_end"]),
            rights=tuple(RightRank(r["id"], r["rank"]) for r in j["rights"]),
            rank=j["rank"], code_status=_ENUMS["CodeStatus"].from_name(j["code_status"]),
            code_version=j["code_version"], code_superseded_at=from_us(sup) if sup else None,
            pledge=Pledge.from_fields(j["pledge"]["fields"]))

    def search(self, *, kind: Kind | int | str | None = None, right: str | None = None,
               party_id: str | None = None, party_name: str | None = None,
               side: Any = None, state: PledgeState | int | str | None = None,
               registered_from: DateLike | None = None,
               registered_to: DateLike | None = None, as_of: Instant | None = None,
               page_size: int = 0, after: str | None = None,
               all_pages: bool = True) -> "RemoteCursor":
        """As :meth:`pledger.Registry.search`."""
        for arg, value in (("right", right), ("party_id", party_id),
                           ("party_name", party_name), ("after", after)):
            if value is not None and not isinstance(value, str):
                raise _ffi._invalid(f"{arg} must be str, not {type(value).__name__}", True)
        q = {
            "kind": _member(Kind, kind, "kind", lambda v: _library_words(
                "%s: query->kind %d is not a right kind (1 to 7, or 0 for any)",
                "pledger_search", v)),
            "right": right, "party_id": party_id, "party_name": party_name,
            "side": _member(_ENUMS["PartySide"], side, "side", lambda v: _library_words(
                "%s: query->party_side %d is not a pledger_party_side", "pledger_search", v)),
            "state": _member(PledgeState, state, "state", lambda v: _library_words(
                "%s: query->state %d is not a pledge state (1 to 5, or 0 for any)",
                "pledger_search", v)),
            "registered_from": None if registered_from is None else date_str(
                registered_from, "registered_from"),
            "registered_to": None if registered_to is None else date_str(
                registered_to, "registered_to"),
            "as_of": _instant(as_of, "as_of"),
            "page_size": _ffi.cint(page_size, "page_size", "int", 0, 10000) or None,
        }
        return RemoteCursor(self, q, after, all_pages)

    def rank(self, number: str, at: Instant | None = None) -> int:
        """As :meth:`pledger.Registry.rank`."""
        return int(self._json("GET", f"/v1/pledges/{self._quote(number, 'number')}/rank",
                              {"as_of": _instant(at, "at")}, names=_AT)["rank"])

    def compare(self, number_a: str, number_b: str) -> int:
        """As :meth:`pledger.Registry.compare`."""
        self._quote(number_b, "number_b")   # refused as the local call refuses it
        return int(self._json("GET", f"/v1/pledges/{self._quote(number_a, 'number_a')}/rank",
                              {"compare": number_b},
                              names={"number": "number_a", "compare": "number_b"})["order"])

    def verify_statement(self, number: str, code: str | None = None,
                         at: Instant | None = None) -> str:
        """The answer of :meth:`verify` as a verification statement the
        service signs with its own key (as :meth:`pledger.Registry.
        verify_statement` with that key)."""
        return self._request("GET", f"/v1/pledges/{self._quote(number, 'number')}/statement",
                             {"code": _text(code, "code"), "as_of": _instant(at, "at")},
                             names=_AT)[1].decode("utf-8")

    def due(self, at: Instant | None = None, within_days: int = 30) -> DueList:
        """As :meth:`pledger.Registry.due`."""
        j = self._json("GET", "/v1/due", {"as_of": _instant(at, "at"),
                                          "within_days": _ffi.cint(within_days, "within_days",
                                                                   "int", 0, 3650)},
                       names=_AT)
        return DueList([DueItem(what=_ENUMS["DueWhat"].from_name(i["what"]),
                                subject=i["subject"], kind=Kind.from_name(i["kind"]),
                                date=to_date(i["date"]), days_left=i["days_left"])
                        for i in j["items"]], to_date(j["today"]))

    def stats(self, start: DateLike, end: DateLike, *, kind: Kind | int | str | None = None,
              office: str | None = None) -> Stats:
        """As :meth:`pledger.Registry.stats`."""
        name = _member(Kind, kind, "kind", lambda v: _library_words(
            "%s: q->kind %d is not a right kind (1 to 7, or 0 for all)", "pledger_stats_get", v))
        k = Kind.from_name(name) if name else None
        j = self._json("GET", "/v1/stats", {"from": date_str(start, "start"),
                                            "to": date_str(end, "end"),
                                            "kind": name, "office": _text(office, "office")},
                       names={"from": "start", "to": "end"})
        return Stats(start=to_date(j["from"]), end=to_date(j["to"]), kind=k, office=office,
                     registrations=j["registrations"], cancellations=j["cancellations"],
                     active=j["active"],
                     amounts=tuple(CurrencyAmounts(a["currency"], a["registered"], a["active"])
                                   for a in j["amounts"]))

    def pledge(self, number: str, at: Instant | None = None) -> Pledge:
        """As :meth:`pledger.Registry.pledge`."""
        j = self._json("GET", f"/v1/pledges/{self._quote(number, 'number')}/record",
                       {"as_of": _instant(at, "at")}, names=_AT)
        return Pledge.from_fields(j["fields"])

    def pledge_xml(self, number: str, at: Instant | None = None) -> str:
        """As :meth:`pledger.Registry.pledge_xml`."""
        return self._request("GET", f"/v1/pledges/{self._quote(number, 'number')}/document",
                             {"as_of": _instant(at, "at")}, names=_AT
                             )[1].decode("utf-8")

    def certificate(self, number: str, version: int = 0) -> str:
        """As :meth:`pledger.Registry.certificate`."""
        return self._request("GET", "/v1/pledges/" + self._quote(number, "number") +
                             "/certificate", {"version": _ffi.cint(version, "version",
                                                                minimum=0) or None}
                             )[1].decode("utf-8")

    def latest_checkpoint(self) -> str | None:
        """The latest checkpoint the registry signed; None when none."""
        try:
            return self._request("GET", "/v1/checkpoint")[1].decode("utf-8")
        except error_class(-2):
            return None

    @property
    def time_zone(self) -> str:
        """The office's time zone (as :attr:`pledger.Registry.time_zone`)."""
        return str(self._json("GET", "/v1/status")["time_zone"])

    @property
    def office(self) -> str:
        """The registry's office code."""
        return str(self._json("GET", "/v1/status")["office"])

    @property
    def log_origin(self) -> str:
        """The first line of the log's checkpoints (as
        :attr:`pledger.Registry.log_origin`)."""
        return str(self._json("GET", "/v1/status")["log_origin"])

    def log_size(self) -> int:
        """The number of events in the registry's log."""
        return int(self._json("GET", "/v1/status")["log_size"])

    def prove_inclusion(self, event: int, size: int = 0) -> Proof:
        """As :meth:`pledger.Registry.prove_inclusion`."""
        j = self._json("GET", "/v1/log/inclusion", {
            "event": _ffi.cint(event, "event", "int64_t", minimum=0),
            "size": _ffi.cint(size, "size", "int64_t", minimum=0)})
        return dataclasses.replace(Proof.from_text(j["proof"]), size=int(j["size"]))

    def prove_consistency(self, old_size: int, size: int = 0) -> Proof:
        """As :meth:`pledger.Registry.prove_consistency`."""
        j = self._json("GET", "/v1/log/consistency", {
            "old": _ffi.cint(old_size, "old_size", "int64_t", minimum=0),
            "new": _ffi.cint(size, "size", "int64_t", minimum=0)},
            names={"old": "old_size", "new": "size"})
        return dataclasses.replace(Proof.from_text(j["proof"]), size=int(j["new"]))

    def log_leaf(self, event: int) -> bytes:
        """As :meth:`pledger.Registry.log_leaf`."""
        j = self._json("GET", "/v1/log/leaf",
                       {"event": _ffi.cint(event, "event", "int64_t", minimum=0)})
        return self._hash(j["leaf"])

    def log_root(self, size: int | None = None) -> bytes:
        """As :meth:`pledger.Registry.log_root` (the root the service
        computes: a root only its signed checkpoint binds it to)."""
        n = self.log_size() if size is None else _ffi.cint(size, "size", "int64_t", minimum=0)
        return self._hash(self._json("GET", "/v1/log/root", {"size": n})["root"])

    def _hash(self, text: Any) -> bytes:
        import base64
        import binascii
        try:
            h = base64.b64decode(str(text), validate=True)
        except (binascii.Error, ValueError):
            h = b""
        if len(h) != HASH_SIZE:
            raise error_class(-8)(-8, f"{self.url}: the service answered {text!r}, not a "
                                      f"hash of {HASH_SIZE} bytes in base64")
        return h

    def check_log(self, old: Checkpoint, *, trusted: Keyring | None = None) -> Checkpoint:
        """The witness check of :meth:`pledger.Registry.check_log`, made
        here, trusting nothing the service says: its latest signed
        checkpoint is opened with ``trusted`` (the keys ``old`` was opened
        with; required), and the service's consistency proof from
        ``old``'s size to that checkpoint's size is checked against the two
        signed roots with :func:`pledger.verify_consistency`.  Raises
        :class:`pledger.CodeMismatch` as the library's check does (with
        its message for a rewritten history or another log), and also when
        the service's checkpoint is signed by no trusted key, when it has
        signed none, or when it is older than ``old``.  Returns the
        service's checkpoint the log was checked up to: events after it are
        not covered until the service signs again."""
        if not isinstance(old, Checkpoint) or old._handle is None:
            raise _ffi._invalid("old must be a pledger.Checkpoint from Checkpoint.open()", True)
        if not isinstance(trusted, Keyring):
            raise _ffi._invalid("trusted must be the pledger.Keyring old was opened with: a "
                                "remote registry's checkpoint is checked here, not by the "
                                "service", trusted is not None)
        ecode = int(_ffi.lib.PLEDGER_ECODE)
        note = self.latest_checkpoint()
        if note is None:
            raise CodeMismatch(ecode, _("{url}: the service has signed no checkpoint: nothing "
                                        "shows that its log extends the checkpoint of {old} "
                                        "events").format(url=self.url, old=old.size))
        try:
            new = Checkpoint.open(note, trusted)
        except CodeMismatch as e:
            raise CodeMismatch(ecode, _("{url}: the service's latest checkpoint is refused: "
                                        "{reason}").format(url=self.url, reason=e.message)
                               ) from None
        if new.origin != old.origin:
            # the library's words for it, as a local registry's error says them
            raise CodeMismatch(ecode, caller_words(_(
                "pledger_log_check: the checkpoint is of log '{old}', this registry is log "
                "'{origin}'").format(old=old.origin, origin=new.origin)))
        if new.size < old.size:
            raise CodeMismatch(ecode, _(
                "{url}: the service's latest signed checkpoint has {size} events, the kept "
                "checkpoint {old}: the service's is older, so nothing shows that its log "
                "extends the kept one (events were removed, or the kept checkpoint is of "
                "another copy)").format(url=self.url, size=new.size, old=old.size))
        proof = Proof(())
        if 0 < old.size < new.size:
            proof = self.prove_consistency(old.size, new.size)
        try:
            verify_consistency(old.size, new.size, old.root, new.root, proof)
        except CodeMismatch:
            raise CodeMismatch(ecode, caller_words(_(
                "pledger_log_check: the registry's log of {size} events is not an extension "
                "of the checkpoint's {old} events: its history was rewritten").format(
                    size=new.size, old=old.size))) from None
        return new

    def journal_verify(self, chain_only: bool = False) -> JournalCheck:
        """As :meth:`pledger.Registry.journal_verify`, run by the service
        on its registry (roles auditor and registrar); the message, when
        the journal is broken, is the service's."""
        j = self._json("GET", "/v1/log/verify",
                       {"chain_only": "true" if chain_only else "false"}, long=True)
        return JournalCheck(intact=bool(j["intact"]), bad_seq=j.get("bad_seq"),
                            count=int(j["count"]), message=shown(j["message"] or ""))

    def report_verify(self, trusted: Keyring | None = None) -> ReportsCheck:
        """As :meth:`pledger.Registry.report_verify`, run by the service on
        its reports (roles auditor and registrar), their checkpoints held
        to the keys the service signs them with; ``trusted``, when given,
        checks the reports the service hands out against it too: the
        checkpoint of the last one must be signed by a key of it."""
        if trusted is not None and not isinstance(trusted, Keyring):
            raise _ffi._invalid("trusted must be a pledger.Keyring or None", True)
        j = self._json("GET", "/v1/reports/verify", long=True)
        check = ReportsCheck(intact=bool(j["intact"]), bad_number=j.get("bad_number"),
                             count=int(j["count"]), message=shown(j["message"] or ""))
        if trusted is not None and check.intact and check.count:
            try:
                Report.open(self.report(check.count), trusted)
            except CodeMismatch as e:
                # what the file's check says of a checkpoint no trusted key
                # signed: broken there (exit status 1), not refused
                return ReportsCheck(intact=False, bad_number=check.count,
                                    count=check.count - 1, message=str(e))
        return check

    # ---- filing -------------------------------------------------------------------

    def save(self, app: Application, *, key: str | None = None) -> str:
        """As :meth:`pledger.Registry.save`: a new application is stored as
        a draft (POST /v1/applications) and its UUID returned, which
        ``app.uuid`` then gives; one that has a UUID replaces the document
        of that draft or reviewed application (PUT
        /v1/applications/{uuid}; a reviewed one becomes a draft again).
        ``key`` (a new application only) goes as the Idempotency-Key
        header: a call repeated after a lost answer (a timeout, a dropped
        connection) saves nothing again and returns the UUID saved then."""
        if not isinstance(app, Application):
            raise _ffi._invalid("app must be a pledger.Application", True)
        if key is not None and not isinstance(key, str):
            raise _ffi._invalid(f"key must be str, not {type(key).__name__}", True)
        body = app.to_xml().encode("utf-8")
        if app.uuid:
            if key is not None:
                raise _ffi._invalid(f"app: application {app.uuid} is already saved; a key "
                                    f"names the first save of a new application", False)
            self._json("PUT", f"/v1/applications/{self._quote(app.uuid, 'uuid')}", body=body)
            app._stored = None   # a draft now, without numbers: as the document says
            return app.uuid
        uuid = str(self._json("POST", "/v1/applications", body=body,
                              headers=None if key is None else {"Idempotency-Key": key},
                              names=_KEY)["uuid"])
        app._saved_as = uuid
        return uuid

    def load(self, uuid: str) -> Application:
        """As :meth:`pledger.Registry.load` (GET /v1/applications/{uuid}): the
        stored application, identity numbers in full, with its UUID, state
        and numbers.  Role: as the local call's (a bank, an applicant
        asking for another's: :class:`pledger.PermissionDenied`)."""
        j = self._json("GET", f"/v1/applications/{self._quote(uuid, 'uuid')}")
        app = Application.from_xml(str(j["document"]))
        app._saved_as = str(j["uuid"])
        app._stored = (AppState.from_name(str(j["state"])), j["acceptance_number"],
                       j["registration_number"])
        return app

    def file_batch(self, apps: Sequence[Application], *,
                   key: str | None = None) -> tuple[Filed, ...]:
        """As :meth:`pledger.Registry.file_batch` (POST /v1/filings): every
        item filed in one transaction or none, :class:`pledger.ReviewBlocked`
        with ``items`` when a review stops it.  The ``Application`` objects
        are not changed here: the UUIDs and numbers are in the items.
        ``key`` goes as the Idempotency-Key header: a call repeated after a
        lost answer (a timeout, a dropped connection) files nothing again."""
        if key is not None and not isinstance(key, str):
            raise _ffi._invalid(f"key must be str, not {type(key).__name__}", True)
        if isinstance(apps, (str, bytes)) or not isinstance(apps, Sequence):
            raise _ffi._invalid(f"apps must be a sequence of Application, not "
                                f"{type(apps).__name__}", True)
        for i, a in enumerate(apps):
            if not isinstance(a, Application):
                raise _ffi._invalid(f"apps[{i}] must be an Application, not "
                                    f"{type(a).__name__}", True)
        # refused as the local call refuses them, in its words: an
        # application saved already (the service would file its document
        # as a new one), the same object twice (it was filed twice)
        for i, a in enumerate(apps):
            if a.uuid:
                raise _ffi._invalid(_library_words(
                    "%s: apps[%zu]: application %s is already saved; a batch files new "
                    "applications", "pledger_file_batch", i, a.uuid))
        first: dict[int, int] = {}
        for i, a in enumerate(apps):
            if id(a) in first:
                raise _ffi._invalid(_library_words(
                    "%s: apps[%zu] is the same application handle as apps[%zu]; each item is "
                    "filed once", "pledger_file_batch", i, first[id(a)]))
            first[id(a)] = i
        docs = []
        for a in apps:
            xml = a.to_xml()
            docs.append(xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml)
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n<filings xmlns="urn:pledger:1">\n'
                + "".join(docs) + "</filings>\n").encode("utf-8")
        try:
            j = self._json("POST", "/v1/filings", body=body,
                           headers=None if key is None else {"Idempotency-Key": key},
                           names=_KEY, long=True)
        except ReviewBlocked as e:
            e.items = self._filed_items(self._last_error_body)
            raise
        return self._filed_items(j)

    @staticmethod
    def _review(findings: Any) -> Review:
        """A Review from the service's "findings" list."""
        return Review(tuple(Finding(code=f["code"], severity=Severity.from_name(f["severity"]),
                                    path=f["path"] or "", message=shown(f["message"] or ""),
                                    basis=f["basis"] or "") for f in findings))

    @classmethod
    def _filed_items(cls, j: Any) -> tuple[Filed, ...]:
        replayed = bool((j or {}).get("replayed"))
        return tuple(Filed(
            uuid=it["uuid"], acceptance_number=it["acceptance_number"], number=it["number"],
            modcode=it["modcode"], blocked=bool(it["blocked"]), review=cls._review(it["findings"]),
            replayed=replayed)
            for it in (j or {}).get("items", []))

    def review(self, uuid: str) -> Review:
        """As :meth:`pledger.Registry.review`."""
        j = self._json("POST", f"/v1/applications/{self._quote(uuid, 'uuid')}/review",
                       body=b"")
        return self._review(j["findings"])

    def submit(self, uuid: str) -> None:
        """As :meth:`pledger.Registry.submit`; sent again after it was done
        (its answer lost), it returns: the service answers such a retry as
        done ("replayed"), changing nothing, and refuses any other state
        (:class:`pledger.WrongState`)."""
        self._json("POST", f"/v1/applications/{self._quote(uuid, 'uuid')}/submit", body=b"")

    def applications(self, states: Any = None, *, kind: Kind | int | str | None = None,
                     filed_by: str | None = None, after: str | None = None,
                     limit: int = 1000) -> list[ApplicationEntry]:
        """As :meth:`pledger.Registry.applications` (GET /v1/applications):
        an applicant's own, or (clerk, registrar, auditor) any account's."""
        names = ",".join(st.api_name for st in app_states(states))
        kind_name = _member(Kind, kind, "kind", lambda v: _library_words(
            "%s: %s %s", "pledger_application_list", "filter.kind",
            _("is not a pledger_kind (1 to 7) or 0")))
        for name, v in (("filed_by", filed_by), ("after", after)):
            if v is not None and not isinstance(v, str):
                raise _ffi._invalid(f"{name} must be str or None, not {type(v).__name__}", True)
        j = self._json("GET", "/v1/applications", {
            "state": names or None, "kind": kind_name, "filed_by": filed_by,
            "after": after, "limit": _ffi.cint(limit, "limit", "int", 1, 10000)})
        AppState = _ENUMS["AppState"]
        return [ApplicationEntry(uuid=a["uuid"], kind=Kind.from_name(a["kind"]),
                                 state=AppState.from_name(a["state"]), filed_by=a["filed_by"],
                                 saved_at=from_us(a["saved_at"]),
                                 updated_at=from_us(a["updated_at"]),
                                 acceptance_number=a["acceptance_number"],
                                 registration_number=a["registration_number"],
                                 pledgor_name=a["pledgor_name"], pledgee_name=a["pledgee_name"])
                for a in j["applications"]]

    def withdraw(self, uuid: str) -> None:
        """As :meth:`pledger.Registry.withdraw`; sent again after it was
        done, it returns (see :meth:`submit`)."""
        self._json("POST", f"/v1/applications/{self._quote(uuid, 'uuid')}/withdraw", body=b"")

    def exchange_import(self, data: bytes | str) -> bytes | None:
        """Upload a batch (returns the office's signed receipt) or a
        receipt (returns None) of the data line."""
        raw = _ffi.data(data, "data", text=True)
        ctype, body = self._request("POST", "/v1/exchange", body=bytes(raw), long=True)
        return None if ctype.startswith("application/json") else body


class RemoteCursor(Iterator[SearchHit]):
    """The hits of a remote search, page by page (as :class:`pledger.Cursor`):
    the first page is asked for when the search is made, so a search the
    service refuses raises there, as a local one does, and
    :attr:`continuation` and :attr:`page_count` are those of that page."""

    def __init__(self, reg: RemoteRegistry, query: dict[str, Any], after: str | None,
                 all_pages: bool) -> None:
        self._reg = reg
        self._q = query
        self._all = all_pages
        self._page: list[dict] = []
        self._count = 0
        self.continuation: str | None = None
        self._fetch(after)

    def _fetch(self, after: str | None) -> None:
        j = self._reg._json("GET", "/v1/pledges", {**self._q, "after": after})
        self._page = list(j["hits"])
        self._count = len(self._page)
        self.continuation = j.get("continuation")

    @property
    def page_count(self) -> int:
        """How many hits the current page holds."""
        return self._count

    def __iter__(self) -> "RemoteCursor":
        return self

    def __next__(self) -> SearchHit:
        while not self._page:
            if not self._all or not self.continuation:
                self._page, self._all = [], False
                raise StopIteration
            self._fetch(self.continuation)
        h = self._page.pop(0)
        return SearchHit(
            number=h["number"], kind=Kind.from_name(h["kind"]),
            state=PledgeState.from_name(h["state"]), version=h["version"],
            registered_at=from_us(h["registered_at"]), pledgor_name=h["pledgor_name"],
            pledgor_id=h["pledgor_id"], pledgee_name=h["pledgee_name"],
            pledgee_id=h["pledgee_id"], amount=h["amount"], currency=h["currency"],
            period_start=to_date(h["period_start"]), period_end=to_date(h["period_end"]),
            name_match=_ENUMS["NameMatch"].from_name(h["name_match"]),
            pledge=Pledge.from_fields(h["pledge"]["fields"]))

    def __enter__(self) -> "RemoteCursor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Forget the page; iteration ends (nothing is held on the service)."""
        self._page = []
        self._all = False
