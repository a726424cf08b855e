"""The command line and the files it is given: a directory, a missing
directory, damaged and truncated registries, damage found by a later
command; and control characters in arguments, which never reach the
terminal raw."""
from __future__ import annotations

import pathlib
import re
import sqlite3

import pytest

from conftest import run_cli, sample_path
from pledger import Kind

#: what must never be written raw: C0 but the line break, DEL, C1
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def one_line(r, status: int, *words: str) -> str:
    assert r.status == status, r
    assert "Traceback" not in r.err and len(r.err.strip().splitlines()) == 1, r
    for w in words:
        assert w in r.err, (w, r.err)
    return r.err


@pytest.fixture
def registry(tmp_path: pathlib.Path) -> str:
    db = str(tmp_path / "reg.db")
    assert run_cli("init", "--db", db).status == 0
    return db


def test_a_directory_or_a_missing_directory(tmp_path: pathlib.Path) -> None:
    d = tmp_path / "somedir"
    d.mkdir()
    for cmd in (["init"], ["search"], ["apply", "x.xml", "--actor", "a"]):
        r = run_cli(*cmd, "--db", str(d))
        one_line(r, 5, "is a directory", str(d))
        assert "disk I/O" not in r.err and "unable to open" not in r.err
    r = run_cli("search", "--db", str(d), "--json")
    assert r.error()["name"] == "PLEDGER_EIO"
    r = run_cli("init", "--db", str(tmp_path / "nowhere" / "reg.db"))
    one_line(r, 3, "nowhere' does not exist")
    (tmp_path / "file").write_text("x")
    r = run_cli("init", "--db", str(tmp_path / "file" / "reg.db"))
    one_line(r, 3, "is a file")


