"""How long the README's test commands take on this machine: the whole suite and the quick loop
(`-m "not slow"`), each run as the README says (two processes, pytest-xdist), timed from outside.

    .venv/bin/python -m scripts.bench.bench_tests [--runs 1] [--only quick|full]

Prints, per command and run: wall seconds, CPU seconds of pytest and every process it waited for
(user + system: what the run costs whatever else the machine does), the test count and the machine's
load average before it. Targets (issue 19 §7): the whole suite ≤ 3 minutes, the quick loop ≤ 60 s on
two cores. Measure on a quiet machine: other work stretches the wall time, not the CPU time."""
from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import time

from scripts.common import ROOT

COMMANDS = {"full": [], "quick": ["-m", "not slow"]}


def run(args: list[str]) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=ROOT,
                       capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    tail = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else p.stderr[-300:]
    counts = dict((k, int(n)) for n, k in re.findall(r"(\d+) (passed|failed|errors?|skipped|deselected)", tail))
    return {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "load_before": round(load, 2), "exit": p.returncode,
            "counts": counts}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--only", choices=sorted(COMMANDS))
    args = ap.parse_args(argv)
    print(f"{os.cpu_count()} cores; pytest -q (addopts in pyproject.toml: -n 2 --dist loadfile)")
    print("| command | run | wall s | CPU s | tests | exit | load before |")
    print("|---|---|---|---|---|---|---|")
    failed = False
    for name, extra in COMMANDS.items():
        if args.only and name != args.only:
            continue
        for n in range(1, args.runs + 1):
            r = run(extra)
            failed |= r["exit"] != 0
            shown = " ".join(f"{v} {k}" for k, v in r["counts"].items())
            cmd = "pytest -q " + " ".join(f'"{a}"' if " " in a else a for a in extra)
            print(f"| `{cmd.strip()}` | {n} | {r['wall_s']} | {r['cpu_s']} | {shown} | {r['exit']} | {r['load_before']} |",
                  flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
