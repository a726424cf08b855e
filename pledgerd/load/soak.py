#!/usr/bin/python3
"""The soak of docs/performance.md ("pledgerd under load"):

    PLEDGER_LIBRARY=... PLEDGER_CDEF=... PYTHONPATH=bindings/python \\
        /usr/bin/python3 pledgerd/load/soak.py [SECONDS] [PLEDGERD]

A fresh registry served by pledgerd over HTTPS; 4 readers (verify and
search) and 2 filers (save, review, submit) for SECONDS (600); in the
middle the daemon is killed with SIGKILL and started again.  Afterwards:
every filing the service acknowledged (a 2xx answer) is in the registry
in the state the answer gave, and the journal verifies.  Prints the
counts; exits 1 on any loss.
"""
from __future__ import annotations

import datetime
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import pathlib

import pledger
from pledger import Role

top = pathlib.Path(__file__).resolve().parents[2]
seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 600.0
daemon_bin = sys.argv[2] if len(sys.argv) > 2 else str(top / "build" / "pledgerd" / "pledgerd")
tmp = pathlib.Path(tempfile.mkdtemp(prefix="pledgerd-soak-"))
data = top / "tests" / "data"


def sample(name: str) -> str:
    """Sample document @name of tests/data with its registration period
    ending a year from today: the samples' periods end on fixed days, and
    the soak files on the real clock, where a period already ended is a
    finding that stops the filing (PERIOD_ENDED)."""
    ahead = (datetime.date.today() + datetime.timedelta(days=365)).isoformat()
    out, n = re.subn(r"(<period>\s*<start>[^<]*</start>\s*<end>)[^<]*(</end>)",
                     lambda m: m.group(1) + ahead + m.group(2), (data / name).read_text(),
                     count=1)
    if n != 1:
        raise SystemExit(f"{name}: no registration period to move")
    return out


def sh(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=True, capture_output=True, text=True)


sh("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
   "-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem"), "-days", "2",
   "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
with pledger.open(str(tmp / "reg.db"), office="FZ01") as reg:
    reg.set_actor("applicant-0", Role.APPLICANT)
    with pledger.Application.from_xml(sample("app-trademark.xml").encode()) as app:
        uuid0 = reg.save(app)
    reg.review(uuid0)
    reg.submit(uuid0)
    reg.set_actor("clerk-0", Role.CLERK)
    reg.accept(uuid0)
    reg.set_actor("registrar-0", Role.REGISTRAR)
    number = reg.register(uuid0).number
tokens = {}
lines = ""
for name, role in (("bank-1", "bank"), ("filer-1", "applicant"), ("filer-2", "applicant")):
    p = sh(daemon_bin, "token", name, role)
    lines += p.stdout
    tokens[name] = p.stderr.strip()
(tmp / "accounts").write_text(lines)
(tmp / "accounts").chmod(0o600)     # its owner's to write, whatever the umask
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
(tmp / "pledgerd.conf").write_text(
    f"listen = 127.0.0.1:{port}\ntls_cert = {tmp / 'cert.pem'}\ntls_key = {tmp / 'key.pem'}\n"
    f"registry = {tmp / 'reg.db'}\naccounts = {tmp / 'accounts'}\n"
    f"report_key = soak={tmp / 'report.key'}\nrequests_per_minute = 100000000\n")
(tmp / "pledgerd.conf").chmod(0o600)     # pledgerd refuses one others may write
sh("openssl", "genpkey", "-algorithm", "ed25519", "-out", str(tmp / "report.key"))
url = f"https://127.0.0.1:{port}"


