"""Web imports as jobs: a queue of folders in the data folder, and one worker process that runs
them through the CLI's own import (importing.Importer), a file at a time, with a memory cap and
wall-time limits. The web server only stores uploads and reads progress: it never parses a file.

    <data>/jobs/<id>/job.json        the job: its files, each one's progress and result
    <data>/jobs/<id>/files/NNN.pdf   the uploaded bytes (removed when the job is done)
    <data>/jobs/<id>/stopped.json    left by the supervisor when it had to stop the worker
    <data>/jobs/worker.lock          held by the one worker of this data folder

    JobQueue.submit   (web server)   a job folder appears whole: written aside, renamed in
    run_worker        (python -m archive.service.jobs)  jobs oldest first; per file Importer.import_bytes,
                      its on_pages/on_page callbacks writing progress into job.json; exits when
                      the queue is empty, so the OCR models live and die with it
    Supervisor        (a thread of the web server)  starts the worker when a job is queued, kills
                      it when a file runs past its deadline, starts it again for what is left

Only the worker writes a job.json once it is submitted (atomically: readers see whole files)."""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable

from .bounds import cap_memory
from ..files import atomic_write, file_lock
from ..store import DataDir
from ..model import read_by_ocr

MEMORY_MB = 1536  # the worker's default address-space cap (Settings.import_memory_mb): an OCR import peaks at ~870 MB
GRACE_S = 30.0  # past the import's own time limits (storing, indexing) before the worker is killed
PROGRESS_EVERY_S = 0.25  # job.json is rewritten at most this often while pages are read
JOBS_KEPT = 100  # finished jobs whose record is kept
RESTART_BACKOFF_S = (0.5, 2.0, 5.0, 15.0, 30.0)
ATTEMPTS = 2  # a file whose worker died while reading it is read this many times in all


def now() -> float:
    return round(time.time(), 3)


class JobQueue:
    """The jobs of one data folder, as folders under DataDir.jobs."""

    def __init__(self, datadir: DataDir):
        self.datadir = datadir
        self.root = datadir.jobs

    def folder(self, job_id: str) -> Path:
        if not job_id or not all(c.isalnum() or c == "-" for c in job_id):
            raise KeyError(job_id)
        return self.root / job_id

    def submit(self, files: Iterable[tuple[str, Callable[[Path], None]]], replace: bool = False,
               skipped: Iterable[str] = ()) -> dict:
        """A new job of the files given as (display name, write(path)); the job appears whole.
        `skipped`: names of the files an upload held but left out (not PDFs in a folder), listed with it."""
        t = time.time()
        job_id = f"{time.strftime('%Y%m%d-%H%M%S', time.localtime(t))}{int(t * 1e6) % 10**6:06d}-{secrets.token_hex(3)}"
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".new-{job_id}"
        (tmp / "files").mkdir(parents=True)
        try:
            entries = []
            for n, (name, write) in enumerate(files, 1):
                rel = f"files/{n:03d}.pdf"
                write(tmp / rel)
                entries.append({"name": name, "path": rel, "bytes": (tmp / rel).stat().st_size, "state": "queued",
                                "pages": None, "pages_done": 0, "ocr_pages": 0, "result": None})
            job = {"id": job_id, "state": "queued", "created": now(), "started": None, "finished": None,
                   "replace": bool(replace), "files": entries, "skipped": list(skipped)}
            atomic_write(tmp / "job.json", json.dumps(job, ensure_ascii=False).encode("utf-8"))
            os.replace(tmp, self.root / job_id)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return job

    def read(self, job_id: str) -> dict | None:
        try:
            return json.loads((self.folder(job_id) / "job.json").read_text(encoding="utf-8"))
        except (KeyError, OSError, ValueError):
            return None

    def write(self, job: dict) -> None:
        atomic_write(self.folder(job["id"]) / "job.json", json.dumps(job, ensure_ascii=False).encode("utf-8"))

    def ids(self) -> list[str]:
        """Every job, oldest first (ids begin with their time)."""
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.is_dir() and not p.name.startswith("."))

    def pending(self) -> list[str]:
        """Jobs not finished (queued, or left running by a worker that was stopped), oldest first."""
        return [i for i in self.ids() if (self.read(i) or {}).get("state") in ("queued", "running")]

    def recent(self, n: int = 10) -> list[dict]:
        return [j for j in (self.read(i) for i in reversed(self.ids()[-n:])) if j]

    def prune(self, keep: int = JOBS_KEPT) -> None:
        done = [i for i in self.ids() if (self.read(i) or {}).get("state") == "done"]
        for job_id in done[:-keep] if keep else done:
            shutil.rmtree(self.folder(job_id), ignore_errors=True)


