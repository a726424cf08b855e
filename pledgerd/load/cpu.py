#!/usr/bin/python3
"""Run wrk against a running pledgerd and say where the CPU went:

    cpu.py PID wrk ARGS...

prints wrk's output, then the CPU time per request of pledgerd's threads
(by name: MHD-worker, pledgerd-record, pledgerd-flush, pledgerd-accept),
of wrk itself, and the share of the machine's cores that stood idle
meanwhile (from /proc: thread times, wrk's rusage, /proc/stat)."""
import os
import re
import subprocess
import sys

TICK = os.sysconf("SC_CLK_TCK")


def threads(pid: int) -> dict[int, tuple[str, int]]:
    """tid -> (name, user + system ticks)"""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                s = f.read()
        except FileNotFoundError:
            continue
        name = s[s.index("(") + 1:s.rindex(")")]
        fields = s[s.rindex(")") + 2:].split()
        out[int(tid)] = (name, int(fields[11]) + int(fields[12]))
    return out


def idle_ticks() -> int:
    with open("/proc/stat") as f:
        cpu = f.readline().split()
    return int(cpu[4]) + int(cpu[5])   # idle, iowait


def main() -> int:
    pid = int(sys.argv[1])
    before, idle0 = threads(pid), idle_ticks()
    wrk = subprocess.Popen(sys.argv[2:], stdout=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(wrk.pid, 0)
    text = wrk.stdout.read()
    after, idle1 = threads(pid), idle_ticks()
    sys.stdout.write(text)
    if os.waitstatus_to_exitcode(status) != 0:
        return 1
    m = re.search(r"(\d+) requests in ([\d.]+)s", text)
    if not m:
        return 1
    n, secs = int(m.group(1)), float(m.group(2))
    per = {}
    for tid, (name, ticks) in after.items():
        per.setdefault(name, [0, 0])
        per[name][0] += ticks - before.get(tid, (name, 0))[1]
        per[name][1] += 1
    us = lambda ticks: ticks / TICK * 1e6 / n   # noqa: E731
    parts = ", ".join(f"{name} {us(t):.1f}" + (f" ({k} threads)" if k > 1 else "")
                      for name, (t, k) in sorted(per.items(), key=lambda x: -x[1][0]) if t)
    total = sum(t for t, _ in per.values())
    wrk_us = (usage.ru_utime + usage.ru_stime) * 1e6 / n
    idle = (idle1 - idle0) / TICK / secs / os.cpu_count() * 100
    print(f"CPU us per request: pledgerd {us(total):.1f} ({parts}); wrk {wrk_us:.1f}; "
          f"cores idle {idle:.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