def test_damaged_registries(tmp_path: pathlib.Path, registry: str) -> None:
    data = pathlib.Path(registry).read_bytes()
    cases = {
        "truncated.db": (data[: len(data) // 2], "PLEDGER_ECORRUPT", "damaged"),
        "header-only.db": (data[:100], "PLEDGER_ECORRUPT", "damaged"),
        "stub.db": (data[:10], "PLEDGER_ECORRUPT", "truncated"),
        "text.db": (b"hello\n" * 500, "PLEDGER_ENOTDB", "not an SQLite database"),
        "zeros.db": (bytes(8192), "PLEDGER_ENOTDB", "not an SQLite database"),
        "empty.db": (b"", "PLEDGER_ENOTDB", "empty database"),
    }
    for name, (content, code, words) in cases.items():
        p = tmp_path / name
        p.write_bytes(content)
        for cmd in (["search"], ["expire", "--actor", "r"]):
            if name == "empty.db" and cmd[0] == "expire":
                continue  # a read-write open makes an empty file a registry
            r = run_cli(*cmd, "--db", str(p))
            one_line(r, 5, words, str(p))
            r = run_cli(*cmd, "--db", str(p), "--json")
            assert r.status == 5 and r.error()["name"] == code, (name, r)
        assert p.read_bytes() == content


def test_damage_found_by_a_later_command(tmp_path: pathlib.Path, registry: str) -> None:
    con = sqlite3.connect(registry)
    page = con.execute("PRAGMA page_size").fetchone()[0]
    roots = [r for (r,) in con.execute("SELECT rootpage FROM sqlite_master WHERE name "
                                       "LIKE '%pledge%' AND rootpage > 0")]
    con.close()
    with open(registry, "r+b") as f:
        for root in roots:
            f.seek((root - 1) * page)
            f.write(b"\xa5" * page)
    r = run_cli("show", "R-FZ01-TM-2024-000001", "--db", registry)
    one_line(r, 5, "damaged", "restore it from a backup", registry)
    r = run_cli("show", "R-FZ01-TM-2024-000001", "--db", registry, "--json")
    assert r.error()["kind"] == "Corrupt"


HOSTILE = "\x1b[31m\x1b]0;t\x07\x01\t\x7f\x9b2J\x85"


def test_control_characters_never_reach_the_terminal(tmp_path: pathlib.Path,
                                                     registry: str) -> None:
    def clean(r, status: int) -> None:
        assert r.status == status, r
        assert not RAW.search(r.out) and not RAW.search(r.err), r
        assert "Traceback" not in r.err

    # identifiers, UUIDs, numbers, field paths, paths; text and --json
    for extra in ([], ["--json"]):
        clean(run_cli("check-id", "uscc", "9135" + HOSTILE, *extra), 2)
        # a UUID or a number holding a control character is refused as such (2),
        # before it is looked for
        clean(run_cli("review", HOSTILE, "--actor", "a", "--db", registry, *extra), 2)
        clean(run_cli("review", HOSTILE, "--actor", "a" + HOSTILE, "--db", registry,
                      *extra), 2)
        clean(run_cli("show", "R-" + HOSTILE, "--db", registry, *extra), 2)
        clean(run_cli("search", "--db", str(tmp_path / (HOSTILE + ".db")), *extra), 3)
        clean(run_cli("init", "--db", str(tmp_path / HOSTILE / "r.db"), *extra), 3)
        clean(run_cli("search", "--kind", HOSTILE, "--db", registry, *extra), 2)
        clean(run_cli("search", "--at", HOSTILE, "--db", registry, *extra), 2)
        clean(run_cli("apply", str(tmp_path / HOSTILE), "--actor", "a", "--db", registry,
                      *extra), 3)
    r = run_cli("review", HOSTILE, "--actor", "a", "--db", registry)
    assert "uuid holds U+001B at character 1" in r.err, r.err   # named, not echoed

    # a field path and a value with control characters
    uuid = run_cli("apply", str(sample_path(Kind.TRADEMARK)), "--actor", "a",
                   "--db", registry).out.strip()
    for step, actor in (("review", "a"), ("submit", "a"), ("accept", "c")):
        assert run_cli(step, uuid, "--actor", actor, "--db", registry).status == 0
    assert run_cli("request-correction", uuid, "--note", "n", "--actor", "c",
                   "--db", registry).status == 0
    for extra in ([], ["--json"]):
        clean(run_cli("correct", uuid, "--set", f"pledgor/{HOSTILE}=x", "--actor", "c",
                      "--db", registry, *extra), 2)
    # a name with DEL and C1 (XML allows them) is refused as the field is
    # set (2, naming the field and the character), and nothing is recorded ...
    r = run_cli("correct", uuid, "--set", "pledgor/name=福建\x7f\x9b2J闽江食品有限公司",
                "--actor", "c", "--db", registry)
    assert r.status == 2 and "pledgor/name: value holds U+007F at character 3" in r.err, r
    clean(r, 2)
    assert run_cli("correct", uuid, "--set", "pledgor/name=福建闽江食品有限公司", "--actor", "c",
                   "--db", registry).status == 0
    number = run_cli("register", uuid, "--actor", "r", "--db", registry).out.strip()
    # ... but a registry written before the review refused them may hold one:
    # such stored text is printed back escaped
    import sqlite3
    with sqlite3.connect(registry) as h:
        h.execute("UPDATE pledge_version SET pledgor_name = ?",
                  ("福建\x7f\x9b2J闽江食品有限公司",))
    for extra in ([], ["--json"], ["--xml"]):
        clean(run_cli("show", number, "--db", registry, *extra), 0)
    clean(run_cli("search", "--db", registry), 0)
    r = run_cli("show", number, "--db", registry, "--json")
    assert "\\u009b" in r.out and "\\u007f" in r.out
    assert "\\x7f\\x9b2J" in run_cli("show", number, "--db", registry).out


def test_import_rejections_escape_the_register_text(tmp_path: pathlib.Path,
                                                    registry: str) -> None:
    # XML 1.0 allows DEL and C1 characters in attribute values
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<register xmlns="urn:pledger:1">\n'
           '  <trademark number="2000\x7f\x9b2J0001" status="registered" classes="9" '
           'valid_from="2014-01-07" valid_to="2034-01-06"><owner name="A Co." '
           'id_type="uscc" id="91350100M000100Y43"/></trademark>\n</register>\n')
    f = tmp_path / "reg.xml"
    f.write_text(xml, encoding="utf-8")
    for extra in ([], ["--json"]):
        r = run_cli("register-import", str(f), "--actor", "r", "--db", registry, *extra)
        assert r.status == 0 and not RAW.search(r.out + r.err), r
    import pledger
    with pledger.open(registry) as reg:
        reg.set_actor("r", pledger.Role.REGISTRAR)
        rep = reg.register_import(xml.encode("utf-8"))
    assert rep.rejected == 1 and "\\x7f\\x9b2J" in rep.rejections[0].message, rep


def test_an_encrypted_key_is_refused_without_reading_stdin(tmp_path: pathlib.Path,
                                                           registry: str) -> None:
    """A key encrypted with a passphrase: exit status 2, one line saying so
    and naming the key; OpenSSL's own prompt is not shown and standard
    input not read (it read the passphrase from it: a pipe left open made
    the command wait for ever, and a batch read from "-" would have been
    taken as the phrase)."""
    import subprocess
    plain, enc = tmp_path / "k.pem", tmp_path / "enc.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", str(plain)],
                   check=True)
    subprocess.run(["openssl", "pkey", "-in", str(plain), "-aes256", "-passout", "pass:x",
                    "-out", str(enc)], check=True)
    r = run_cli("checkpoint", "--db", registry, "--key", f"office={enc}",
                "--actor", "registrar-1", stdin="x\nx\nx\n")
    err = one_line(r, 2, "key 'office'", "encrypted with a passphrase")
    assert "pass phrase" not in err
    assert run_cli("checkpoint", "--db", registry, "--actor", "registrar-1").status == 3