# --- the worker --------------------------------------------------------------------------------

@contextmanager
def worker_lock(root: Path, wait_s: float):
    """Hold the data folder's worker lock for the block (yields False when another worker held it
    for `wait_s` seconds): one worker per data folder, whoever started it."""
    with file_lock(Path(root) / "worker.lock", wait_s) as held:
        yield held


def run_worker(datadir: DataDir, memory_mb: int | None = None, lock_wait_s: float = 5.0, reader: str | None = None) -> int:
    """Run every pending job, oldest first, then return (the number of jobs run). `memory_mb`: the
    cap main() set on this process, for what a stopped file's result says; `reader`: the stage-1
    reader (settings.pdf_reader), None: the default."""
    queue = JobQueue(datadir)
    done = 0
    with worker_lock(queue.root, lock_wait_s) as mine:
        if not mine:
            return 0
        while True:
            pending = queue.pending()
            if not pending:
                break
            run_job(queue, pending[0], memory_mb, reader)
            done += 1
        queue.prune()
    return done


def run_job(queue: JobQueue, job_id: str, memory_mb: int | None = None, reader: str | None = None) -> None:
    from .importing import Importer, ImportOptions
    job = queue.read(job_id)
    job["state"], job["started"], job["worker"] = "running", job.get("started") or now(), os.getpid()
    queue.write(job)
    with queue.datadir.records() as records:
        for n, entry in enumerate(job["files"]):
            if entry["state"] == "done":
                continue
            if entry["state"] == "reading":  # the worker before this one was stopped while reading it
                if not try_again(queue, job_id, n, entry) and not committed(queue, job_id, entry, records):
                    entry.update(state="done", deadline=None, result=stopped_result(queue, job_id, n, memory_mb))
                    queue.write(job)
                    continue
            importer = Importer(records, queue.datadir, ImportOptions(replace=job["replace"], reader=reader))
            importer.keep_paths = True  # a name is a display name: a file's path within the folder picked
            import_one(queue, job, n, importer, records)
    job["state"], job["finished"] = "done", now()
    queue.write(job)
    shutil.rmtree(queue.folder(job_id) / "files", ignore_errors=True)
    (queue.folder(job_id) / "stopped.json").unlink(missing_ok=True)


