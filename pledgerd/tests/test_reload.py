"""SIGHUP reads the TLS certificate and key again, with the accounts: new
connections get the new certificate (seen with openssl s_client and curl,
the peer tools), connections made before finish their requests with the
old one, a certificate or key that does not load is refused with a line
naming the file while the old certificate stays, and SIGTERM after a
reload still drains and exits 0."""
from __future__ import annotations

import http.client
import json
import os
import pathlib
import re
import signal
import socket
import ssl
import subprocess
import threading
import time
from typing import Iterator

import pytest

import pledger
from test_pledgerd import PLEDGERD, Daemon


def make_pair(tmp: pathlib.Path, name: str) -> tuple[pathlib.Path, pathlib.Path]:
    """A self-signed certificate for 127.0.0.1 (its own subject, a random
    serial) and its key: NAME.pem, NAME.key."""
    cert, key = tmp / f"{name}.pem", tmp / f"{name}.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", f"/CN=127.0.0.1/O=pledgerd test {name}",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return cert, key


def install(tmp: pathlib.Path, cert: pathlib.Path | bytes, key: pathlib.Path | bytes) -> None:
    """Put a certificate and key where the daemon's configuration names
    them (cert.pem, key.pem), each replaced at once as an operator would."""
    for src, dst in ((cert, tmp / "cert.pem"), (key, tmp / "key.pem")):
        data = src if isinstance(src, bytes) else src.read_bytes()
        (tmp / "new.tmp").write_bytes(data)
        os.replace(tmp / "new.tmp", dst)


def fingerprint(pem: str) -> str:
    p = subprocess.run(["openssl", "x509", "-noout", "-fingerprint", "-sha256"], input=pem,
                       capture_output=True, text=True, check=True)
    return p.stdout.strip()


