"""A watched inbox: every file that appears in a folder is imported once it is complete, then moved
out of the way with a note of what became of it.

    <inbox>/第5期.pdf                 waiting: imported once its size and mtime have stood still for SETTLE_S
    <inbox>/已导入/第5期.pdf           imported (or already in the archive: the same bytes, by SHA-256)
    <inbox>/已导入/第5期.pdf.txt       the line the command line prints for it, in Chinese
    <inbox>/未导入/说明.doc            refused; its .txt says why (the command line's Chinese line)

Each file goes through the web's bounded import (jobs.JobQueue, run by the data folder's worker
process under its memory cap and time limits, watched by a jobs.Supervisor): the inbox copies it
into a job, waits for the job's result and files it. Nothing is kept in memory that a restart
would need: a file left in the folder is processed when the inbox starts again, and a file
already imported is recognised by its bytes and changes nothing.

`Inbox.run(stop)` watches with watchdog (inotify; its PollingObserver with `poll=True` or where
inotify cannot be used), `Inbox.once()` processes what is there and returns."""
from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from pathlib import Path
from typing import Callable

from ..errors import ArchiveError, Kind
from ..messages import result_line
from ..model import Review
from ..store import DataDir
from .importing import ImportResult
from .jobs import MEMORY_MB, JobQueue, Supervisor

SETTLE_S = 5.0  # a file whose size and mtime stood still this long is complete (a copy, a scanner's upload)
RESCAN_S = 30.0  # the folder is looked over this often even when no event came (a missed one, a network share)
POLL_S = 1.0  # PollingObserver's interval
JOB_POLL_S = 0.2  # how often a job's result is looked for
STOP_SLICE_S = 0.5  # a watch told to stop stops within this
DONE, REFUSED = "已导入", "未导入"
PARTIAL = (".part", ".crdownload", ".tmp", ".partial", ".download")  # still being written by whoever brings it
NOTE_LANG = "zh"  # the notes beside filed files: the command line's own (Chinese) lines

log = logging.getLogger(__name__)


def waiting_file(path: Path) -> bool:
    """A file to import: a plain file in the inbox itself, not hidden, not an editor's lock file
    (~$第5期.docx), not a download still under way."""
    name = path.name
    return (not name.startswith((".", "~$")) and not name.lower().endswith(PARTIAL) and path.is_file()
            and not path.is_symlink())


def result_of(record: dict, name: str) -> ImportResult:
    """A job's stored result (jobs.result_record) as the ImportResult the command line words."""
    error = None
    if record.get("kind"):
        kind = record["kind"] if record["kind"] in Kind._value2member_map_ else "internal"
        error = ArchiveError(record.get("message") or "", kind, **(record.get("params") or {}))
    return ImportResult(name, record.get("status") or "refused", record.get("issue"), record.get("message") or "",
                        [Review.from_stored(r) for r in record.get("reviews") or []], error,
                        record.get("name") or "", record.get("collection") or "")


def free_name(path: Path) -> Path:
    """`path`, or `name (2).ext`… when it is taken (a second file of the same name)."""
    n, stem = 2, path.stem
    while path.exists() or path.with_name(path.name + ".txt").exists():
        path = path.with_name(f"{stem} ({n}){path.suffix}")
        n += 1
    return path


