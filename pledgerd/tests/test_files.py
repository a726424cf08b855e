"""The files pledgerd reads (its configuration, the accounts file, the
keys and the TLS certificate the configuration names) as an operator
might leave them: a FIFO or a directory in a file's place, a file others
may write, a setting given twice, an accounts line wrong in one field.
Each is refused at start (and the accounts at a SIGHUP, the old ones
staying) naming the file, the line and the setting or field."""
from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import time
from typing import Iterator

import pytest

import pledger
from test_pledgerd import PLEDGERD, Daemon, free_port


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[pathlib.Path]:
    """A registry, an accounts file with a bank, a certificate and its key,
    a report key, an office key and its public key."""
    tmp = tmp_path_factory.mktemp("files")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", str(tmp / "key.pem"),
                    "-out", str(tmp / "cert.pem"), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out",
                    str(tmp / "report.key")], check=True)
    subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-out", str(tmp / "office.key")], check=True)
    subprocess.run(["openssl", "pkey", "-in", str(tmp / "office.key"), "-pubout", "-out",
                    str(tmp / "office.pub")], check=True)
    with pledger.open(str(tmp / "reg.db"), office="FZ01"):
        pass
    p = subprocess.run([PLEDGERD, "token", "bank-1", "bank"], capture_output=True, text=True,
                       check=True)
    (tmp / "accounts").write_text("# name role salt hash\n" + p.stdout)
    (tmp / "accounts").chmod(0o600)
    (tmp / "bank.token").write_text(p.stderr.strip())
    for f in tmp.iterdir():
        f.chmod(0o600)
    yield tmp


def start(conf: pathlib.Path, text: str) -> subprocess.CompletedProcess:
    """pledgerd on the configuration @text (written to @conf, 0600): it
    must stop at once, refusing it."""
    conf.write_text(text)
    conf.chmod(0o600)
    return subprocess.run([PLEDGERD, "--config", str(conf)], capture_output=True, text=True,
                          timeout=30)


def base(tmp: pathlib.Path, **settings: str) -> str:
    lines = {"listen": f"127.0.0.1:{free_port()}", "tls_cert": str(tmp / "cert.pem"),
             "tls_key": str(tmp / "key.pem"), "registry": str(tmp / "reg.db"),
             "accounts": str(tmp / "accounts"), "report_key": f"r={tmp / 'report.key'}"}
    lines.update(settings)
    return "".join(f"{k} = {v}\n" for k, v in lines.items())


def test_a_fifo_or_a_directory_in_place_of_a_file_is_refused(files: pathlib.Path,
                                                              tmp_path: pathlib.Path) -> None:
    """A FIFO opened to be read waits for a writer: in the accounts file's
    place it held the start for ever, and at a SIGHUP the main thread,
    which then took no SIGTERM either.  It is refused, as a directory is,
    naming the file and what it is.  (The configuration, read once at
    start, may be a pipe: test_stop_asked_while_starting_is_a_stop.)"""
    fifo, folder = tmp_path / "fifo", tmp_path / "dir"
    os.mkfifo(fifo, 0o600)
    folder.mkdir(mode=0o700)
    p = subprocess.run([PLEDGERD, "--config", str(folder)], capture_output=True, text=True,
                       timeout=30)
    assert p.returncode != 0 and f"configuration {folder}: Is a directory" in p.stderr, \
        p.stderr
    for path, kind in ((fifo, "a FIFO"), (folder, "a directory")):
        p = start(tmp_path / "c.conf", base(files, accounts=str(path)))
        assert p.returncode != 0 and \
            f"accounts file {path}: is {kind}, not a regular file" in p.stderr, p.stderr
    # a reload finds a FIFO where the accounts were: refused, they stay,
    # and SIGTERM still stops the service
    accounts = tmp_path / "accounts"
    accounts.write_bytes((files / "accounts").read_bytes())
    accounts.chmod(0o600)
    d = Daemon(files, accounts=str(accounts))
    try:
        bank = (files / "bank.token").read_text()
        assert d.curl("/v1/pledges?page_size=1", bank)[0] == 200
        os.replace(fifo, accounts)
        d.proc.send_signal(signal.SIGHUP)
        time.sleep(0.5)
        assert d.curl("/v1/pledges?page_size=1", bank)[0] == 200
    finally:
        assert d.stop() == 0
    err = d.proc.stderr.read()
    assert f"reload refused, the accounts stay: accounts file {accounts}: is a FIFO" in err, err