def served(d: Daemon) -> str:
    """The fingerprint of the certificate a new connection gets."""
    p = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{d.port}",
                        "-showcerts"], stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=30)
    m = re.search(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", p.stdout, re.S)
    assert m, p.stdout + p.stderr
    return fingerprint(m.group(0))


def curl_status(d: Daemon, cacert: pathlib.Path, token: str | None = None) -> tuple[int, str]:
    """(curl's exit status, its stderr) for GET /v1/pledges?page_size=1
    (/v1/status without @token), trusting only @cacert."""
    path = "/v1/pledges?page_size=1" if token else "/v1/status"
    args = ["curl", "-sS", "-f", "-o", "/dev/null", "--cacert", str(cacert), d.url + path]
    if token:
        args += ["-H", f"Authorization: Bearer {token}"]
    p = subprocess.run(args, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stderr


class Log:
    """The daemon's stderr, read as it comes."""

    def __init__(self, d: Daemon) -> None:
        self.lines: list[str] = []
        self.thread = threading.Thread(target=self._read, args=(d.proc.stderr,), daemon=True)
        self.thread.start()

    def _read(self, f) -> None:
        for line in f:
            self.lines.append(line)

    def text(self) -> str:
        return "".join(self.lines)

    def wait(self, needle: str, after: int = 0, timeout: float = 20) -> str:
        """The first line from line @after on that has @needle."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for line in self.lines[after:]:
                if needle in line:
                    return line
            time.sleep(0.05)
        pytest.fail(f"no line with {needle!r} in the log:\n{self.text()}")


def new_account(tmp: pathlib.Path, name: str) -> str:
    """Add an account (a bank) to the accounts file: its token."""
    p = subprocess.run([PLEDGERD, "token", name, "bank"], capture_output=True, text=True,
                       check=True)
    accounts = tmp / "accounts"
    accounts.write_text(accounts.read_text() + p.stdout)
    return p.stderr.strip()


def prepare(tmp: pathlib.Path) -> tuple[str, tuple[pathlib.Path, pathlib.Path]]:
    """A registry, an accounts file with a bank, certificate A installed:
    the bank's token, A."""
    with pledger.open(str(tmp / "reg.db"), office="FZ01"):
        pass
    (tmp / "accounts").write_text("# name role salt hash\n")
    (tmp / "accounts").chmod(0o600)     # its owner's to write, whatever the umask
    bank = new_account(tmp, "bank-1")
    a = make_pair(tmp, "a")
    install(tmp, *a)
    return bank, a


@pytest.fixture
def place(tmp_path: pathlib.Path) -> Iterator[dict]:
    """pledgerd serving what prepare() made (its log read as it comes)."""
    bank, a = prepare(tmp_path)
    d = Daemon(tmp_path)
    log = Log(d)
    try:
        yield {"tmp": tmp_path, "d": d, "log": log, "bank": bank, "a": a}
    finally:
        status = d.stop()
        log.thread.join(timeout=30)
    assert status == 0, log.text()
    assert "stopping" in log.text()


def context(cacert: pathlib.Path) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=str(cacert))
    ctx.check_hostname = False   # the certificates name IP:127.0.0.1
    return ctx


def read_answer(sock: ssl.SSLSocket) -> tuple[int, dict[str, str], bytes]:
    """An HTTP/1.1 answer with a Content-Length read whole from @sock."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in lines[1:])}
    while len(body) < int(headers["content-length"]):
        chunk = sock.recv(65536)
        assert chunk, body
        body += chunk
    return int(lines[0].split()[1]), headers, body


def half_sent(d: Daemon, cacert: pathlib.Path, token: str) -> tuple[ssl.SSLSocket, bytes]:
    """A request under way: a POST whose headers are sent and its body
    half; the socket and the rest of the body."""
    sock = context(cacert).wrap_socket(socket.create_connection(("127.0.0.1", d.port),
                                                                timeout=30))
    body = b"<not-an-application/>" * 50
    sock.sendall(b"POST /v1/applications HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 b"Authorization: Bearer " + token.encode() + b"\r\n"
                 b"Content-Type: application/xml\r\n"
                 b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body[:100])
    return sock, body[100:]


def finish(sock: ssl.SSLSocket, rest: bytes) -> tuple[int, dict[str, str], dict]:
    """Send the rest of a half_sent request: its answer (an error: the
    body is no application), whole."""
    sock.sendall(rest)
    status, headers, answer = read_answer(sock)
    assert 400 <= status < 500, (status, answer)
    return status, headers, json.loads(answer)


def test_sighup_serves_the_new_certificate(place: dict) -> None:
    tmp, d, log, bank = place["tmp"], place["d"], place["log"], place["bank"]
    a_cert, _ = place["a"]
    b_cert, b_key = make_pair(tmp, "b")
    fa, fb = fingerprint(a_cert.read_text()), fingerprint(b_cert.read_text())
    assert fa != fb
    assert served(d) == fa
    assert curl_status(d, a_cert, bank)[0] == 0
    assert curl_status(d, b_cert)[0] != 0

    # before the reload: a keep-alive connection with one answer behind it,
    # and a request whose body is half sent
    keep = http.client.HTTPSConnection("127.0.0.1", d.port, context=context(a_cert), timeout=30)
    keep.request("GET", "/v1/status")
    first = keep.getresponse()
    assert first.status == 200 and first.getheader("Connection") != "close"
    first.read()
    slow, rest = half_sent(d, a_cert, bank)

    # the renewal: a new pair in place, a new account, one SIGHUP
    install(tmp, b_cert, b_key)
    bank2 = new_account(tmp, "bank-2")
    assert curl_status(d, a_cert, bank2)[0] != 0     # not yet an account
    mark = len(log.lines)
    d.proc.send_signal(signal.SIGHUP)
    line = log.wait("certificate reloaded", mark)
    assert str(tmp / "cert.pem") in line and "pledgerd test b" in line, line
    log.wait("accounts reloaded", mark)

    # new connections get B: curl trusts it with B, not with A
    assert served(d) == fb
    rc, err = curl_status(d, b_cert, bank2)
    assert rc == 0, err
    rc, err = curl_status(d, a_cert)
    assert rc != 0 and "certificate" in err, err
    assert d.json("/v1/status")["service"] == "pledgerd"   # Daemon trusts cert.pem: B now

    # the connections made before finish with A, and are then closed
    status, headers, answer = finish(slow, rest)
    assert "error" in answer and headers.get("connection") == "close", (headers, answer)
    assert fingerprint(ssl.DER_cert_to_PEM_cert(slow.getpeercert(binary_form=True))) == fa
    slow.close()
    assert keep.sock is not None     # the same connection again, not a new one
    assert fingerprint(ssl.DER_cert_to_PEM_cert(keep.sock.getpeercert(binary_form=True))) == fa
    keep.request("GET", "/v1/status")
    second = keep.getresponse()
    assert second.status == 200 and json.loads(second.read())["service"] == "pledgerd"
    assert second.getheader("Connection") == "close"
    keep.close()
    log.wait("previous certificate's connections are done", mark)
    assert "reload refused" not in log.text()


def test_a_broken_certificate_is_refused(place: dict) -> None:
    tmp, d, log = place["tmp"], place["d"], place["log"]
    a_cert, a_key = place["a"]
    fa = fingerprint(a_cert.read_text())
    b_cert, b_key = make_pair(tmp, "b")
    c_cert, c_key = make_pair(tmp, "c")

    mark = len(log.lines)
    d.proc.send_signal(signal.SIGHUP)   # nothing changed
    log.wait("certificate unchanged", mark)
    assert served(d) == fa

    cert, key = str(tmp / "cert.pem"), str(tmp / "key.pem")
    for n, (new_cert, new_key, names) in enumerate((
            (b"not a certificate\n", b_key, cert),              # not PEM
            (b_cert, b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", key),
            (b_cert, c_key, key),                               # another pair's key
            (a_cert.read_bytes()[:200], a_key, cert),           # cut short
    )):
        install(tmp, new_cert, new_key)
        token = new_account(tmp, f"bank-{n + 2}")   # the accounts are still read
        mark = len(log.lines)
        d.proc.send_signal(signal.SIGHUP)
        line = log.wait("reload refused, the certificate stays", mark)
        assert names in line, line
        log.wait("accounts reloaded", mark)
        assert served(d) == fa, line
        rc, err = curl_status(d, a_cert, token)
        assert rc == 0, err
    # missing: the file is named too
    (tmp / "key.pem").unlink()
    mark = len(log.lines)
    d.proc.send_signal(signal.SIGHUP)
    line = log.wait("reload refused, the certificate stays", mark)
    assert f"tls_key {key}: No such file" in line, line
    assert served(d) == fa
    # a broken accounts file with a good pair: each part on its own
    saved = (tmp / "accounts").read_text()
    (tmp / "accounts").write_text("broken line\n")
    install(tmp, c_cert, c_key)
    mark = len(log.lines)
    d.proc.send_signal(signal.SIGHUP)
    log.wait("certificate reloaded", mark)
    assert "line 1" in log.wait("reload refused, the accounts stay", mark)
    (tmp / "accounts").write_text(saved)
    assert served(d) == fingerprint(c_cert.read_text())
    assert curl_status(d, c_cert, place["bank"])[0] == 0


def test_a_broken_certificate_at_start(tmp_path: pathlib.Path) -> None:
    """The same checks at start: the file at fault is named."""
    prepare(tmp_path)
    _, b_key = make_pair(tmp_path, "b")
    install(tmp_path, tmp_path / "a.pem", b_key)
    with pytest.raises(RuntimeError, match=f"tls_key {tmp_path / 'key.pem'} is not the key"):
        Daemon(tmp_path)
    install(tmp_path, b"", tmp_path / "a.key")
    with pytest.raises(RuntimeError, match=f"tls_cert {tmp_path / 'cert.pem'}: not a PEM"):
        Daemon(tmp_path)


def test_sigterm_after_reloads(place: dict) -> None:
    """Two reloads while connections to the first two daemons stay open
    (idle, kept alive) and a request to the first is half sent (its body):
    three daemons at once.  SIGTERM lets the request finish, does not wait
    for the idle connections, and exits 0 (under the sanitizers: nothing
    leaked)."""
    tmp, d, log = place["tmp"], place["d"], place["log"]
    a_cert, _ = place["a"]
    slow, rest = half_sent(d, a_cert, place["bank"])
    held = []
    for name in ("b", "c"):
        ca_copy = tmp / f"trust-before-{name}.pem"
        ca_copy.write_bytes((tmp / "cert.pem").read_bytes())
        conn = http.client.HTTPSConnection("127.0.0.1", d.port, context=context(ca_copy),
                                           timeout=30)
        conn.request("GET", "/v1/status")
        assert conn.getresponse().read()
        held.append(conn)
        install(tmp, *make_pair(tmp, name))
        mark = len(log.lines)
        d.proc.send_signal(signal.SIGHUP)
        log.wait("certificate reloaded", mark)
    assert served(d) == fingerprint((tmp / "c.pem").read_text())
    assert "connections are done" not in log.text()     # all still held
    start = time.monotonic()
    mark = len(log.lines)
    d.proc.send_signal(signal.SIGTERM)
    log.wait("stopping", mark)
    time.sleep(0.3)
    assert d.proc.poll() is None      # the request under way is waited for
    status, headers, answer = finish(slow, rest)
    assert "error" in answer and headers.get("connection") == "close", (headers, answer)
    slow.close()
    assert d.proc.wait(timeout=30) == 0
    assert time.monotonic() - start < 8    # the idle ones were not waited for
    for conn in held:
        conn.close()


def dated_pair(tmp: pathlib.Path, name: str, start: str, end: str
               ) -> tuple[pathlib.Path, pathlib.Path]:
    """A self-signed certificate for 127.0.0.1 valid from @start to @end
    (YYYYMMDDHHMMSSZ), made with `openssl ca` (req cannot date one), and
    its key: NAME.pem, NAME.key."""
    d = tmp / f"ca-{name}"
    d.mkdir()
    key, csr, cert = tmp / f"{name}.key", d / "r.csr", tmp / f"{name}.pem"
    subprocess.run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", str(key), "-out", str(csr),
                    "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
    (d / "index.txt").write_text("")
    (d / "serial").write_text("01\n")
    (d / "ca.cnf").write_text(
        f"[ca]\ndefault_ca = d\n[d]\ndatabase = {d / 'index.txt'}\nnew_certs_dir = {d}\n"
        f"serial = {d / 'serial'}\ndefault_md = sha256\npolicy = p\n[p]\n"
        "commonName = supplied\n")
    subprocess.run(["openssl", "ca", "-batch", "-config", str(d / "ca.cnf"), "-selfsign",
                    "-keyfile", str(key), "-in", str(csr), "-out", str(cert), "-notext",
                    "-startdate", start, "-enddate", end], check=True, capture_output=True)
    return cert, key


def test_a_certificate_out_of_its_dates_is_refused(place: dict,
                                                   tmp_path: pathlib.Path) -> None:
    """An expired certificate, or one not valid yet, is refused at a
    reload naming the file and its dates (every client would refuse it:
    the service would stop for all of them); the one in service stays.
    At start it is refused the same way."""
    tmp, d, log = place["tmp"], place["d"], place["log"]
    fa = served(d)
    old = dated_pair(tmp, "old", "20200101000000Z", "20200102000000Z")
    future = dated_pair(tmp, "future", "20400101000000Z", "20410101000000Z")
    for (cert, key), words in ((old, "expired (valid until 2020-01-02"),
                               (future, "not valid yet (valid from 2040-01-01")):
        install(tmp, cert, key)
        mark = len(log.lines)
        d.proc.send_signal(signal.SIGHUP)
        line = log.wait("reload refused, the certificate stays", mark)
        assert words in line and str(tmp / "cert.pem") in line, line
        assert served(d) == fa
    start = tmp_path / "start"
    start.mkdir()
    prepare(start)
    install(start, *old)
    with pytest.raises(RuntimeError, match="the certificate expired"):
        Daemon(start)


def test_files_saved_with_a_byte_order_mark(tmp_path: pathlib.Path) -> None:
    """A configuration and an accounts file that an editor on Windows
    saved (a UTF-8 byte order mark before the first line) are read as
    written: the mark made the first setting unknown and the first
    account's name another, whose token was then refused."""
    bank, _ = prepare(tmp_path)
    accounts = tmp_path / "accounts"
    lines = accounts.read_text().splitlines(keepends=True)
    bank_line = next(x for x in lines if x.startswith("bank-1 "))
    accounts.write_text("\ufeff" + bank_line + "".join(x for x in lines if x != bank_line),
                        encoding="utf-8")
    assert accounts.read_bytes().startswith(b"\xef\xbb\xbfbank-1 ")
    d = Daemon(tmp_path, bom=True)
    try:
        status, said = curl_status(d, tmp_path / "cert.pem", bank)
        assert status == 0, said
    finally:
        assert d.stop() == 0

