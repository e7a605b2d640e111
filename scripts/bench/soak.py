"""A soak you can run: `archive serve` (waitress, its own process) under mixed load — searches, page
images, reports, the API — while imports (born-digital, scans, hostile files) and corrections go on,
and the server and its import worker are killed with SIGKILL at random moments and started again.
At the end `archive check` must be clean, and the ledger of what was acknowledged — an upload
answered 202 whose job is done, a correction answered 200 — must match what is stored and found by
search. Exit 0 when both hold.

    .venv/bin/python -m scripts.bench.soak --minutes 30                 # docs/soak.md
    .venv/bin/python -m scripts.bench.soak --seconds 30 --json out/soak.json   # what CI runs (tests/test_soak.py)

Options: --seed (the random choices), --clients (load threads), --keep (leave the work folder).
Figures: requests, errors and p95 per kind; requests cut by a kill (not errors); the server's and
the worker's RSS peaks; kills survived; corrections and imports acknowledged, and lost."""
from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

from scripts.common import ROOT
from tests import hostile, servers
from tests.servers import free_port, multipart, pct, rss_mb

TOKEN = "soak-editor-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MARK = "浸泡校对"
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = sorted((ROOT / "src" / "archive" / "samples").glob("*.pdf"))
STEADY = [FIXTURES / "producers" / "chromium" / "2024-001.pdf", FIXTURES / "producers" / "libreoffice" / "2023-001.pdf"]
CORRECTED = ("2016-002", "2024-001", "2023-001")  # corrections go here; uploads never touch these issues
OK = {"search": {200}, "page": {200, 404, 422}, "api": {200, 301, 404}, "report": {200}}
WEIGHTS = {"search": 40, "page": 25, "api": 20, "report": 15}
STORED = ("imported", "replaced", "already imported")


def import_pool() -> list[tuple[str, str, bytes]]:
    """(kind, name, bytes) of what is uploaded, in turn: every fixture issue but the corrected ones,
    the scans (OCR), and hostile files built on the spot."""
    born = [p for p in sorted(FIXTURES.glob("shapes/*/*.pdf")) + sorted(FIXTURES.glob("newsletter/*.pdf"))
            + [FIXTURES / "producers" / "chromium" / "2021-005.pdf", FIXTURES / "producers" / "libreoffice" / "2021-005.pdf"]]
    pool = [("born", f"{p.parent.name}-{p.name}", p.read_bytes()) for p in born]
    pool += [("scan", f"scan-{p.name}", p.read_bytes()) for p in sorted(FIXTURES.glob("scans/*.pdf"))]
    pool += [("hostile", "bomb.pdf", hostile.deflate_bomb(512)), ("hostile", "huge-page.pdf", hostile.huge_page()),
             ("hostile", "lying-jpx.pdf", hostile.lying_image()), ("hostile", "not-a-pdf.pdf", b"plain text " * 100),
             ("hostile", "truncated.pdf", SAMPLES[0].read_bytes()[:30000])]
    return pool