def test_a_file_the_configuration_names_others_may_write_is_refused(
        files: pathlib.Path, tmp_path: pathlib.Path) -> None:
    """Whoever may write the TLS certificate or key, a signing key or a
    trusted key may put their own in its place: refused at start as the
    configuration and the accounts file are, naming the configuration's
    line, the setting, the file and its mode.  A FIFO in a key's place
    too (reading it waited for ever)."""
    settings = {"tls_cert": ("cert.pem", ""), "tls_key": ("key.pem", ""),
                "report_key": ("report.key", "r="), "statement_key": ("office.key", "FZ01="),
                "exchange_key": ("office.key", "FZ01="),
                "exchange_trust": ("office.pub", "FZ02=")}
    conf = tmp_path / "c.conf"
    for key, (name, prefix) in settings.items():
        copy = tmp_path / f"{key}-{name}"
        copy.write_bytes((files / name).read_bytes())
        text = base(files, **{key: prefix + str(copy)})
        line = next(i for i, s in enumerate(text.splitlines(), 1) if s.startswith(key + " "))
        for mode in (0o600, 0o644):     # its owner's to write: served
            copy.chmod(mode)
            d = Daemon(files, **{key: prefix + str(copy)})
            try:
                assert d.json("/v1/status")["service"] == "pledgerd"
            finally:
                assert d.stop() == 0
        for mode, who in ((0o664, "its group"), (0o646, "anyone"), (0o620, "its group")):
            copy.chmod(mode)
            p = start(conf, text)
            want = (f"configuration {conf}: line {line}: {key} {copy}: writable by {who} "
                    f"(mode {mode:03o})")
            assert p.returncode != 0 and want in p.stderr and "chmod go-w" in p.stderr, \
                (key, oct(mode), p.stderr)
        copy.unlink()
        os.mkfifo(copy, 0o600)
        p = start(conf, text)
        assert p.returncode != 0 and \
            f"configuration {conf}: line {line}: {key} {copy}: is a FIFO, not a regular file" \
            in p.stderr, (key, p.stderr)
        copy.unlink()


def test_language_is_given_once(files: pathlib.Path, tmp_path: pathlib.Path) -> None:
    """Every setting but exchange_trust is given once: a second language
    line was taken in place of the first."""
    p = start(tmp_path / "c.conf", base(files) + "language = en\nthreads = 2\nlanguage = zh-CN\n")
    assert p.returncode != 0 and \
        "line 9: language is set again (first on line 7); a setting is given once" in p.stderr, \
        p.stderr


def test_an_accounts_line_refused_names_its_field(files: pathlib.Path,
                                                  tmp_path: pathlib.Path) -> None:
    """A wrong accounts line is refused naming the file, the line and the
    field at fault (it said "expected NAME ROLE SALT HASH" whatever was
    wrong), at start and at a reload; a name or role is shown with its
    bytes beyond printable ASCII as '?', a salt or hash is not shown."""
    salt, digest = "0" * 32, "1" * 64
    accounts = tmp_path / "accounts"
    for line, said in (
            (f"bank-2 bank {salt}", "3 fields, expected NAME ROLE SALT HASH"),
            ("bank-2", "1 field, expected NAME ROLE SALT HASH"),
            (f"bank-2 bank {salt} {digest} extra", "more than 4 fields"),
            (f"bank/2 bank {salt} {digest}", "NAME 'bank/2': it takes 1 to 64 letters"),
            ("b" * 65 + f" bank {salt} {digest}", "NAME '" + "b" * 65 + "': it takes"),
            (f"bank\x1b[2J bank {salt} {digest}", "NAME 'bank?[2J': it takes"),
            (f"bank-2 king {salt} {digest}", "ROLE 'king': it takes bank, applicant, clerk, "
                                             "registrar or auditor"),
            (f"bank-2 Bank {salt} {digest}", "ROLE 'Bank': it takes"),
            (f"bank-2 银行 {salt} {digest}", "ROLE '??????': it takes"),
            (f"bank-2 bank {salt[:-1]}g {digest}", "SALT: it takes 32 hex digits"),
            (f"bank-2 bank {salt}0 {digest}", "SALT: it takes 32 hex digits"),
            (f"bank-2 bank {salt} {digest[:-2]}", "HASH: it takes 64 hex digits")):
        accounts.write_text("# accounts\n" + (files / "accounts").read_text() + line + "\n",
                            encoding="utf-8")
        accounts.chmod(0o600)
        p = start(tmp_path / "c.conf", base(files, accounts=str(accounts)))
        assert p.returncode != 0 and f"accounts file {accounts}: line 4: {said}" in p.stderr, \
            (line, p.stderr)
        assert salt[:-1] + "g" not in p.stderr and digest[:-2] not in p.stderr, p.stderr


