"""The web interface under load, with a web import of scans running: `archive serve` (its own
process, loopback) on the dev corpus; `--clients` threads send a fixed mix of searches (the page
with its filter counts, and the API), item pages, issue pages and page images (the image cache
emptied first, so pages are drawn while measured) for `--seconds`, while one web import of the
scanned issues (../shared/corpus/dev/scanned, read by OCR in the worker) runs from start to end.

    .venv/bin/python -m scripts.bench.bench_load [--clients 4] [--seconds 40] [--work DIR]

Reports requests, errors (any status but 200, or no answer) and p50/p95/max per kind, the
server's RSS before, at its peak and after, the import worker's peak RSS, and how the import
went. Exit status 1 when a request failed or the import did not finish."""
from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from scripts.common import SHARED
from tests.servers import Load, RssWatch, free_port, pct, request, rss_mb, search_urls, start_server, upload, wait_job

from archive.service.importing import Importer, pdf_files
from archive.store import DataDir

TOKEN = "bench-load-token"


def corpus_urls(datadir: DataDir, rng: random.Random) -> list[tuple[str, str]]:
    """Item pages, issue pages and page images of what the data folder holds, shuffled."""
    with datadir.records() as records:
        items = [it["id"] for it in records.iter_items()]
        issues = [(r["id"], r["pages"], r["sha256"]) for r in records.recent_issues(1000)]
    urls = [("item", f"/items/{i}") for i in rng.sample(items, min(60, len(items)))]
    urls += [("issue", f"/issues/{i}") for i, _, _ in issues]
    urls += [("page image", f"/issues/{i}/pages/{n}.png?v={sha[:12]}") for i, pages, sha in issues
             for n in range(1, pages + 1)]
    urls += [("page view", f"/issues/{i}/pages/1?{urlencode({'q': '党史'})}") for i, _, _ in issues[:10]]
    rng.shuffle(urls)
    return urls


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus" / "dev")
    ap.add_argument("--clients", type=int, default=4, help="threads sending requests, each on its own connection")
    ap.add_argument("--seconds", type=float, default=40.0, help="how long the load runs (at least until the import ends)")
    ap.add_argument("--threads", type=int, default=8, help="the server's worker threads")
    ap.add_argument("--work", type=Path, help="data folder (default: a temporary one)")
    args = ap.parse_args()
    rng = random.Random(13)

    tmp = None if args.work else tempfile.TemporaryDirectory(prefix="archive-bench-load-")
    data = args.work or Path(tmp.name) / "data"
    datadir = DataDir(data)
    t0 = time.perf_counter()
    with datadir.records() as records:
        results = list(Importer(records, datadir).import_paths(
            list(pdf_files(args.corpus / f for f in ("seed", "single", "two-column")))))
    print(f"imported {sum(not r.failed for r in results)} of {len(results)} files in {time.perf_counter() - t0:.1f} s")
    shutil.rmtree(data / "cache", ignore_errors=True)  # page images are drawn under load
    scans = sorted((args.corpus / "scanned").glob("*.pdf"))

    port = free_port()
    proc = start_server(data, port, threads=args.threads, token=TOKEN)
    try:
        searches, mix = search_urls(), []
        for k, url in enumerate(corpus_urls(datadir, rng)):  # a search after every other page
            mix.append(url)
            if k % 2 == 0:
                mix.append(searches[(k // 2) % len(searches)])
        for kind, url in search_urls():  # warm: searchers, facet tables
            request(port, "GET", url)
        time.sleep(1.0)
        before = rss_mb(proc.pid)
        watch = RssWatch(proc.pid)
        loads = [Load(port, mix[k::args.clients] or mix) for k in range(args.clients)]
        watch.start()
        started = time.monotonic()
        for load in loads:
            load.start()
        status, job = upload(port, TOKEN, [(p.name, p.read_bytes()) for p in scans])
        assert status == 202, job
        worker = None
        worker_peak = 0.0
        done = None
        while time.monotonic() - started < max(args.seconds, 1.0) or done is None:
            time.sleep(0.25)
            if done is None:
                st = datadir.jobs / job["id"] / "job.json"
                try:
                    raw = json.loads(st.read_text())
                except (OSError, ValueError):
                    raw = {}
                worker = raw.get("worker") or worker
                if worker:
                    worker_peak = max(worker_peak, rss_mb(worker))
                if raw.get("state") == "done":
                    done = wait_job(port, TOKEN, job["url"])
                    import_s = time.monotonic() - started
            if time.monotonic() - started > 600:
                break
        for load in loads:
            load.stop()
        watch.stop()
        time.sleep(1.0)
        after = rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(10)
        if tmp:
            tmp.cleanup()

    times = [t for load in loads for t in load.times]
    errors = [t for t in times if not t[2]]
    elapsed = time.monotonic() - started
    print(f"{len(times)} requests in {elapsed:.0f} s from {args.clients} clients ({len(times) / elapsed:.0f}/s), "
          f"{len(errors)} errors; the server on {args.threads} threads")
    for kind in ("search", "item", "issue", "page view", "page image"):
        ms = [t[1] for t in times if t[0] == kind]
        if ms:
            print(f"  {kind:11s} {len(ms):5d}  p50 {pct(ms, 50):6.1f} ms  p95 {pct(ms, 95):6.1f} ms  max {max(ms):7.1f} ms")
    every = [t[1] for t in times]
    print(f"  {'all':11s} {len(every):5d}  p50 {pct(every, 50):6.1f} ms  p95 {pct(every, 95):6.1f} ms  max {max(every):7.1f} ms")
    print(f"server RSS: {before:.0f} MB before, {watch.peak:.0f} MB at its peak, {after:.0f} MB after;"
          f" import worker peak {worker_peak:.0f} MB")
    if done:
        files = ", ".join(f"{f['file']} {f['status']} ({f['progress']})" for f in done["files"])
        print(f"web import of {len(scans)} scans: done in {import_s:.1f} s: {files}")
    else:
        print("web import of the scans: NOT finished")
    return 1 if errors or not done else 0


if __name__ == "__main__":
    raise SystemExit(main())
