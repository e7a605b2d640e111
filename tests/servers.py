"""A server on loopback, load on it, and its memory: `archive serve` in its own process, requests,
uploads, clients searching in threads, RSS samples, and one percentile formula. Shared by the server
tests (test_hostile, test_proxy, test_uploads_early) and the scripts that load a server
(scripts/bench/bench_http.py, bench_load.py, soak.py: `from tests.servers import ...`)."""
from __future__ import annotations

import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from archive.service.bounds import rss_mb

ROOT = Path(__file__).resolve().parent.parent

__all__ = ["ROOT", "Load", "RssWatch", "free_port", "multipart", "pct", "request", "rss_mb", "search_urls",
           "start_server", "upload", "wait_for", "wait_job"]


def pct(values, p: float) -> float:
    """The p-th percentile by the nearest-rank method (p50 of 1..4 is 2, p95 of 100 values the 95th)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), -(-p * len(ordered) // 100)))  # ceil(p/100 · n)
    return ordered[int(rank) - 1]


def processes_with(*args: str) -> set[int]:
    """The processes whose command line holds each of `args` as one of its arguments (Linux's /proc)."""
    want = [a.encode() for a in args]
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # ended meanwhile
        if all(w in cmd for w in want):
            found.add(int(entry.name))
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def start_server(data: Path, port: int, threads: int = 8, token: str | None = None, log=None,
                 env: dict | None = None) -> subprocess.Popen:
    """`archive serve` in its own process on 127.0.0.1:port (web import on with `token`; `env`: more
    variables for it)."""
    env = {**os.environ, "ARCHIVE_DATA": str(data), "PYTHONPATH": str(ROOT / "src"), **(env or {})}
    env.pop("ARCHIVE_ADMIN_TOKEN", None)
    if token:
        env["ARCHIVE_ADMIN_TOKEN"] = token
    proc = subprocess.Popen([sys.executable, "-m", "archive.cli.main", "--data", str(data), "serve", "--port", str(port),
                             "--threads", str(threads)], env=env, stdout=log or subprocess.DEVNULL,
                            stderr=subprocess.STDOUT if log else subprocess.DEVNULL)
    wait_for(port, proc)
    return proc


class RssWatch(threading.Thread):
    """Samples a process's RSS every `every` seconds until stopped: .peak, .samples."""

    def __init__(self, pid: int, every: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.samples: list[float] = []
        self._halt = threading.Event()

    def run(self):
        while not self._halt.is_set():
            self.samples.append(rss_mb(self.pid))
            self._halt.wait(self.every)

    def stop(self) -> "RssWatch":
        self._halt.set()
        self.join(5)
        return self

    @property
    def peak(self) -> float:
        return max(self.samples, default=0.0)


def multipart(files: list[tuple[str, bytes]], fields: dict | None = None) -> tuple[bytes, str]:
    """A multipart/form-data body of files (field `files`) and fields; (body, content type)."""
    boundary = "----archive" + secrets.token_hex(12)
    out = bytearray()
    for k, v in (fields or {}).items():
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").encode()
    for name, data in files:
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
                "Content-Type: application/pdf\r\n\r\n").encode() + data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def request(port: int, method: str, url: str, body: bytes | None = None, headers: dict | None = None,
            timeout: float = 120.0) -> tuple[int, bytes, dict]:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request(method, url, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, r.read(), dict(r.getheaders())
    finally:
        c.close()


def upload(port: int, token: str, files: list[tuple[str, bytes]], **fields) -> tuple[int, dict]:
    body, ctype = multipart(files, fields)
    status, data, _ = request(port, "POST", "/api/import", body,
                              {"Authorization": f"Bearer {token}", "Content-Type": ctype})
    return status, json.loads(data)


def wait_job(port: int, token: str, url: str, timeout: float = 300.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        status, data, _ = request(port, "GET", url, headers={"Authorization": f"Bearer {token}"})
        job = json.loads(data)
        if status == 200 and job["state"] == "done":
            return job
        if time.monotonic() > deadline:
            raise TimeoutError(f"job not done in {timeout} s: {job}")
        time.sleep(0.2)


class Load(threading.Thread):
    """One client sending `urls` in turn over a keep-alive connection until stopped, recording
    (kind, ms, status) for each; an error (no answer, or a status not in `ok`) is recorded as status 0."""

    def __init__(self, port: int, urls: list[tuple[str, str]], ok=(200,), pause: float = 0.0):
        super().__init__(daemon=True)
        self.port, self.urls, self.ok, self.pause = port, urls, ok, pause
        self.times: list[tuple[str, float, int]] = []
        self._halt = threading.Event()

    def run(self):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        n = 0
        while not self._halt.is_set():
            kind, url = self.urls[n % len(self.urls)]
            n += 1
            t = time.perf_counter()
            try:
                c.request("GET", url, headers={"Connection": "keep-alive"})
                r = c.getresponse()
                r.read()
                status = r.status if r.status in self.ok else 0
            except (OSError, http.client.HTTPException):
                status = 0
                c.close()
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.times.append((kind, (time.perf_counter() - t) * 1000, status))
            if self.pause:
                self._halt.wait(self.pause)
        c.close()

    def stop(self) -> "Load":
        self._halt.set()
        self.join(35)
        return self


def search_urls() -> list[tuple[str, str]]:
    """A mix of what staff ask: the search page with its filter counts, and the JSON API."""
    mix = [("/", {"q": "党史"}), ("/api/search", {"q": "安全"}), ("/", {"q": "学习教育", "sort": "date"}),
           ("/api/search", {"q": "党课 OR 报告会"}), ("/", {"q": "主题党日"}), ("/api/search", {"year": "2016..2021"}),
           ("/", {"q": "云南文山铝业有限公司"}), ("/api/search", {"q": "\"为群众办实事\""})]
    return [("search", f"{path}?{urlencode(params)}") for path, params in mix]
