"""The service's client (pledger.connect) keeps its token to the address it
was given: a redirect is not followed (urllib sends the Authorization
header on to wherever a 3xx points, to any host and over plain HTTP), and
plain http:// with a token is taken for this machine only."""
from __future__ import annotations

import http.server
import threading
from typing import Iterator

import pytest

import pledger
from conftest import run_cli


class _Servers:
    """Two plain-HTTP servers on loopback: one answers every request with a
    redirect to the other, which records the requests it gets."""

    def __init__(self, code: int) -> None:
        self.caught: list[dict[str, str]] = []
        caught = self.caught

        class Catcher(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:      # noqa: N802 (http.server's name)
                caught.append(dict(self.headers))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: object) -> None:
                pass

        self.catcher = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Catcher)
        target = f"http://127.0.0.1:{self.catcher.server_port}"

        class Redirector(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:      # noqa: N802
                self.send_response(code)
                self.send_header("Location", target + self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_POST = do_GET   # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.redirector = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirector)
        self.url = f"http://127.0.0.1:{self.redirector.server_port}"
        for s in (self.catcher, self.redirector):
            threading.Thread(target=s.serve_forever, daemon=True).start()

    def close(self) -> None:
        for s in (self.catcher, self.redirector):
            s.shutdown()
            s.server_close()


@pytest.fixture(params=[301, 302, 303, 307, 308])
def servers(request: pytest.FixtureRequest) -> Iterator[_Servers]:
    s = _Servers(request.param)
    yield s
    s.close()


def test_a_redirect_is_not_followed(servers: _Servers) -> None:
    client = pledger.connect(servers.url, token="bank-1.secret")
    for call in (lambda: client.verify("R-FZ01-TM-2024-000001"),
                 lambda: client.search(party_id="91350100M000100Y43").__next__(),
                 lambda: client.latest_checkpoint(),
                 lambda: client.submit("00000000-0000-4000-8000-000000000000")):
        with pytest.raises(pledger.IOFailure) as e:
            call()
        assert "not followed" in str(e.value) and servers.url in str(e.value)
    assert servers.caught == []     # the token went nowhere else


def test_the_command_line_does_not_follow_a_redirect(servers: _Servers) -> None:
    r = run_cli("verify", "R-FZ01-TM-2024-000001", "--url", servers.url, "--token",
                "bank-1.secret")
    assert r.status != 0 and "not followed" in r.err, r
    assert servers.caught == []


@pytest.mark.parametrize("url", ["http://registry.example:8443", "http://10.0.0.1:8443",
                                 "http://[2001:db8::1]:8443", "http://localhost.example"])
def test_plain_http_with_a_token_is_for_this_machine_only(url: str) -> None:
    with pytest.raises(pledger.InvalidArgument) as e:
        pledger.connect(url, token="bank-1.secret")
    assert "in clear" in str(e.value) and "https://" in str(e.value)
    r = run_cli("verify", "R-1", "--url", url, "--token", "bank-1.secret")
    assert r.status == 2 and "in clear" in r.err, r
    pledger.connect(url)            # no token: nothing to keep


@pytest.mark.parametrize("url", ["http://127.0.0.1:1", "http://127.0.0.2:1",
                                 "http://[::1]:1", "http://localhost:1",
                                 "https://registry.example:8443"])
def test_loopback_or_https_is_taken(url: str) -> None:
    assert pledger.connect(url, token="bank-1.secret").url == url


@pytest.mark.parametrize("given,url", [("HTTPS://127.0.0.1:1", "https://127.0.0.1:1"),
                                       ("Https://h:8443", "https://h:8443"),
                                       ("HTTP://localhost:1", "http://localhost:1")])
def test_a_scheme_is_read_in_any_case(given: str, url: str) -> None:
    """RFC 3986: the scheme is case-insensitive; HTTPS://... was refused as
    "must be an https:// address"."""
    assert pledger.connect(given, token="bank-1.secret").url == url


@pytest.mark.parametrize("given,base", [
    ("https://h:8443/v1/", "https://h:8443"), ("https://h:8443/v1", "https://h:8443"),
    ("https://h:8443/", "https://h:8443"), ("https://gw/registry/v1/", "https://gw/registry"),
    ("https://gw/registry", "https://gw/registry"), ("https://gw/v10", "https://gw/v10")])
def test_the_address_pledgerd_prints_is_taken(given: str, base: str) -> None:
    """pledgerd says "https://host:port/v1/ serves ..." at start: that
    address, copied, reaches the same endpoints as the service's own (it
    was read as a prefix, and every request went to /v1/v1/..., "no such
    endpoint"); a proxy's prefix before it is kept."""
    assert pledger.connect(given, token="bank-1.secret").url == base


def test_requests_go_to_v1_once(tmp_path) -> None:
    """Through a server that records the paths it is asked."""
    seen: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:      # noqa: N802
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"service":"pledgerd","log_size":0}')

        def log_message(self, *args: object) -> None:
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        for suffix in ("", "/", "/v1", "/v1/"):
            c = pledger.connect(f"http://127.0.0.1:{srv.server_port}{suffix}",
                                token="bank-1.secret")
            c._request("GET", "/v1/status")
        assert seen == ["/v1/status"] * 4, seen
    finally:
        srv.shutdown()
        srv.server_close()


@pytest.mark.parametrize("url,why", [
    ("https://", "names no host"), ("https://:8443", "names no host"),
    ("https://h:99999", "not an address"), ("https://h:x", "not an address"),
    ("https://h:0", "port 0"), ("https://[::1:1", "not an address"),
    ("https://bank:s3cret@h:1", "user name or password"),
    ("https://h:1/?q=1", "query or a fragment"), ("https://h:1/#f", "query or a fragment"),
    ("https://h:1?", "query or a fragment"), ("https://h:1 /", "white space"),
    ("https://h\n:1", "white space"), ("https://h\x00:1", "control character")])
def test_an_address_is_checked_where_the_client_is_made(url: str, why: str) -> None:
    """Every request's URL is made from the address: one that names no
    host, a port that is none, credentials (never repeated in the
    message), a query or a fragment, white space or a control character
    is refused at once, naming it, not at the first request."""
    with pytest.raises(pledger.InvalidArgument) as e:
        pledger.connect(url, token="bank-1.secret")
    assert str(e.value).startswith("url ") and why in str(e.value), str(e.value)
    assert "s3cret" not in str(e.value)
    if "\0" not in url:     # (no command line holds a NUL)
        r = run_cli("verify", "R-1", "--url", url, "--token", "bank-1.secret")
        assert r.status == 2 and why in r.err and "s3cret" not in r.err, r


def test_a_cafile_that_is_none_is_named(tmp_path) -> None:
    """A certificate authority file that is missing, holds no certificate
    or is a directory is refused where the client is made, naming it (as
    cafile; on the command line as --cacert): it said "[Errno 2] No such
    file or directory", naming no file."""
    not_pem = tmp_path / "notes.txt"
    not_pem.write_text("no certificate here\n")
    for path, cls, why in ((tmp_path / "none.pem", pledger.NotFound, "no such file"),
                           (not_pem, pledger.InvalidArgument, "holds no PEM certificate"),
                           (tmp_path, pledger.InvalidArgument, "directory")):
        with pytest.raises(cls) as e:
            pledger.connect("https://127.0.0.1:1", token="bank-1.secret", cafile=str(path))
        assert str(e.value).startswith(f"cafile: {path}: ") and why in str(e.value), e.value
        r = run_cli("verify", "R-1", "--url", "https://127.0.0.1:1", "--token",
                    "bank-1.secret", "--cacert", str(path))
        assert r.status in (2, 3) and f"--cacert: {path}: " in r.err and why in r.err, r


def test_an_answer_that_is_not_the_services_json_is_an_io_failure() -> None:
    """A 2xx whose body is not pledgerd's JSON (a proxy's page, an empty
    object, a list, a cut body) is pledger.IOFailure naming the address,
    not a JSONDecodeError or a KeyError; the command line exits 5."""
    bodies = [("text/html", b"<html></html>"), ("application/json", b"{}"),
              ("application/json", b"[]"), ("application/json", b'{"number": "R-1", "sta')]
    current: list[tuple[str, bytes]] = []

    class Liar(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:      # noqa: N802
            ctype, body = current[0]
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Liar)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{srv.server_port}"
    try:
        client = pledger.connect(url, token="bank-1.secret")
        for body in bodies:
            current[:] = [body]
            for call in (lambda: client.verify("R-FZ01-TM-2024-000001"),
                         lambda: list(client.search(party_id="91350100M000100Y43"))):
                with pytest.raises(pledger.IOFailure) as e:
                    call()
                assert url in str(e.value), (body, e.value)
        current[:] = [bodies[0]]
        r = run_cli("verify", "R-FZ01-TM-2024-000001", "--url", url, "--token", "bank-1.secret")
        assert r.status == 5 and "not the service's JSON" in r.err, r
    finally:
        srv.shutdown()
        srv.server_close()
