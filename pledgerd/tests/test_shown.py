"""What a client sends, as the service's messages quote it, and what it
sends that would be read otherwise than sent.

A message may quote the path, a query parameter, a header, the body:
each character in it that a terminal or a log viewer obeys or hides
rather than shows (a control character, a bidirectional or invisible
format character, a line separator) is written out (\\x1b, \\u202E), by
one helper (jsonw.c, jw_shown) every message goes through.  A header
value with a NUL in it would be read up to the NUL, another value than
the one sent: it is refused, 400, naming the header (a query parameter's
%00 is, in params.c)."""
from __future__ import annotations

import json
import socket
import ssl
import subprocess
import unicodedata
import urllib.parse

import pledger
from pledger.errors import unseen
from test_pledgerd import sample, site  # noqa: F401 (site: the fixture)

#: every character Unicode (as this Python knows it) says is a format
#: character or a separator: each must be written out
FORMAT = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) in ("Cf", "Zl", "Zp")]


#: what no text given to the library may hold (a control character, a
#: line or paragraph separator, a bidirectional control, U+FFFE/F): a
#: number holding one is refused (400) naming its code point, not quoted
REFUSED = {chr(c) for c in [*range(0x20), *range(0x7f, 0xa0), 0x2028, 0x2029, 0x061C, 0x200E,
                            0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFFFE,
                            0xFFFF]}


def _written_out(ch: str) -> str:
    cp = ord(ch)
    if cp < 0x20 or 0x7f <= cp <= 0x9f:
        return f"\\x{cp:02x}"
    return f"\\u{cp:04X}" if cp <= 0xFFFF else f"\\U{cp:08X}"


def _message(body: str) -> str:
    message = json.loads(body)["error"]["message"]
    assert not any(unseen(ch) for ch in message), ascii(message)
    return message


def test_client_input_in_a_message_is_written_out(site: dict) -> None:
    """The path (every format character Unicode has, C0 and C1 controls),
    a query parameter, the Content-Type and Content-Encoding headers and a
    body's attribute, each with characters that would turn the message
    around or drive the terminal: quoted written out, by curl and by the
    Python client, whose exception says the same."""
    d, t = site["d"], site["tokens"]
    # the path: every format character the library takes, in numbers of at
    # most 96 bytes, quoted written out in the 404
    chunks, chunk = [], ""
    for ch in [f for f in FORMAT if f not in REFUSED]:
        if len(("R" + chunk + ch).encode()) > 90:
            chunks.append(chunk)
            chunk = ""
        chunk += ch
    chunks.append(chunk)
    for chunk in chunks:
        number = "R" + chunk
        status, _, body = d.curl("/v1/pledges/" + urllib.parse.quote(number, safe=""),
                                 t["bank"])
        assert status == 404, (status, body)
        assert "".join(_written_out(ch) for ch in chunk) in _message(body), ascii(body)
    # one it refuses (controls, separators, bidirectional controls): 400,
    # the character named by its code point, nothing quoted raw
    for ch in sorted(REFUSED - {"\x00"}):
        status, _, body = d.curl("/v1/pledges/" + urllib.parse.quote("R1" + ch + "2", safe=""),
                                 t["bank"])
        assert status == 400, (ascii(ch), status, body)
        assert f"U+{ord(ch):04X} at character 3" in _message(body), ascii(body)
    # what the Python client raises: the same message
    try:
        pledger.connect(d.url, token=t["bank"], cafile=str(d.cert)).verify("R\u2060" "1\u200b")
    except pledger.NotFound as e:
        assert "R\\u20601\\u200B" in str(e) and not any(unseen(ch) for ch in str(e)), ascii(e)
    else:
        raise AssertionError("found")
    # query parameters the library's message quotes
    for query, want in (("as_of=2026-01-0%E2%80%8B1", "2026-01-0\\u200B1"),
                        ("registered_from=2026%C2%AD-01-01", "2026\\u00AD-01-01")):
        status, _, body = d.curl("/v1/pledges?" + query, t["bank"])
        assert status == 400 and want in _message(body), (query, body)
    # headers a message quotes
    p = subprocess.run(["curl", "-sS", "--cacert", str(d.cert), "-H", f"Authorization: Bearer "
                        f"{t['applicant']}", "-H", "Content-Type: text/\u202eplain",
                        "--data-binary", "<a/>", f"{d.url}/v1/applications"],
                       capture_output=True, text=True, timeout=60)
    assert "text/\\u202Eplain" in _message(p.stdout), p
    status, _, body = d.curl("/v1/applications", t["applicant"], b"<a/>",
                             headers=("Content-Encoding: g\u2066zip",))
    assert status == 415 and "g\\u2066zip" in _message(body), body
    # a header's name that is no token
    status, _, body = d.curl("/v1/status", headers=("X-\u202e: 1",))
    assert status == 400 and "X-\\u202E" in _message(body), body
    # the body, as the XML parser quotes it
    doc = sample("app-trademark.xml").replace(b'kind="trademark"', 'kind="t\u2060m"'.encode())
    assert b"\xe2\x81\xa0" in doc
    status, _, body = d.curl("/v1/applications", t["applicant"], doc)
    assert status == 400 and "t\\u2060m" in _message(body), body
    # a bidirectional control there is refused by its code point
    doc = sample("app-trademark.xml").replace(b'kind="trademark"', 'kind="t\u202em"'.encode())
    status, _, body = d.curl("/v1/applications", t["applicant"], doc)
    assert status == 400 and "@kind: U+202E at character 2" in _message(body), body