class Server:
    """`archive serve` in its own process, started again after each kill."""

    def __init__(self, data: Path, log: Path, threads: int = 8):
        self.data, self.port, self.threads = data, free_port(), threads
        self.log = log.open("ab")
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        env = {**os.environ, "ARCHIVE_ADMIN_TOKEN": TOKEN, "PYTHONPATH": str(ROOT / "src")}
        self.proc = subprocess.Popen([sys.executable, "-m", "archive.cli.main", "--data", str(self.data), "serve",
                                      "--port", str(self.port), "--threads", str(self.threads)], env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        servers.wait_for(self.port, self.proc, timeout=120)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def workers(self) -> list[int]:
        """The import workers of this data folder (children the server started; they outlive it)."""
        return sorted(servers.processes_with("archive.service.jobs", str(self.data)))


class Soak:
    def __init__(self, work: Path, seconds: float, seed: int, clients: int):
        self.work, self.seconds, self.clients = work, seconds, clients
        self.rand = random.Random(seed)
        self.data = work / "data"
        self.server = Server(self.data, work / "server.log")
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.generation, self.up = 0, threading.Event()
        self.times: dict[str, list[float]] = {k: [] for k in OK}
        self.outcomes: dict[str, dict[str, int]] = {k: {"ok": 0, "error": 0, "busy": 0, "cut": 0} for k in OK}
        self.error_samples: list[str] = []
        self.kills = {"server": 0, "worker": 0}
        self.survived = 0
        self.rss = {"server": 0.0, "worker": 0.0}
        self.corrections: dict[str, list[tuple[int, bool]]] = {}  # item → [(n, acknowledged)] in order sent
        self.jobs: list[dict] = []  # acknowledged uploads: {"url", "name", "sha", "kind", "seq"}
        self.unanswered: list[tuple[int, str]] = []  # (seq, sha) of uploads cut by a kill: queued or not

    # --- setting up ------------------------------------------------------------------------------
    def prepare(self) -> None:
        subprocess.run([sys.executable, "-m", "archive.cli.main", "--data", str(self.data), "import", *map(str, SAMPLES + STEADY)],
                       check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
        from archive.store import DataDir
        with DataDir(self.data).records() as records:
            self.pages = {i: records.issue_row(i)["pages"] for i, _ in records.issue_shas()}
            self.items = sorted(records.item_versions())
        self.targets = [i for i in self.items if i.rsplit("-", 1)[0] in CORRECTED]
        self.server.start()
        self.up.set()

    # --- one request, judged -------------------------------------------------------------------------
    def ask(self, kind: str, method: str, url: str, body=None, headers=None, timeout=60.0):
        """(status, data) or None when no answer came; recorded under `kind` when it is a load kind."""
        gen, t = self.generation, time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=timeout)
            try:
                conn.request(method, url, body=body, headers=headers or {})
                r = conn.getresponse()
                status, data = r.status, r.read()
            finally:
                conn.close()
        except (OSError, http.client.HTTPException) as exc:
            if kind in OK:
                cut = gen != self.generation or not self.up.is_set()
                self.note(kind, "cut" if cut else "error", f"{kind} {url}: {type(exc).__name__}")
            return None
        if kind in OK:
            ms = (time.perf_counter() - t) * 1000
            outcome = "ok" if status in OK[kind] else "busy" if status == 503 else "error"
            self.note(kind, outcome, f"{kind} {url}: HTTP {status}", ms)
        return status, data

    def note(self, kind, outcome, what, ms=None):
        with self.lock:
            self.outcomes[kind][outcome] += 1
            if ms is not None and outcome == "ok":
                self.times[kind].append(ms)
            if outcome == "error" and len(self.error_samples) < 20:
                self.error_samples.append(what)

    def wait_up(self) -> None:
        while not self.up.is_set() and not self.stop.is_set():
            self.up.wait(0.5)

    # --- the load ------------------------------------------------------------------------------------
    def url_of(self, kind: str, rand: random.Random) -> str:
        if kind == "search":
            return rand.choice(servers.search_urls())[1]
        if kind == "page":
            issue = rand.choice(sorted(self.pages))
            return f"/issues/{issue}/pages/{rand.randint(1, max(1, self.pages[issue]))}.png"
        if kind == "api":
            item = rand.choice(self.items)
            return rand.choice([f"/api/items/{item}", "/api/units", f"/api/items/{item}/history",
                                f"/api/issues/{item.rsplit('-', 1)[0]}", "/api/search?" + urlencode({"q": "安全", "facets": 1})])
        return rand.choice(["/report.csv?q=" + quote("党史"), "/report.xlsx?year=2016", "/reports/units-by-year.xlsx",
                            "/report.md?q=" + quote("学习"), "/report.docx?q=" + quote("主题党日"),
                            "/units/" + quote("兰州铝业") + "/report.xlsx"])

    def load(self, seed: int) -> None:
        rand = random.Random(seed)
        kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
        while not self.stop.is_set():
            self.wait_up()
            kind = rand.choices(kinds, weights)[0]
            self.ask(kind, "GET", self.url_of(kind, rand))

    def correct(self) -> None:
        n = 0
        while not self.stop.is_set():
            self.wait_up()
            item = self.rand.choice(self.targets)
            got = self.ask("-", "GET", f"/api/items/{item}")
            if not got or got[0] != 200:
                continue
            base = re.sub(f" {MARK}\\d+$", "", json.loads(got[1])["text"])
            n += 1
            body = urlencode({"op": "set", "field": "text", "value": f"{base} {MARK}{n}", "note": "soak"})
            answer = self.ask("-", "POST", f"/api/items/{item}/corrections", body,
                              {**AUTH, "Content-Type": "application/x-www-form-urlencoded"})
            with self.lock:
                self.corrections.setdefault(item, []).append((n, bool(answer and answer[0] == 200)))
            if answer and answer[0] not in (200, 503):
                self.note("api", "error", f"correction {item}: HTTP {answer[0]} {answer[1][:120]!r}")
            self.stop.wait(self.rand.uniform(0.2, 1.0))

    def upload(self) -> None:
        pool = import_pool()
        self.rand.shuffle(pool)
        k = 0
        while not self.stop.is_set():
            self.wait_up()
            kind, name, data = pool[k % len(pool)]
            k += 1
            body, ctype = multipart([(name, data)], {"replace": "1"})
            answer = self.ask("-", "POST", "/api/import", body, {**AUTH, "Content-Type": ctype}, timeout=120)
            sha = hashlib.sha256(data).hexdigest()
            if answer and answer[0] == 202:
                with self.lock:
                    self.jobs.append({"url": json.loads(answer[1])["url"], "name": name, "kind": kind, "sha": sha, "seq": k})
            elif answer is None:  # the server was killed with the upload in hand: it may have queued it
                self.unanswered.append((k, sha))
            self.stop.wait(self.rand.uniform(1.0, 4.0))

    # --- the kills -----------------------------------------------------------------------------------
    def kill_server(self) -> None:
        self.up.clear()
        self.generation += 1
        self.server.kill()
        self.kills["server"] += 1
        for attempt in range(3):  # a server that will not start again is the soak's failure: said, not hidden
            try:
                self.server.start()
                break
            except RuntimeError as exc:
                self.error_samples.append(f"restart {attempt + 1} after a kill failed: {exc}")
        else:
            raise RuntimeError("the server did not start again after a kill (see server.log)")
        self.survived += 1
        self.up.set()

    def kill_worker(self) -> bool:
        for _ in range(50):  # wait for one to be at work, a few seconds at most
            pids = self.server.workers()
            if pids:
                for pid in pids:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                self.kills["worker"] += 1
                self.survived += 1
                return True
            if self.stop.wait(0.1):
                return False
        return False

    def killer(self, every: tuple[float, float]) -> None:
        which = 0
        while not self.stop.wait(self.rand.uniform(*every)):
            if which % 2 == 0:
                self.kill_server()
            else:
                self.kill_worker()
            which += 1

    def watch_rss(self) -> None:
        while not self.stop.wait(0.5):
            with self.lock:
                try:
                    self.rss["server"] = max(self.rss["server"], rss_mb(self.server.proc.pid))
                except Exception:  # noqa: BLE001 - between a kill and a start
                    pass
                for pid in self.server.workers():
                    try:
                        self.rss["worker"] = max(self.rss["worker"], rss_mb(pid))
                    except Exception:  # noqa: BLE001
                        pass

    # --- the run -------------------------------------------------------------------------------------
    def run(self) -> dict:
        started = time.time()
        load_at_start = os.getloadavg()
        every = (max(8.0, self.seconds / 4), max(12.0, self.seconds / 2.5)) if self.seconds < 300 else (30.0, 90.0)
        threads = [threading.Thread(target=self.load, args=(k,), daemon=True) for k in range(self.clients)]
        threads += [threading.Thread(target=t, daemon=True) for t in (self.correct, self.upload, self.watch_rss,
                                                                     self.follow_jobs)]
        threads.append(threading.Thread(target=self.killer, args=(every,), daemon=True))
        for t in threads:
            t.start()
        self.stop.wait(self.seconds)
        self.stop.set()
        for t in threads:
            t.join(180)
        jobs = self.finish_jobs()
        self.server.proc.terminate()
        self.server.proc.wait(30)
        self.wait_workers()
        check = subprocess.run([sys.executable, "-m", "archive.cli.main", "--data", str(self.data), "check"],
                               capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
        ledger = self.ledger(jobs)
        return self.summary(started, load_at_start, check, ledger)

    def job_done(self, job: dict) -> bool:
        """Whether an acknowledged job is done (its files' results kept on it, before the server prunes it)."""
        got = self.ask("-", "GET", job["url"], headers=AUTH)
        state = json.loads(got[1]) if got and got[0] == 200 else None
        if state and state["state"] == "done":
            job["files"] = state["files"]
            return True
        return False

    def follow_jobs(self) -> None:
        """Read each job's results once it is done (the server keeps the last 100 only)."""
        while not self.stop.wait(2.0):
            for job in [j for j in list(self.jobs) if "files" not in j]:
                if self.stop.is_set() or not self.up.is_set():
                    break
                self.job_done(job)

    def finish_jobs(self, timeout: float = 900.0) -> list[dict]:
        """Every acknowledged job, once done (the server and its worker running again)."""
        self.up.set()
        deadline = time.monotonic() + timeout
        for job in self.jobs:
            while "files" not in job and not self.job_done(job):
                if time.monotonic() > deadline:
                    job["files"] = None
                    break
                time.sleep(0.5)
        return list(self.jobs)

    def wait_workers(self, timeout: float = 300.0) -> None:
        deadline = time.monotonic() + timeout
        while self.server.workers() and time.monotonic() < deadline:
            time.sleep(0.5)

    # --- the ledger ----------------------------------------------------------------------------------
    def ledger(self, jobs: list[dict]) -> dict:
        from archive.search.searcher import Searcher
        from archive.search.spec import SearchSpec
        from archive.store import DataDir
        d = DataDir(self.data)
        out = {"corrections_acknowledged": 0, "corrections_lost": [], "unsearchable": [], "uploads_acknowledged": len(jobs),
               "files": {}, "issues_checked": 0, "issues_lost": [], "jobs_unfinished": 0, "hostile_stored": [],
               "stored_unacknowledged": []}
        with d.records() as records, Searcher(d, records) as searcher:
            def found(query: str, want) -> bool:
                result = searcher.search(SearchSpec(query), limit=200)
                return any(want(h) for h in result.hits + result.title_hits)
            for item, sent in self.corrections.items():
                acked = [n for n, ok in sent if ok]
                if not acked:
                    continue
                out["corrections_acknowledged"] += len(acked)
                later = {n for n, ok in sent if not ok and n > acked[-1]}  # cut by a kill: may have landed
                m = re.search(f"{MARK}(\\d+)$", (records.item(item) or {}).get("text", ""))
                if not m or not (int(m.group(1)) == acked[-1] or int(m.group(1)) in later):
                    out["corrections_lost"].append((item, acked[-1], m and m.group(0)))
                elif not found(f'"{MARK}{m.group(1)}"', lambda h: h["id"] == item):
                    out["unsearchable"].append(item)
            final: dict[str, dict] = {}
            for job in sorted(jobs, key=lambda j: j["url"]):  # job ids begin with their time: the worker's order
                if job["files"] is None:
                    out["jobs_unfinished"] += 1
                    continue
                f = job["files"][0]
                key = f"{job['kind']}:{f['status']}" + (f":{f['kind']}" if f.get("kind") else "")
                out["files"][key] = out["files"].get(key, 0) + 1
                if f["status"] in STORED and f["issue"]:
                    final[f["issue"]] = job
                if job["kind"] == "hostile" and records.issues_for_sha(job["sha"]):
                    out["hostile_stored"].append(job["name"])
            for issue, job in sorted(final.items()):
                out["issues_checked"] += 1
                stored = records.sha_for_issue(issue)
                if stored != job["sha"]:
                    # an upload sent later whose answer a kill cut off may have been queued and stored: not a loss
                    if any(seq > job["seq"] and sha == stored for seq, sha in self.unanswered):
                        out["stored_unacknowledged"].append(issue)
                    else:
                        out["issues_lost"].append((issue, job["name"], "another file stored"))
                    continue
                phrase = searchable_phrase(records.items_of_issue(issue))
                if phrase and not found(f'"{phrase}"', lambda h: h["issue"] == issue):
                    out["unsearchable"].append(issue)
        out["lost"] = len(out["corrections_lost"]) + len(out["issues_lost"]) + out["jobs_unfinished"]
        return out

    def summary(self, started, load_at_start, check, ledger) -> dict:
        kinds = {k: {"requests": sum(self.outcomes[k].values()), **self.outcomes[k],
                     "p50_ms": round(pct(self.times[k], 50)) if self.times[k] else None,
                     "p95_ms": round(pct(self.times[k], 95)) if self.times[k] else None} for k in OK}
        return {"seconds": round(time.time() - started), "load_average": [round(x, 2) for x in load_at_start],
                "load_average_end": [round(x, 2) for x in os.getloadavg()], "kinds": kinds,
                "requests": sum(v["requests"] for v in kinds.values()), "errors": sum(v["error"] for v in kinds.values()),
                "error_samples": self.error_samples, "kills": self.kills, "kills_survived": self.survived,
                "rss_peak_mb": {k: round(v) for k, v in self.rss.items()}, "uploads_unanswered": len(self.unanswered),
                "check_clean": check.returncode == 0, "check_output": (check.stdout + check.stderr).strip()[-2000:],
                "ledger": ledger, "ok": check.returncode == 0 and ledger["lost"] == 0 and not ledger["unsearchable"]
                and not ledger["hostile_stored"]}


def searchable_phrase(items: list[dict]) -> str | None:
    """Six Chinese characters in a row from the issue's longest item: what a search must find."""
    for it in sorted(items, key=lambda i: -len(i["text"] or "")):
        m = re.search(r"[\u4e00-\u9fff]{6}", (it["text"] or "")[len(it["text"] or "") // 3:])
        if m:
            return m.group(0)
    return None


def print_summary(s: dict) -> None:
    print(f"soak: {s['seconds']} s, load average {s['load_average']} → {s['load_average_end']}")
    print("| kind | requests | ok | errors | busy (503) | cut by a kill | p50 ms | p95 ms |")
    print("|---|---|---|---|---|---|---|---|")
    for k, v in s["kinds"].items():
        print(f"| {k} | {v['requests']} | {v['ok']} | {v['error']} | {v['busy']} | {v['cut']} | {v['p50_ms']} | {v['p95_ms']} |")
    led = s["ledger"]
    print(f"kills: {s['kills']} (survived {s['kills_survived']}); RSS peak: {s['rss_peak_mb']} MB")
    print(f"corrections acknowledged {led['corrections_acknowledged']}, uploads acknowledged {led['uploads_acknowledged']}"
          f" ({led['files']}), issues checked {led['issues_checked']}")
    print(f"lost: {led['lost']} {led['corrections_lost'] + led['issues_lost']}; unsearchable: {led['unsearchable']};"
          f" hostile stored: {led['hostile_stored']}; check clean: {s['check_clean']}")
    for e in s["error_samples"]:
        print("  error:", e)
    if not s["check_clean"]:
        print(s["check_output"])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float)
    ap.add_argument("--seconds", type=float)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--clients", type=int, default=3)
    ap.add_argument("--json", type=Path, help="write the figures here too")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (its path is printed)")
    args = ap.parse_args(argv)
    seconds = args.seconds if args.seconds is not None else 60 * (args.minutes if args.minutes is not None else 1)
    work = Path(tempfile.mkdtemp(prefix="archive-soak-"))
    soak = Soak(work, seconds, args.seed, args.clients)
    try:
        soak.prepare()
        summary = soak.run()
    finally:
        soak.stop.set()
        if soak.server.proc and soak.server.proc.poll() is None:
            soak.server.proc.kill()
        for pid in soak.server.workers():
            os.kill(pid, signal.SIGKILL)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print_summary(summary)
    if args.keep:
        print(f"work folder: {work}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
