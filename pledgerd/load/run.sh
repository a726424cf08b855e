#!/usr/bin/env bash
# The load runs of docs/performance.md ("pledgerd under load"):
#
#   bash pledgerd/load/run.sh REGISTRY.db [SECONDS]
#
# REGISTRY.db: e.g. the 1M registry of `pledger-bench --sizes=1M gen`.
# Starts pledgerd from build/ on loopback (HTTP, then HTTPS with a
# self-signed certificate), warms up 10 s, runs wrk 64 connections for
# SECONDS (30) on verify and on search by party, stops it with SIGTERM.
# Each run also says where the CPU went (pledgerd/load/cpu.py): the CPU
# time per request of pledgerd's threads by name and of wrk, and the
# share of the cores that stood idle.
#
# From the environment: PLEDGERD, the daemon to run (default
# build/pledgerd/pledgerd; the release build: build-bench/pledgerd/pledgerd);
# MODES ("http https") and WORKLOADS ("verify search"), what to run;
# CEILING=path/to/pledgerd-ceiling (built with -Dbench=true) runs the
# verify workload over HTTP against libmicrohttpd answering a fixed body
# at once instead: the ceiling the machine and wrk leave.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
pledgerd=${PLEDGERD:-$top/build/pledgerd/pledgerd}
pledgerd=$(realpath "$pledgerd")
ceiling=${CEILING:+$(realpath "$CEILING")}
db=$(realpath "$1")
secs=${2:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
/usr/bin/python3 - "$db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
open("numbers.txt", "w").write("\n".join(r[0] for r in c.execute(
    "SELECT registration_number FROM pledge WHERE id % 997 = 0 LIMIT 1000")) + "\n")
open("parties.txt", "w").write("\n".join(r[0] for r in c.execute(
    "SELECT pledgor_id FROM pledge_version WHERE pledge_id % 997 = 0 LIMIT 1000")) + "\n")
PY
"$pledgerd" token bank-load bank > accounts 2> token.txt
chmod 600 accounts
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem \
  -out cert.pem -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
openssl genpkey -algorithm ed25519 -out report.key
cp "$top/pledgerd/load/verify.lua" "$top/pledgerd/load/search.lua" .
if [ -n "$ceiling" ]; then
  port=$((20000 + RANDOM % 20000))
  "$ceiling" $port "${PLEDGERD_THREADS:-2}" &
  pid=$!
  sleep 1
  wrk -t2 -c64 -d5s -s verify.lua "http://127.0.0.1:$port" > /dev/null
  echo "== verify, http, the ceiling"
  /usr/bin/python3 "$top/pledgerd/load/cpu.py" $pid \
    wrk -t2 -c64 -d"${secs}s" --latency -s verify.lua "http://127.0.0.1:$port" |
    grep -E 'requests in|Requests/sec|p50|CPU us'
  kill -TERM $pid
  wait $pid
  exit 0
fi
for mode in ${MODES:-http https}; do
  port=$((20000 + RANDOM % 20000))
  {
    echo "listen = 127.0.0.1:$port"
    if [ $mode = https ]; then echo "tls_cert = cert.pem"; echo "tls_key = key.pem"
    else echo "tls = off"; fi
    echo "registry = $db"; echo "accounts = accounts"; echo "report_key = load=report.key"
    echo "requests_per_minute = 100000000"; echo "max_connections = 512"
    echo "per_ip_connections = 512"; echo "threads = ${PLEDGERD_THREADS:-2}"
  } > pledgerd.conf
  chmod 600 pledgerd.conf   # pledgerd refuses one others may write
  "$pledgerd" --config pledgerd.conf 2> pledgerd.log &
  pid=$!
  sleep 1
  wrk -t2 -c64 -d10s -s verify.lua "$mode://127.0.0.1:$port" > /dev/null
  for w in ${WORKLOADS:-verify search}; do
    echo "== $w, $mode"
    /usr/bin/python3 "$top/pledgerd/load/cpu.py" $pid \
      wrk -t2 -c64 -d"${secs}s" --latency -s $w.lua "$mode://127.0.0.1:$port" |
      grep -E 'requests in|Requests/sec|p50|CPU us'
  done
  kill -TERM $pid
  wait $pid
done