def import_one(queue: JobQueue, job: dict, n: int, importer, records) -> None:
    """One file of a job through the importer, its progress written into the job as it goes."""
    from .converting import CONVERT_TIME_S, is_office
    from .importing import TIME_BASE_S, TIME_PER_PAGE_S
    entry = job["files"][n]
    started = time.monotonic()
    wall = time.time() + (CONVERT_TIME_S if is_office(entry["name"]) else 0.0)  # a Word file is converted first
    entry.update(state="reading", started=now(), pages=None, pages_done=0, ocr_pages=0, attempts=entry.get("attempts", 0) + 1,
                 limit_s=round(TIME_BASE_S), deadline=wall + TIME_BASE_S + GRACE_S)
    queue.write(job)
    last = [0.0]

    def on_pages(pages: int) -> None:
        limit = 2 * TIME_BASE_S + TIME_PER_PAGE_S * pages  # the check's limit, then the parse's
        entry.update(pages=pages, limit_s=round(limit), deadline=wall + limit + GRACE_S)
        queue.write(job)

    def on_page(method: str) -> None:
        entry["pages_done"] += 1
        entry["ocr_pages"] += read_by_ocr(method)  # recognised now or earlier (the OCR cache): as the result counts
        t = time.monotonic()
        if t - last[0] >= PROGRESS_EVERY_S or entry["pages_done"] == entry["pages"]:
            last[0] = t
            queue.write(job)

    importer.on_pages, importer.on_page = on_pages, on_page
    try:
        data = (queue.folder(job["id"]) / entry["path"]).read_bytes()
    except OSError as exc:
        result = {"status": "refused", "issue": None, "kind": "unreadable", "params": {},
                  "message": f"cannot read the uploaded file: {exc.strerror or exc}", "reviews": []}
    else:  # a bound volume gives a result for each issue it holds: the file's is the first, with all of them
        results = [result_record(r, records) for r in importer.import_bytes(data, entry["name"])]
        result = dict(results[0], parts=results) if len(results) > 1 else results[0]
    result["seconds"] = round(time.monotonic() - started, 2)
    entry.update(state="done", deadline=None, result=result)
    queue.write(job)


def jsonable(params: dict) -> dict:
    return {k: v if isinstance(v, (str, int, float, bool, type(None))) else str(v) for k, v in params.items()}


def result_record(r, records) -> dict:
    """An ImportResult as the job keeps it: status, issue, the refusal's kind and figures (for the
    web to word), the English line, review reasons, and how its pages were read."""
    out = {"status": r.status, "issue": r.issue_id, "message": r.message,
           "reviews": [x.as_dict() for x in r.reviews], "kind": None, "params": {},
           "name": r.name, "collection": r.collection,
           "source_pages": list(r.source_pages) if r.source_pages else None}
    if r.error is not None:
        out["kind"], out["params"] = r.error.kind, jsonable(r.error.params)
    elif r.failed:
        out["kind"], out["params"] = "internal", {"detail": r.message}
    if r.issue_id and not r.failed:
        methods = records.page_methods(r.issue_id)
        out["pages"], out["ocr_pages"] = len(methods), sum(map(read_by_ocr, methods))
    return out


def try_again(queue: JobQueue, job_id: str, n: int, entry: dict) -> bool:
    """Whether a file whose worker died while reading it is read once more: yes, the first time,
    unless the supervisor stopped it for its time limit. A worker killed from outside (an operator,
    a restart of the machine) loses no upload; a file that takes its worker down twice (its memory
    cap) is refused. Whatever the dead worker committed is found again (`already imported`)."""
    marker = queue.folder(job_id) / "stopped.json"
    try:
        why = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        why = {}
    return not (why.get("file") == n and why.get("kind") == "timeout") and entry.get("attempts", 1) < ATTEMPTS


def committed(queue: JobQueue, job_id: str, entry: dict, records) -> bool:
    """Whether a file whose worker was stopped had been stored before it was (stopped between its
    commit and the job's record of it): then its result is `already imported`, not a refusal. Once
    only: a file read again this way that takes its worker down once more (a volume read again for
    --replace) is refused, so no file can stop the worker for ever."""
    if entry.get("attempts", 1) > ATTEMPTS:
        return False
    try:
        data = (queue.folder(job_id) / entry["path"]).read_bytes()
    except OSError:
        return False
    if not records.issues_for_sha(hashlib.sha256(data).hexdigest()):
        return False
    (queue.folder(job_id) / "stopped.json").unlink(missing_ok=True)
    return True