def test_text_files_not_utf8_named_by_line(tmp_path: pathlib.Path, registry: str) -> None:
    """A calendar or a kept checkpoint that is not UTF-8 (GB18030, as a
    Windows editor saves it): the file and the line named, from a file and
    from standard input, not Python's codec message ("'utf-8' codec can't
    decode byte 0xb9 in position 31") or "a lone surrogate"; CRLF and CR
    line ends read as before."""
    cal = tmp_path / "cal.txt"
    cal.write_bytes("2024-10-01..2024-10-07 holiday\n2024-09-29 workday 调休\n"
                    .encode("gb18030"))
    r = run_cli("calendar-load", str(cal), "--db", registry, "--actor", "registrar-1")
    one_line(r, 2, f"{cal}: line 2: not UTF-8 text (byte 0xb5)")
    import os
    import subprocess
    import sys
    env = {**os.environ, "LANG": "C.UTF-8", "PLEDGER_NOW": "2024-04-01T02:00:00Z"}
    env.pop("LANGUAGE", None)
    p = subprocess.run([sys.executable, "-m", "pledger", "calendar-load", "-", "--db", registry,
                        "--actor", "registrar-1"], input=cal.read_bytes(),
                       capture_output=True, env=env, timeout=120)
    assert p.returncode == 2 and b"standard input: line 2: not UTF-8" in p.stderr, p
    cp = tmp_path / "cp.txt"
    cp.write_bytes(b"x\xb9y\n")
    r = run_cli("consistency", str(cp), "--db", registry, "--trust", "a+01234567+AAAA")
    assert "codec" not in r.err, r
    cal.write_bytes(b"2024-10-01 holiday\r\n2024-10-02 holiday\r2024-10-03 holiday\r")
    r = run_cli("calendar-load", str(cal), "--db", registry, "--actor", "registrar-1")
    assert r.status == 0 and "3 calendar entries" in r.out, r


