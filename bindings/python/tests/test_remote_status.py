"""Every answer pledgerd (or the libmicrohttpd under it, or a proxy before
it) can give, and every way a connection can fail, through the client
(pledger.connect) and the command line with --url: the exception a local
registry raises for the same cause, the documented exit status (75 for
"busy, try again later": a rate limit, a service busy), one line that
says what happened.  The answers are pledgerd's own bodies, served by a
stand-in on loopback (plain http://, taken for this machine)."""
from __future__ import annotations

import http.server
import json
import os
import socket
import threading
from typing import Iterator

import pytest

import pledger
from conftest import run_cli

NUMBER = "R-FZ01-TM-2024-000001"


def _error(code: int, name: str, message: str) -> bytes:
    return json.dumps({"error": {"code": code, "name": name, "message": message}}).encode()


MHD_431 = (b"<html><head><title>Request too big</title></head><body>Your HTTP header was "
           b"too big for the memory constraints of this webserver.</body></html>")
MHD_414 = b"<html><head><title>URI too long</title></head><body>The URI is too long.</body></html>"
MHD_400 = (b"<html><head><title>Bad Request</title></head><body>Your HTTP request was "
           b"malformed.</body></html>")
PROXY_503 = b"<html><head><title>503 Service Unavailable</title></head><body></body></html>"

