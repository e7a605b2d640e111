"""HTTP search latency of the web interface: `archive serve` (waitress, its own process) on the dev
corpus, a fixed mix of search requests (the search page with its filter counts, and /api/search)
sent one after another over one keep-alive connection (stdlib http.client); p50/p95 reported.

    .venv/bin/python -m scripts.bench.bench_http [--corpus ../shared/corpus/dev] [--rounds 20] [--work DIR]

The corpus folders seed, single and two-column are imported into a temporary data folder first.
Target: p95 ≤ 40 ms."""
from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from scripts.common import SHARED
from tests.servers import free_port, pct, wait_for

from archive.service.importing import Importer, pdf_files
from archive.store import DataDir

# (path, parameters): what staff type, with and without filters, both sorts, and a second page
MIX = [
    ("/", {"q": "党史"}), ("/", {"q": "安全"}), ("/", {"q": "党史", "unit": "中州铝业"}),
    ("/", {"q": "学习教育"}), ("/", {"q": "主题党日"}), ("/", {"q": "党课 OR 报告会"}),
    ("/", {"q": "安全 -会议"}), ("/", {"q": "\"为群众办实事\""}), ("/", {"q": "党史", "sort": "date"}),
    ("/", {"q": "初心", "year": "2016"}), ("/", {"q": "党史", "from": "2016-01", "to": "2016-12-31"}),
    ("/", {"unit": "广西分公司"}), ("/", {"section": "践·铝之行"}), ("/", {"q": "活动", "page": "2"}),
    ("/api/search", {"q": "党史"}), ("/api/search", {"q": "安全", "limit": "50"}),
    ("/api/search", {"q": "中州铝业"}), ("/api/search", {"year": "2016..2018", "sort": "date"}),
    ("/api/search", {"q": "党建 unit:兰州铝业"}), ("/api/search", {"q": "捐款", "facets": "1"}),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus" / "dev")
    ap.add_argument("--rounds", type=int, default=20, help="times the mix is sent (after one warm-up round)")
    ap.add_argument("--work", type=Path, help="data folder (default: a temporary one)")
    ap.add_argument("--threads", type=int, default=4)
    args = ap.parse_args()

    tmp = None if args.work else tempfile.TemporaryDirectory(prefix="archive-bench-http-")
    data = args.work or Path(tmp.name) / "data"
    folders = [args.corpus / f for f in ("seed", "single", "two-column")]
    datadir = DataDir(data)
    t0 = time.perf_counter()
    with datadir.records() as records:
        results = list(Importer(records, datadir).import_paths(list(pdf_files(folders))))
        issues, items = records.counts()
    print(f"imported {sum(not r.failed for r in results)} of {len(results)} files ({issues} issues, {items} items)"
          f" in {time.perf_counter() - t0:.1f} s into {data}")

    port = free_port()
    env = {**os.environ, "ARCHIVE_DATA": str(data)}
    env.pop("ARCHIVE_ADMIN_TOKEN", None)
    proc = subprocess.Popen([sys.executable, "-m", "archive.cli.main", "--data", str(data), "serve", "--port", str(port),
                             "--threads", str(args.threads)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        wait_for(port, proc)
        c = http_conn(port)
        times: dict[str, list[float]] = {"page": [], "api": []}
        for rnd in range(args.rounds + 1):
            for path, params in MIX:
                url = path + "?" + urlencode(params)
                t = time.perf_counter()
                c.request("GET", url, headers={"Connection": "keep-alive"})
                r = c.getresponse()
                body = r.read()
                dt = (time.perf_counter() - t) * 1000
                if r.status != 200:
                    raise SystemExit(f"{url}: HTTP {r.status}: {body[:200]!r}")
                if rnd:  # round 0 warms the searchers up
                    times["api" if path.startswith("/api") else "page"].append(dt)
        c.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if tmp:
            tmp.cleanup()
    every = times["page"] + times["api"]
    print(f"{len(every)} requests ({args.rounds} rounds of {len(MIX)}), one keep-alive connection, sequential")
    for name, v in (("search page (HTML + filter counts)", times["page"]), ("/api/search", times["api"]),
                    ("all", every)):
        print(f"  {name:36s} p50 {statistics.median(v):6.1f} ms   p95 {pct(v, 95):6.1f} ms   max {max(v):6.1f} ms")
    print(f"target p95 ≤ 40 ms: {'met' if pct(every, 95) <= 40 else 'NOT met'}")


def http_conn(port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", port, timeout=30)


if __name__ == "__main__":
    main()