def _raw(d, head: bytes) -> tuple[int, str]:
    """@head sent as it is on a TLS connection: the status and the body."""
    ctx = ssl.create_default_context(cafile=str(d.cert))
    with socket.create_connection(("127.0.0.1", d.port), timeout=30) as s, \
            ctx.wrap_socket(s, server_hostname="127.0.0.1") as c:
        c.sendall(head)
        data = b""
        while True:
            b = c.recv(65536)
            if not b:
                break
            data += b
    head_part, _, body = data.partition(b"\r\n\r\n")
    return int(head_part.split(b" ", 2)[1]), body.decode("utf-8")


def test_a_nul_in_a_header_value_is_refused_naming_the_header(site: dict) -> None:
    """A NUL byte in a header's value -- the token's, a key's, any other,
    first, between or last, at its start, middle or end (but for the end
    of the last header's: libmicrohttpd 0.9 leaves no trace of a NUL just
    before the last line's end) -- is refused with
    400 naming the header, not read up to the NUL ("Authorization: Bearer
    TOKEN<NUL>junk" was taken as TOKEN, "Idempotency-Key: K<NUL>A" and
    "K<NUL>B" as K).  The same requests without the NUL are answered; so
    are lines ended by LF alone, and values with white space after them."""
    d, t = site["d"], site["tokens"]
    path = f"/v1/pledges/{site['number']}".encode()
    token = t["bank"].encode()

    def head(*lines: bytes) -> bytes:
        return b"GET " + path + b" HTTP/1.1\r\n" + b"".join(lines) + b"\r\n"

    auth = b"Authorization: Bearer " + token + b"\r\n"
    close = b"Connection: close\r\n"
    host = b"Host: 127.0.0.1\r\n"
    refused = [
        ("Authorization", head(host, b"Authorization: Bearer " + token + b"\0junk\r\n", close)),
        ("Authorization", head(host, close, b"Authorization: Bearer " + token + b"\0x\r\n")),
        ("Idempotency-Key", head(host, auth, b"Idempotency-Key: k\0a\r\n", close)),
        ("Idempotency-Key", head(host, auth, b"Idempotency-Key: k\0\r\n", close)),
        ("Accept-Language", head(host, auth, close, b"Accept-Language: zh\0x\r\n")),
        ("X-Anything", head(b"X-Anything: \0a\r\n", host, auth, close)),
        ("Host", head(b"Host: 127.0.0.1\0.example\r\n", auth, close)),
        ("Content-Type", head(host, auth, b"Content-Type: application/xml\0x\n", close)),
    ]
    for name, request in refused:
        status, body = _raw(d, request)
        assert status == 400, (request, status, body)
        message = _message(body)
        assert f"the header '{name}' holds a NUL byte" in message, (request, message)
    for request in (head(host, auth, close), head(host, auth, b"X-Empty:\r\n", close),
                    head(host, b"Authorization: Bearer " + token + b" \t\r\n", close),
                    head(host, b"X-A: 1\n", auth.replace(b"\r\n", b"\n"), close)):
        status, body = _raw(d, request)
        assert status == 200, (request, status, body)


def test_a_nul_in_a_query_parameter_is_refused_naming_it(site: dict) -> None:
    """%00 in a query parameter's value or name, sent by curl: 400 naming
    the parameter (its name with the NUL as %00), not read up to it."""
    d, bank = site["d"], site["tokens"]["bank"]
    for query, want in (("party_name=a%00b", "query parameter party_name: holds a NUL byte"),
                        ("party_id=%00", "query parameter party_id: holds a NUL byte"),
                        ("party%00_name=a", "query parameter party%00_name: its name holds a "
                                            "NUL byte")):
        status, _, body = d.curl("/v1/pledges?" + query, bank)
        assert status == 400 and want in _message(body), (query, body)
    p = subprocess.run(["curl", "-sS", "-g", "--cacert", str(d.cert), "-H",
                        f"Authorization: Bearer {bank}",
                        f"{d.url}/v1/pledges/{site['number']}?code=a%00b"],
                       capture_output=True, text=True, timeout=60)
    assert "query parameter code: holds a NUL byte" in p.stdout, p