#: (status, content type, body, extra headers, exception, exit status, in the message)
ANSWERS = [
    (400, "application/json", _error(-1, "PLEDGER_EINVAL", "limit must be 1 to 10000"),
     {}, pledger.InvalidArgument, 2, "must be 1 to 10000"),
    (400, "text/html", MHD_400, {}, pledger.InvalidArgument, 2, "malformed"),
    (401, "application/json", _error(-5, "PLEDGER_EPERM", "the token is not one of this "
                                     "service's"), {"WWW-Authenticate": 'Bearer realm="x"'},
     pledger.PermissionDenied, 4, "the token is not one of this service's"),
    (403, "application/json", _error(-5, "PLEDGER_EPERM", "actor 'x' has role bank"), {},
     pledger.PermissionDenied, 4, "has role bank"),
    (404, "application/json", _error(-2, "PLEDGER_ENOTFOUND", f"no pledge is registered as "
                                     f"'{NUMBER}'"), {}, pledger.NotFound, 3, "no pledge"),
    (405, "application/json", _error(-1, "PLEDGER_EINVAL", "method DELETE is not served"),
     {"Allow": "GET, HEAD"}, pledger.InvalidArgument, 2, "not served"),
    (409, "application/json", _error(-3, "PLEDGER_ESTATE", "application x is registered"), {},
     pledger.WrongState, 4, "is registered"),
    (409, "application/json", _error(-4, "PLEDGER_ECONFLICT", "the right is pledged"), {},
     pledger.Conflict, 4, "pledged"),
    (409, "application/json", _error(-15, "PLEDGER_ECODE", "the code does not match"), {},
     pledger.CodeMismatch, 4, "does not match"),
    (413, "application/json", _error(-1, "PLEDGER_EINVAL", "the request body is over the "
                                     "limit of 1048576 bytes"), {}, pledger.InvalidArgument, 2,
     "over the limit"),
    (414, "application/json", _error(-1, "PLEDGER_EINVAL", "the path is longer than 4096 "
                                     "bytes"), {}, pledger.InvalidArgument, 2, "4096"),
    (414, "text/html", MHD_414, {}, pledger.InvalidArgument, 2, "URI too long"),
    (415, "application/json", _error(-1, "PLEDGER_EINVAL", "the body must be XML"), {},
     pledger.InvalidArgument, 2, "XML"),
    (429, "application/json", _error(-7, "PLEDGER_EBUSY", "too many requests for this "
                                     "account (30 a minute); try again in 3 s"),
     {"Retry-After": "3"}, pledger.Busy, 75, "try again in 3 s"),
    (431, "text/html", MHD_431, {}, pledger.InvalidArgument, 2, "Request too big"),
    (500, "application/json", _error(-8, "PLEDGER_EIO", "disk I/O error"), {},
     pledger.IOFailure, 5, "disk I/O error"),
    (500, "application/json", _error(-9, "PLEDGER_ECORRUPT", "registration x is damaged"), {},
     pledger.Corrupt, 5, "damaged"),
    (501, "application/json", _error(-17, "PLEDGER_ENOTSUP", "no statement_key"), {},
     pledger.NotSupported, 5, "statement_key"),
    (503, "application/json", _error(-7, "PLEDGER_EBUSY", "another verification is running "
                                     "on this service"), {"Retry-After": "10"},
     pledger.Busy, 75, "another verification"),
    (503, "text/html", PROXY_503, {}, pledger.Busy, 75, "try again later"),
    (502, "text/html", b"<html>bad gateway</html>", {}, pledger.IOFailure, 5, "HTTP 502"),
    # a status and a code that disagree: the status is the answer (a 503
    # is "try again later" whatever code came with it: pledgerd's registry
    # file missing on a thread once said PLEDGER_ENOTFOUND, exit 3)
    (503, "application/json", _error(-2, "PLEDGER_ENOTFOUND", "the registry cannot be "
                                     "opened"), {}, pledger.Busy, 75, "cannot be opened"),
    (503, "application/json", _error(-8, "PLEDGER_EIO", "the registry cannot be opened"),
     {"Retry-After": "5"}, pledger.Busy, 75, "HTTP 503, with the code PLEDGER_EIO"),
    (429, "application/json", _error(-2, "PLEDGER_ENOTFOUND", "slow down"), {},
     pledger.Busy, 75, "slow down"),
    (500, "application/json", _error(-1, "PLEDGER_EINVAL", "a failure"), {},
     pledger.IOFailure, 5, "a failure"),
    (500, "application/json", _error(-99, "PLEDGER_E99", "an unknown code"), {},
     pledger.IOFailure, 5, "an unknown code"),
    (404, "application/json", _error(-7, "PLEDGER_EBUSY", "no such thing"), {},
     pledger.NotFound, 3, "no such thing"),
    (400, "application/json", _error(-2, "PLEDGER_ENOTFOUND", "bad value"), {},
     pledger.InvalidArgument, 2, "bad value"),
    (409, "application/json", _error(-1, "PLEDGER_EINVAL", "in the way"), {},
     pledger.Conflict, 4, "in the way"),
    (401, "application/json", _error(-1, "PLEDGER_EINVAL", "who are you"), {},
     pledger.PermissionDenied, 4, "who are you"),
    (403, "application/json", _error(-6, "PLEDGER_EREADONLY", "opened read-only"), {},
     pledger.ReadOnly, 5, "read-only"),
    (501, "application/json", _error(-8, "PLEDGER_EIO", "not here"), {},
     pledger.NotSupported, 5, "not here"),
    # what libmicrohttpd or a proxy before the service answers in HTML
    (401, "text/html", b"<html><head><title>401 Authorization Required</title></head></html>",
     {}, pledger.PermissionDenied, 4, "Authorization Required"),
    (403, "text/html", b"<html><head><title>403 Forbidden</title></head></html>", {},
     pledger.PermissionDenied, 4, "Forbidden"),
    (404, "text/html", b"<html><head><title>404 Not Found</title></head></html>", {},
     pledger.IOFailure, 5, "HTTP 404"),
    (411, "text/html", b"<html><head><title>Length Required</title></head></html>", {},
     pledger.InvalidArgument, 2, "Length Required"),
    (417, "text/html", b"<html><head><title>Expectation Failed</title></head></html>", {},
     pledger.InvalidArgument, 2, "Expectation Failed"),
    (500, "text/html", b"<html>Internal application error</html>", {}, pledger.IOFailure, 5,
     "HTTP 500"),
    (504, "text/html", b"<html>gateway timeout</html>", {}, pledger.IOFailure, 5, "HTTP 504"),
    (505, "text/html", b"<html><head><title>HTTP Version Not Supported</title></head></html>",
     {}, pledger.InvalidArgument, 2, "Version Not Supported"),
]