def stopped_result(queue: JobQueue, job_id: str, n: int, memory_mb: int | None) -> dict:
    """The result of a file whose worker was stopped: past its time limit (the supervisor says so
    in stopped.json), or gone for another reason (most likely the memory cap)."""
    marker = queue.folder(job_id) / "stopped.json"
    try:
        why = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        why = {}
    if why.get("file") == n and why.get("kind") == "timeout":
        kind, params = "timeout", {"seconds": why.get("seconds")}
        message = f"gave up after {why.get('seconds')} s: the file takes too long to read"
    else:
        kind, params = "worker_stopped", {"memory_mb": memory_mb}
        message = f"the import worker stopped while reading this file (memory cap {memory_mb} MB)"
    marker.unlink(missing_ok=True)
    return {"status": "refused", "issue": None, "kind": kind, "params": params, "message": message, "reviews": []}


# --- the supervisor (in the web server) ----------------------------------------------------------

class Supervisor:
    """Keeps the data folder's worker running while jobs are pending, and stops it when a file runs
    past its deadline. A thread of the server: it waits and reads job files, nothing heavier."""

    def __init__(self, datadir: DataDir, memory_mb: int | None = MEMORY_MB, poll_s: float = 0.5):
        self.queue = JobQueue(datadir)
        self.memory_mb = memory_mb
        self.poll_s = poll_s
        self.proc: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._failures = 0
        self._closed = False

    def wake(self) -> None:
        """A job was queued: make sure a worker runs and is watched."""
        with self._lock:
            if self._closed:
                return
            if self.proc is None or self.proc.poll() is not None:
                self.proc = self._start()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._watch, name="archive-jobs", daemon=True)
                self._thread.start()

    def _start(self) -> subprocess.Popen:
        self.queue.root.mkdir(parents=True, exist_ok=True)
        with open(self.queue.root / "worker.log", "ab") as log:
            return subprocess.Popen([sys.executable, "-m", "archive.service.jobs", "--data", str(self.queue.datadir.root),
                                     "--memory-mb", str(self.memory_mb or 0)], stdin=subprocess.DEVNULL,
                                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def _watch(self) -> None:
        while True:
            time.sleep(self.poll_s)
            with self._lock:
                if self._closed:
                    return
                proc = self.proc
                if proc is not None and proc.poll() is None:
                    self.stop_overdue(proc)
                    continue
                self._failures = self._failures + 1 if proc is not None and proc.returncode else 0
                if not self.queue.pending():
                    self._thread = None
                    return
            time.sleep(RESTART_BACKOFF_S[min(self._failures, len(RESTART_BACKOFF_S) - 1)])
            with self._lock:
                if self._closed:
                    return
                self.proc = self._start()

    def stop_overdue(self, proc: subprocess.Popen) -> bool:
        """Kill the worker if the file it reads is past its deadline (leaving stopped.json)."""
        for job_id in self.queue.pending():
            job = self.queue.read(job_id) or {}
            for n, entry in enumerate(job.get("files", ())):
                if entry.get("state") == "reading" and entry.get("deadline") and time.time() > entry["deadline"]:
                    atomic_write(self.queue.folder(job_id) / "stopped.json", json.dumps(
                        {"file": n, "kind": "timeout", "seconds": entry.get("limit_s")}).encode())
                    proc.kill()
                    proc.wait()
                    return True
        return False

    def close(self, kill: bool = False) -> None:
        with self._lock:
            self._closed = True
            if kill and self.proc is not None and self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()


def main(argv: list[str] | None = None) -> int:
    import argparse
    ap = argparse.ArgumentParser(prog="python -m archive.service.jobs", description="Run the data folder's pending web imports.")
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--memory-mb", type=int, default=MEMORY_MB, help="address-space cap (0: none)")
    args = ap.parse_args(argv)
    cap_memory(args.memory_mb)
    os.nice(10)  # the server's requests come first on a busy machine
    from ..settings import Settings
    run_worker(DataDir(args.data), args.memory_mb or None, reader=Settings.from_env().pdf_reader)
    return 0


if __name__ == "__main__":
    sys.exit(main())