def test_a_key_that_is_not_one_names_the_option(tmp_path: pathlib.Path,
                                                registry: str) -> None:
    """A key of the wrong kind is said of --key (the library's parameter,
    "signers holds no checkpoint key", reached the line), a directory
    given as a key file is said to be one (it said "read error")."""
    import subprocess
    ec = tmp_path / "ec.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-out", str(ec)], check=True)
    r = run_cli("checkpoint", "--db", registry, "--key", f"office={ec}",
                "--actor", "registrar-1")
    err = one_line(r, 2, "--key holds no checkpoint key")
    assert "signers" not in err
    r = run_cli("checkpoint", "--db", registry, "--key", f"office={tmp_path}",
                "--actor", "registrar-1")
    one_line(r, 5, "Is a directory")


def test_a_refused_calendar_or_key_names_its_file_and_option(tmp_path: pathlib.Path,
                                                             registry: str) -> None:
    """A calendar, a batch or a signed document the library refuses is said
    naming the file (or standard input) and the line; a key file refused
    is said of the option that named it -- a --trust key was said to be
    "--key file ..." (the library's word "key" read as the command's
    option)."""
    cal = tmp_path / "cal.txt"
    cal.write_text("2025-10-01 holiday\n2025-10-02 holiday 国庆\x1b[31m\n", encoding="utf-8")
    r = run_cli("calendar-load", str(cal), "--db", registry, "--actor", "registrar-1")
    one_line(r, 2, f"{cal}: calendar line 2: the name holds U+001B at character 3")
    r = run_cli("calendar-load", "-", "--db", registry, "--actor", "registrar-1",
                stdin="2025-13-01 holiday\n")
    one_line(r, 2, "standard input: calendar line 1: date '2025-13-01'")
    folder = tmp_path / "keys"
    folder.mkdir()
    import subprocess
    two = tmp_path / "two.pem"
    for i in range(2):
        k = tmp_path / f"k{i}.pem"
        subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-out", str(k)], check=True)
        two.write_bytes((two.read_bytes() if two.exists() else b"") + k.read_bytes())
    batch = tmp_path / "batch.xml"
    batch.write_text("<batch/>")
    for option, spec, said in (
            ("--trust", f"FZ01={folder}", f"--trust FZ01={folder}: key file '{folder}': Is a "
                                          "directory"),
            ("--trust", f"FZ01={two}", f"--trust FZ01={two}: key 'FZ01': the PEM text holds "
                                       "more than one key"),
            ("--key", f"BJ00={folder}", f"--key BJ00={folder}: key file '{folder}'")):
        args = ["--trust", f"FZ01={tmp_path / 'k0.pem'}", "--key", f"BJ00={tmp_path / 'k0.pem'}"]
        args[args.index(option) + 1] = spec
        r = run_cli("exchange", "import", str(batch), "--db", registry, "--actor", "clerk-1",
                    "--role", "clerk", *args)
        err = one_line(r, r.status, said)
        assert r.status != 0 and ("--key file" not in err or option == "--key"), err
    # the file after the options is the file (it was "unrecognized arguments"),
    # and a refusal of what it holds names it (the library is given its bytes)
    keys = ["--trust", f"FZ01={tmp_path / 'k0.pem'}", "--key", f"BJ00={tmp_path / 'k0.pem'}"]
    for name, said in ((str(batch), str(batch)), ("-", "standard input")):
        r = run_cli("exchange", "import", "--db", registry, "--actor", "clerk-1", "--role",
                    "clerk", *keys, name, stdin="<batch/>")
        err = one_line(r, r.status, f"pledger exchange: {said}: exchange document: line 1: ",
                       "<batch>")
        assert "unrecognized" not in err, err
        r = run_cli("verify-certificate", name, "--trust", f"K={tmp_path / 'k0.pem'}",
                    stdin="<batch/>")
        one_line(r, r.status, f"pledger verify-certificate: {said}: signed certificate: "
                              "line 1: ")
    r = run_cli("exchange", "import", "--db", registry, "--actor", "clerk-1", "--role",
                "clerk", *keys, str(batch), "more")
    one_line(r, 2, "unrecognized arguments")