def start() -> subprocess.Popen:
    d = subprocess.Popen([daemon_bin, "--config", str(tmp / "pledgerd.conf")],
                         stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return d
        except OSError:
            time.sleep(0.05)
    raise SystemExit("pledgerd did not start")


daemon = start()
stop = time.monotonic() + seconds
acked: dict[str, str] = {}     # uuid -> the state a 2xx answer gave
reports: dict[int, str] = {}   # search report number -> the note an answer carried
lock = threading.Lock()
counts = {"reads": 0, "read_errors": 0, "filings": 0, "filing_errors": 0, "bad_reports": 0}
xml = sample("app-patent.xml")


def reader() -> None:
    r = pledger.connect(url, token=tokens["bank-1"], cafile=str(tmp / "cert.pem"), timeout=10)
    while time.monotonic() < stop:
        try:
            r.verify(number)
            got = [(r.last_report, r.last_report_note)]
            list(r.search(party_id="91350100M000100Y43", page_size=5, all_pages=False))
            got.append((r.last_report, r.last_report_note))
            with lock:
                counts["reads"] += 2
                for n, note in got:
                    if n is None or not note or n in reports:
                        counts["bad_reports"] += 1
                    reports[n or 0] = note or ""
        except pledger.Error:
            with lock:
                counts["read_errors"] += 1
            time.sleep(0.05)


def filer(name: str) -> None:
    f = pledger.connect(url, token=tokens[name], cafile=str(tmp / "cert.pem"), timeout=10)
    while time.monotonic() < stop:
        try:
            with pledger.Application.from_xml(xml.encode()) as app:
                uuid = f.save(app)
            with lock:
                acked[uuid] = "draft"
            f.review(uuid)
            with lock:
                acked[uuid] = "reviewed"
            f.submit(uuid)
            with lock:
                acked[uuid] = "submitted"
                counts["filings"] += 1
        except pledger.Error:
            with lock:
                counts["filing_errors"] += 1
            time.sleep(0.05)


threads = [threading.Thread(target=reader) for _ in range(4)]
threads += [threading.Thread(target=filer, args=(n,)) for n in ("filer-1", "filer-2")]
for t in threads:
    t.start()
time.sleep(seconds / 2)
daemon.send_signal(signal.SIGKILL)
daemon.wait()
killed_at = len(acked)
daemon = start()
for t in threads:
    t.join()
daemon.send_signal(signal.SIGTERM)
status = daemon.wait(timeout=60)

lost = []
with pledger.open(str(tmp / "reg.db"), read_only=True) as reg:
    reg.set_actor("auditor-1", Role.AUDITOR)
    for uuid, state in acked.items():
        try:
            got = reg.load(uuid).state.api_name
        except pledger.NotFound:
            got = None
        order = ["draft", "reviewed", "submitted"]
        if got is None or order.index(got) < order.index(state):
            lost.append((uuid, state, got))
    check = reg.journal_verify()
    # every answer's search report is in the registry's reports, as handed out
    kept = {e.number: e for e in reg.reports(limit=10000)}
    after = max(kept, default=0)
    while len(kept) >= after and after:
        more = reg.reports(after=after, limit=10000)
        if not more:
            break
        kept.update((e.number, e) for e in more)
        after = more[-1].number
    reports_lost = [n for n in reports if n not in kept or reg.report(n) != reports[n]]
print(f"soak {seconds:.0f} s: {counts['reads']} reads ({counts['read_errors']} failed while "
      f"the daemon was down or restarting), {counts['filings']} filings submitted, "
      f"{len(acked)} acknowledged applications ({killed_at} before the SIGKILL), "
      f"{counts['filing_errors']} filing calls failed; lost: {len(lost)}; journal: "
      f"{'intact' if check.intact else 'BROKEN'} ({check.count} events); "
      f"{len(reports)} search reports handed out, {len(kept)} recorded, "
      f"{len(reports_lost)} missing or different, {counts['bad_reports']} answers without "
      f"a fresh report; exit {status}")
# a soak whose filings all failed, or that read nothing, tested nothing
idle = counts["filings"] == 0 or counts["reads"] == 0
if idle:
    print("soak: no filing was submitted or nothing was read: the soak tested nothing")
sys.exit(1 if lost or reports_lost or counts["bad_reports"] or not check.intact or status != 0
         or idle else 0)