#: every status pledgerd (service.c, params.c, routes.c) or its
#: libmicrohttpd answers, and those of a proxy before it
STATUSES = (400, 401, 403, 404, 405, 409, 411, 413, 414, 415, 417, 429, 431, 500, 501, 502,
            503, 504, 505)

#: the exit statuses a status may end the command line with, whatever
#: code came with it: the status's kind (a 409 a refusal, or a review that
#: stops the filing; a 403 a refusal, or a registry opened read-only)
STATUS_EXITS = {400: {2}, 401: {4}, 403: {4, 5}, 404: {3}, 409: {4, 1}, 429: {75},
                500: {5}, 501: {5}, 503: {75}}


def _loopback_server(handler: type) -> http.server.ThreadingHTTPServer:
    """@handler's server on 127.0.0.1: on a port of $PLEDGER_TEST_PORTS
    (FIRST-LAST, a range this run may use) when set, else any free one."""
    ports = os.environ.get("PLEDGER_TEST_PORTS")
    if not ports:
        return http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    first, _, last = ports.partition("-")
    for port in range(int(first), int(last) + 1):
        try:
            return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        except OSError:
            continue
    raise RuntimeError(f"no free port in PLEDGER_TEST_PORTS={ports}")


class _Canned:
    """A stand-in service answering every request with the answer set."""

    def __init__(self) -> None:
        self.answer: tuple[int, str, bytes, dict[str, str]] = (200, "text/plain", b"", {})
        canned = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _reply(self) -> None:
                n = int(self.headers.get("Content-Length") or 0)
                if n:
                    self.rfile.read(n)
                status, ctype, body, headers = canned.answer
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = _reply   # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.srv = _loopback_server(Handler)
        self.url = f"http://127.0.0.1:{self.srv.server_port}"
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.srv.shutdown()
        self.srv.server_close()


@pytest.fixture(scope="module")
def canned() -> Iterator[_Canned]:
    c = _Canned()
    yield c
    c.close()


@pytest.mark.parametrize("status,ctype,body,headers,exc,exit_status,said", ANSWERS,
                         ids=[f"{a[0]}-{a[1].split('/')[1]}-{a[4].__name__}" for a in ANSWERS])
def test_every_status_is_the_local_exception_and_a_documented_exit(
        canned: _Canned, status: int, ctype: str, body: bytes, headers: dict[str, str],
        exc: type, exit_status: int, said: str) -> None:
    canned.answer = (status, ctype, body, headers)
    client = pledger.connect(canned.url, token="bank-1.secret")
    calls = (lambda: client.verify(NUMBER, at=pledger.types.from_us(10**15)),
             lambda: client.submit("00000000-0000-4000-8000-000000000000"),
             lambda: list(client.search(party_id="91350100M000100Y43")))
    for call in calls:
        with pytest.raises(pledger.Error) as e:
            call()
        # exactly the class (IOFailure is no Busy, Busy no IOFailure)
        assert type(e.value) is exc, (status, e.value)
        assert said in str(e.value), (status, e.value)
        if exc is pledger.Busy:
            want = headers.get("Retry-After")
            assert e.value.retry_after == (int(want) if want else None)
    r = run_cli("verify", NUMBER, "--at", "2024-04-01", "--url", canned.url,
                "--token", "bank-1.secret")
    assert r.status == exit_status, (status, r)
    assert len(r.err.strip().splitlines()) == 1 and said in r.err, (status, r)
    assert "Traceback" not in r.err
    r = run_cli("verify", NUMBER, "--url", canned.url, "--token", "bank-1.secret", "--json")
    err = r.error()
    assert r.status == exit_status and err["status"] == exit_status, (status, r)
    assert err["kind"] == exc.__name__, (status, err)
    want = headers.get("Retry-After") if exc is pledger.Busy else None
    assert err.get("retry_after") == (int(want) if want else None), err