class Inbox:
    def __init__(self, folder: Path | str, datadir: DataDir, *, supervisor: Supervisor | None = None,
                 memory_mb: int | None = MEMORY_MB, settle_s: float = SETTLE_S, poll: bool = False,
                 on_result: Callable[[ImportResult], None] | None = None):
        self.folder = Path(folder)
        self.queue = JobQueue(datadir)
        self.own_supervisor = supervisor is None
        self.supervisor = supervisor or Supervisor(datadir, memory_mb)
        self.settle_s, self.poll = settle_s, poll
        self.on_result = on_result
        self._seen: dict[Path, tuple[int, int, float]] = {}  # path → (size, mtime_ns, unchanged since)
        self._wake = threading.Event()

    # --- what is there, and whether it is complete ----------------------------------------------
    def waiting(self) -> list[Path]:
        try:
            return sorted(p for p in self.folder.iterdir() if waiting_file(p))
        except OSError:
            return []

    def settled(self, path: Path, now: float) -> bool:
        """Has the file's size and mtime stood still for settle_s (watched from the first look)?"""
        try:
            st = path.stat()
        except OSError:
            self._seen.pop(path, None)
            return False
        key = (st.st_size, st.st_mtime_ns)
        seen = self._seen.get(path)
        if seen is None or seen[:2] != key:
            self._seen[path] = (*key, now)
            return False
        return now - seen[2] >= self.settle_s

    # --- one file -------------------------------------------------------------------------------
    def process(self, path: Path) -> ImportResult:
        """Import one complete file through the bounded worker, then file it away with its note."""
        self._seen.pop(path, None)
        job = self.queue.submit([(path.name, lambda dest: shutil.copyfile(path, dest))])
        self.supervisor.wake()
        while True:
            done = self.queue.read(job["id"]) or {}
            if done.get("state") == "done":
                break
            time.sleep(JOB_POLL_S)
        result = result_of(done["files"][0]["result"] or {}, path.name)
        self.file_away(path, result)
        if self.on_result is not None:
            self.on_result(result)
        return result

    def file_away(self, path: Path, result: ImportResult) -> Path:
        folder = self.folder / (REFUSED if result.failed else DONE)
        folder.mkdir(exist_ok=True)
        dest = free_name(folder / path.name)
        note = result_line(ImportResult(dest.name, result.status, result.issue_id, result.message, result.reviews,
                                        result.error, result.name, result.collection), NOTE_LANG)
        (dest.with_name(dest.name + ".txt")).write_text(note + "\n", encoding="utf-8")
        os.replace(path, dest)
        return dest

    # --- the folder ----------------------------------------------------------------------------
    def scan(self) -> list[ImportResult]:
        """Import every waiting file that is complete (a file still growing is left for later)."""
        now = time.monotonic()
        present = self.waiting()
        for gone in set(self._seen) - set(present):
            del self._seen[gone]
        return [self.process(p) for p in present if self.settled(p, now)]

    def once(self) -> list[ImportResult]:
        """Process what is in the folder now (each file once it is complete), then return."""
        results: list[ImportResult] = []
        try:
            while True:
                results += self.scan()
                if not self.waiting():
                    return results
                time.sleep(min(0.2, self.settle_s / 4))
        finally:
            self.close()

    def run(self, stop: threading.Event) -> None:
        """Watch the folder until `stop` is set: files present at the start first, then each that
        appears (watchdog wakes the loop; a rescan every RESCAN_S catches what no event told)."""
        observer = self.observer()
        try:
            while not stop.is_set():
                try:
                    self.scan()
                except Exception:  # one bad moment (a full disk, a vanished folder) must not end the watch
                    log.exception("inbox %s: scan failed", self.folder)
                self.pause(stop, min(self.settle_s / 2, POLL_S) if self._seen else RESCAN_S)
        finally:
            observer.stop()
            observer.join(timeout=5)
            self.close()

    def pause(self, stop: threading.Event, seconds: float) -> None:
        """Until an event in the folder, `stop`, or `seconds` (in slices: `stop` is seen within one)."""
        deadline = time.monotonic() + seconds
        while not stop.is_set() and not self._wake.wait(max(0.0, min(STOP_SLICE_S, deadline - time.monotonic()))):
            if time.monotonic() >= deadline:
                break
        self._wake.clear()

    def start(self, stop: threading.Event) -> threading.Thread:
        """Watch in a thread of this process (the server's --inbox)."""
        thread = threading.Thread(target=self.run, args=(stop,), name="archive-inbox", daemon=True)
        thread.start()
        return thread

    def observer(self):
        """A started watchdog observer that wakes the loop on any change in the folder: inotify,
        or polling when asked or when inotify cannot be had (no inotify, its watches used up)."""
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers.polling import PollingObserver

        inbox = self

        class Wake(FileSystemEventHandler):
            def on_any_event(self, event):
                inbox._wake.set()
        if not self.poll:
            try:
                from watchdog.observers import Observer
                observer = Observer()
                observer.schedule(Wake(), str(self.folder), recursive=False)
                observer.start()
                return observer
            except (OSError, ImportError) as exc:
                log.warning("inbox %s: inotify unavailable (%s), polling instead", self.folder, exc)
        observer = PollingObserver(timeout=POLL_S)
        observer.schedule(Wake(), str(self.folder), recursive=False)
        observer.start()
        return observer

    def close(self) -> None:
        if self.own_supervisor:
            self.supervisor.close()  # the worker finishes what it has (nothing is left half-done)