def test_a_reload_refuses_a_certificate_or_key_others_may_write(
        files: pathlib.Path, tmp_path: pathlib.Path) -> None:
    """At a SIGHUP the TLS certificate and key are read again: one its group
    or anyone may write, or a FIFO in its place (reading it waited for
    ever, and the service took no SIGTERM after), is refused naming the
    setting and the file, the certificate in service stays, and SIGTERM
    stops the service."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_bytes((files / "cert.pem").read_bytes())
    key.write_bytes((files / "key.pem").read_bytes())
    cert.chmod(0o644)
    key.chmod(0o600)
    d = Daemon(files, tls_cert=str(cert), tls_key=str(key))
    try:
        assert d.json("/v1/status")["service"] == "pledgerd"
        key.chmod(0o660)
        d.proc.send_signal(signal.SIGHUP)
        time.sleep(0.5)
        key.chmod(0o600)
        cert.unlink()
        os.mkfifo(cert, 0o600)
        d.proc.send_signal(signal.SIGHUP)
        time.sleep(0.5)
        assert d.json("/v1/status")["service"] == "pledgerd"
    finally:
        assert d.stop() == 0
    err = d.proc.stderr.read()
    assert (f"reload refused, the certificate stays: tls_key {key}: writable by its group "
            "(mode 660)") in err, err
    assert f"reload refused, the certificate stays: tls_cert {cert}: is a FIFO, not a " \
        "regular file" in err, err


def test_a_hash_inside_a_value_is_the_values(files: pathlib.Path,
                                             tmp_path: pathlib.Path) -> None:
    """A comment begins a line or follows white space ("threads = 2  # two
    cores"); a '#' inside a word is the word's.  Any '#' began one: a
    registry in a folder "reg#2" was read as the folder "reg", and an
    accounts file named "acc#1" as "acc"."""
    folder = tmp_path / "reg#2"
    folder.mkdir(mode=0o700)
    with pledger.open(str(folder / "reg.db"), office="FZ01"):
        pass
    accounts = tmp_path / "acc#1"
    lines = (files / "accounts").read_text().splitlines()
    accounts.write_text("#no space after the hash: a comment all the same\n" +
                        "\n".join(f"{s}  # the bank's account" if not s.startswith("#") else s
                                  for s in lines) + "\n")
    accounts.chmod(0o600)
    d = Daemon(files, registry=f"{folder / 'reg.db'}   # the office's registry",
               accounts=f"{accounts}\t# who may ask", threads="2 # two cores")
    try:
        bank = (files / "bank.token").read_text()
        status, _, body = d.curl("/v1/pledges?page_size=1", bank)
        assert status == 200, body
    finally:
        assert d.stop() == 0
    assert not (tmp_path / "reg").exists() and not (tmp_path / "acc").exists()
    # without white space before it, a '#' is part of the value: a file
    # that is not there is said by its whole name
    p = start(tmp_path / "c.conf", base(files, accounts=f"{accounts}#x"))
    assert p.returncode != 0 and f"{accounts}#x" in p.stderr, p.stderr
