"""First views of page images: `archive serve` (its own process, loopback) on the dev corpus, every
page of every issue asked for once (never opened before: drawn by a renderer while timed), then
once more (from the cache), one request after another over one keep-alive connection.

    .venv/bin/python -m scripts.bench.bench_pageimage [--corpus ../shared/corpus/dev] [--work DIR]

Reports the first request after the server answers (its renderers were started with it), p50/p95/max
of the first views and of the cached ones, and the PNGs' sizes. Targets (issue 23): first view
p95 ≤ 300 ms, cached ≤ 50 ms."""
from __future__ import annotations

import argparse
import http.client
import statistics
import tempfile
import time
from pathlib import Path

from scripts.common import SHARED
from tests.servers import free_port, pct, start_server

from archive.service.importing import Importer, pdf_files
from archive.store import DataDir


def get(conn: http.client.HTTPConnection, url: str) -> tuple[float, int, int]:
    """(seconds, status, bytes) of one GET."""
    t0 = time.perf_counter()
    conn.request("GET", url)
    r = conn.getresponse()
    body = r.read()
    return time.perf_counter() - t0, r.status, len(body)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus" / "dev")
    ap.add_argument("--work", type=Path, help="data folder (default: a temporary one)")
    args = ap.parse_args()
    tmp = None if args.work else tempfile.TemporaryDirectory(prefix="archive-bench-pages-")
    data = args.work or Path(tmp.name) / "data"
    datadir = DataDir(data)
    folders = [args.corpus / f for f in ("seed", "single", "two-column", "scanned")]
    with datadir.records() as records:
        results = list(Importer(records, datadir).import_paths(list(pdf_files(folders))))
        pages = [(i, n) for i in records.issue_ids() for n in range(1, records.issue_row(i)["pages"] + 1)]
    print(f"imported {sum(not r.failed for r in results)} files: {len(pages)} pages")
    for cached in (datadir.root / "cache" / "pages").rglob("*.png"):
        cached.unlink()  # never opened: every first view is drawn while timed

    port = free_port()
    server = start_server(data, port, threads=4)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        first, statuses, sizes = [], [], []
        cold = None
        for issue, n in pages:
            seconds, status, size = get(conn, f"/issues/{issue}/pages/{n}.png")
            cold = seconds if cold is None else cold
            first.append(seconds)
            statuses.append(status)
            sizes.append(size)
        again = [get(conn, f"/issues/{issue}/pages/{n}.png")[0] for issue, n in pages]
    finally:
        server.terminate()
        server.wait(10)
    bad = sum(s != 200 for s in statuses)
    ms = lambda v: f"{v * 1000:.1f}"  # noqa: E731
    print(f"first request after start: {ms(cold)} ms; errors: {bad}")
    print("| pages | first view p50 / p95 / max | cached p50 / p95 | PNG median / max |")
    print("|---|---|---|---|")
    print(f"| {len(pages)} | {ms(pct(first, 50))} / {ms(pct(first, 95))} / {ms(max(first))} ms"
          f" | {ms(pct(again, 50))} / {ms(pct(again, 95))} ms"
          f" | {statistics.median(sizes) / 1024:.0f} / {max(sizes) / 1024:.0f} KB |")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