def test_a_busy_registry_file_exits_75_as_a_busy_service(tmp_path) -> None:
    """The exit status is the exception's, whichever registry raised it: a
    file locked past the busy timeout is the same "try again later"."""
    import sqlite3
    from conftest import sample_path
    db = tmp_path / "reg.db"
    pledger.open(str(db), office="FZ01").close()
    lock = sqlite3.connect(str(db), isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")
    try:
        r = run_cli("apply", "--db", str(db), "--actor", "applicant-1",
                    str(sample_path(pledger.Kind.TRADEMARK)), "--json")
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert r.status == 75 and r.error()["kind"] == "Busy", r


def test_failures_of_the_connection_are_io_failures_that_say_so(tmp_path) -> None:
    """A service not listening, one that never answers (the timeout), one
    whose certificate is not taken, and TLS spoken to a plain server:
    pledger.IOFailure naming the address, exit status 5, one line."""
    # a port that is bound and listening but never answers
    silent = _loopback_server(http.server.BaseHTTPRequestHandler)
    silent_url = f"https://127.0.0.1:{silent.server_port}"   # never served: no thread
    plain = _Canned()   # TLS spoken to a plain HTTP server
    # a port nothing listens on (a server made and closed, the last made)
    closed = _loopback_server(http.server.BaseHTTPRequestHandler)
    closed_url = f"http://127.0.0.1:{closed.server_port}"
    closed.server_close()
    try:
        cases = [
            (closed_url, {}, "Connection refused"),
            (silent_url, {"timeout": 0.5}, "no answer within 0.5 s"),
            (plain.url.replace("http://", "https://"), {}, "https://127.0.0.1"),
        ]
        for url, kw, said in cases:
            client = pledger.connect(url, token="bank-1.secret", **kw)
            with pytest.raises(pledger.IOFailure) as e:
                client.verify(NUMBER)
            assert said in str(e.value) and url in str(e.value), (url, e.value)
        for url, said in ((closed_url, "Connection refused"),
                          (plain.url.replace("http://", "https://"), "https://127.0.0.1")):
            r = run_cli("verify", NUMBER, "--url", url, "--token", "bank-1.secret")
            assert r.status == 5 and said in r.err, (url, r)
            assert len(r.err.strip().splitlines()) == 1, r
    finally:
        silent.server_close()
        plain.close()


def test_identifiers_and_keys_too_long_are_named_not_refused_as_a_path(canned: _Canned) -> None:
    """A number, a UUID or a key far over any limit is cut before it is
    sent: the service refuses it naming it (its library's message), not as
    a path over 4,096 bytes (414) or a head over what it reads (431, HTML,
    naming nothing)."""
    seen: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def _reply(self) -> None:
            seen.append(self.path + " " + (self.headers.get("Idempotency-Key") or ""))
            body = _error(-1, "PLEDGER_EINVAL", "x")
            self.send_response(400)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            n = int(self.headers.get("Content-Length") or 0)
            if n:
                self.rfile.read(n)
            self.wfile.write(body)

        do_GET = do_POST = _reply   # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    srv = _loopback_server(Recorder)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        client = pledger.connect(f"http://127.0.0.1:{srv.server_port}", token="bank-1.secret")
        from conftest import sample
        app = sample(pledger.Kind.TRADEMARK)
        for call in (lambda: client.verify("R" * 50000), lambda: client.submit("u" * 50000),
                     lambda: client.verify("质" * 20000),
                     lambda: client.save(app, key="k" * 50000)):
            with pytest.raises(pledger.InvalidArgument):
                call()
        assert len(seen) == 4
        for line in seen:
            assert len(line.encode()) < 4096 + 100, len(line)
    finally:
        srv.shutdown()
        srv.server_close()


def test_a_long_call_is_waited_for_past_the_clients_timeout() -> None:
    """The client's timeout (30 s by default) is for the quick calls: the
    journal's and the reports' verifications, a bulk filing and a batch
    of the data line take long on the service and are waited for (11
    minutes at least), not abandoned while the service goes on (a
    verification holding the one slot, a filing done without its answer)."""
    import time

    class Slow(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:      # noqa: N802
            time.sleep(1.5)
            body = json.dumps({"intact": True, "bad_seq": None, "bad_number": None,
                               "count": 3, "message": ""}).encode()
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass        # the client gave up (the quick call)

        def log_message(self, *args: object) -> None:
            pass

    srv = _loopback_server(Slow)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        client = pledger.connect(f"http://127.0.0.1:{srv.server_port}", token="a.b",
                                 timeout=0.5)
        with pytest.raises(pledger.IOFailure) as e:
            client.verify(NUMBER)
        assert "no answer within 0.5 s" in str(e.value)
        assert client.journal_verify().intact
        assert client.report_verify().count == 3
    finally:
        srv.shutdown()
        srv.server_close()


def test_every_status_with_every_code_exits_as_its_status_says(canned: _Canned) -> None:
    """Whatever library code an error answer of any status carries (one of
    pledgerd's, another server's, none known), the exception is of the
    status's kind -- the code when it agrees, the status's own when not --
    and so is the command line's exit status (75 for every 429 and 503)."""
    from pledger.cli import exit_status
    from pledger.errors import _CODES
    codes = sorted(_CODES.values()) + [-99]
    for status in STATUSES:
        kind = status if status in STATUS_EXITS else 500 if status >= 500 else 400
        for code in codes:
            canned.answer = (status, "application/json",
                             _error(code, "PLEDGER_X", f"said {status} {code}"), {})
            client = pledger.connect(canned.url, token="bank-1.secret")
            with pytest.raises(pledger.Error) as e:
                client.verify(NUMBER)
            assert exit_status(e.value) in STATUS_EXITS[kind], (status, code, e.value)
            assert e.value.http_status == status
            assert f"said {status} {code}" in str(e.value)
            if kind in (429, 503):
                assert type(e.value) is pledger.Busy, (status, code)
    r = run_cli("verify", NUMBER, "--url", canned.url, "--token", "bank-1.secret", "--json")
    assert r.status == exit_status(e.value), r


@pytest.mark.parametrize("token", [None, "bank-1.wrong"])
def test_a_401_tells_the_command_line_how_to_give_a_token(canned: _Canned,
                                                           token: str | None) -> None:
    """No token, or one the service does not take: the one line says to
    give the token with --token or $PLEDGER_TOKEN (the client's exception,
    with token=); exit status 4."""
    canned.answer = (401, "application/json",
                     _error(-5, "PLEDGER_EPERM", "this request needs a token (Authorization: "
                            "Bearer NAME.SECRET)" if token is None else
                            "the token is not one of this service's"),
                     {"WWW-Authenticate": 'Bearer realm="pledgerd"'})
    with pytest.raises(pledger.PermissionDenied) as e:
        pledger.connect(canned.url, token=token).verify(NUMBER)
    assert "token=" in str(e.value) and e.value.http_status == 401
    args = ["verify", NUMBER, "--url", canned.url] + (["--token", token] if token else [])
    r = run_cli(*args, env={"PLEDGER_TOKEN": ""})
    assert r.status == 4 and len(r.err.strip().splitlines()) == 1, r
    assert "--token" in r.err and "$PLEDGER_TOKEN" in r.err, r
    assert ("no token was given" in r.err) == (token is None), r
    assert ("is not taken" in r.err) == (token is not None), r
    r = run_cli(*args, "--json", env={"PLEDGER_TOKEN": ""})
    assert r.status == 4 and "--token" in r.error()["error"], r
    assert "$PLEDGER_TOKEN" in r.error()["message"] and "token=" not in r.error()["message"], r


def test_a_403_says_the_accounts_role_may_not(canned: _Canned) -> None:
    """A 403 says that the token's account, with its role, may not do
    this: the service's message when it names the account and its role
    (the library's refusal, the same line as from a file), else naming
    the account the token names."""
    canned.answer = (403, "application/json", _error(
        -5, "PLEDGER_EPERM", "actor 'bank-1' has role bank; an application is shown only to "
        "applicant or clerk or registrar or auditor"), {})
    r = run_cli("verify", NUMBER, "--url", canned.url, "--token", "bank-1.secret")
    # named by the service, as the library names them from a file: the same line
    assert r.status == 4 and "'bank-1' has role bank; an application is shown only to" in r.err
    assert "may not do this" not in r.err and len(r.err.strip().splitlines()) == 1, r
    canned.answer = (403, "application/json", _error(-5, "PLEDGER_EPERM", "refused"), {})
    r = run_cli("verify", NUMBER, "--url", canned.url, "--token", "bank-9.secret")
    assert r.status == 4 and "the account bank-9 may not do this" in r.err, r
    assert len(r.err.strip().splitlines()) == 1, r
    # a registry opened read-only is no role's refusal
    canned.answer = (403, "application/json", _error(-6, "PLEDGER_EREADONLY", "read-only"), {})
    r = run_cli("verify", NUMBER, "--url", canned.url, "--token", "bank-9.secret")
    assert r.status == 5 and "may not do this" not in r.err, r


#: what a server's message could carry to drive or mislead a terminal
HOSTILE = "R\u202e1\u2066x\u200b\x1b[31m\x9b2J\u2028\U000e0041"


def test_a_servers_message_is_shown_not_obeyed(canned: _Canned) -> None:
    """A message of the server's with control, bidirectional or invisible
    characters in it (another server than pledgerd, which writes them out
    itself): the client's exception and the command line write each out
    (\\x1b, \\u202E), in text and in --json; the findings and the
    journal's message too."""
    canned.answer = (404, "application/json", _error(-2, "PLEDGER_ENOTFOUND",
                                                     f"no pledge is registered as '{HOSTILE}'"), {})
    with pytest.raises(pledger.NotFound) as e:
        pledger.connect(canned.url, token="bank-1.secret").verify(NUMBER)
    want = "R\\u202E1\\u2066x\\u200B\\x1b[31m\\x9b2J\\u2028\\U000E0041"
    assert want in str(e.value) and want in e.value.library_message, str(e.value)
    r = run_cli("verify", NUMBER, "--url", canned.url, "--token", "bank-1.secret")
    assert r.status == 3 and want in r.err, r
    assert all(not pledger.errors.unseen(ch) for ch in r.err.rstrip("\n")), ascii(r.err)
    r = run_cli("verify", NUMBER, "--url", canned.url, "--token", "bank-1.secret", "--json")
    assert all(not pledger.errors.unseen(ch) for ch in r.err.rstrip("\n")), ascii(r.err)
    assert want in r.error()["message"], r
    canned.answer = (200, "application/json", json.dumps(
        {"intact": False, "bad_seq": 3, "count": 2, "message": HOSTILE,
         "time_zone": "UTC"}).encode(), {})
    check = pledger.connect(canned.url, token="a.b").journal_verify()
    assert check.message == want, check
    r = run_cli("journal-verify", "--url", canned.url, "--token", "a.b")
    assert r.status == 1 and want in r.out + r.err, r
    assert all(not pledger.errors.unseen(ch) for ch in (r.out + r.err).replace("\n", "")), r
