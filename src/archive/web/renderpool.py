"""Page renders in processes of their own: PDFium is not thread-safe within a process, and one slow
or huge page must not hold every other render (or the server's memory) behind it.

A RenderPool keeps up to `size` renderer processes (`python -m archive.web.renderpool`, started
as needed); each renders one page at a time under a memory cap, writes the PNG itself
(atomically) and answers one JSON line. A render that runs past `timeout_s` has its process
killed (the next render starts a fresh one); no free renderer within `wait_s` is PageImageError render_busy (503)."""
from __future__ import annotations

import io
import json
import os
import queue
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

from ..service.bounds import cap_memory
from ..errors import PageImageError

RENDERERS = 2
TIMEOUT_S = 20.0
WAIT_S = 10.0
MEMORY_MB = 1024  # default address-space cap (Settings.render_memory_mb): a 16-million-pixel page needs ~150 MB


class Renderer:
    """One renderer process, spoken to in JSON lines over its stdin and stdout."""

    def __init__(self, memory_mb: int | None):
        self.proc = subprocess.Popen([sys.executable, "-m", "archive.web.renderpool", str(memory_mb or 0)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.buf = b""

    def ask(self, request: dict, timeout_s: float) -> dict:
        try:
            self.proc.stdin.write(json.dumps(request).encode() + b"\n")
            self.proc.stdin.flush()
        except OSError:  # it died since its last page
            self.kill()
            raise PageImageError(f"the renderer stopped before page {request['page']}", "render_failed") from None
        deadline = time.monotonic() + timeout_s
        out = self.proc.stdout.fileno()
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([out], [], [], left)[0]:
                self.kill()
                raise PageImageError(f"page {request['page']} took more than {timeout_s:g} s to draw", "render_timeout",
                                   seconds=round(timeout_s))
            chunk = os.read(out, 65536)
            if not chunk:  # the process died: its memory cap, or PDFium crashed on the file
                self.kill()
                raise PageImageError(f"the renderer stopped on page {request['page']}", "render_failed")
            self.buf += chunk
        line, _, self.buf = self.buf.partition(b"\n")
        return json.loads(line)

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass


class RenderPool:
    def __init__(self, size: int = RENDERERS, timeout_s: float = TIMEOUT_S, wait_s: float = WAIT_S,
                 memory_mb: int | None = MEMORY_MB):
        self.timeout_s, self.wait_s, self.memory_mb = timeout_s, wait_s, memory_mb
        self._free: queue.Queue = queue.Queue()
        for _ in range(size):
            self._free.put(None)  # a slot; its process is started on first use
        self._lock = threading.Lock()
        self._all: list[Renderer] = []

    def render(self, pdf: Path, page: int, scale: float, out: Path, rotation: int = 0) -> dict:
        """Draw 1-based `page` of `pdf` at `scale`, turned `rotation` degrees clockwise, into the PNG
        `out`: {"width", "height"} in pixels."""
        try:
            slot = self._free.get(timeout=self.wait_s)
        except queue.Empty:
            raise PageImageError("every page renderer is busy", "render_busy") from None
        try:
            if slot is None or not slot.alive:
                slot = Renderer(self.memory_mb)
                with self._lock:
                    self._all.append(slot)
            answer = slot.ask({"pdf": str(pdf), "page": page, "scale": scale, "out": str(out), "rotation": rotation},
                             self.timeout_s)
        except PageImageError:
            slot = None
            raise
        finally:
            self._free.put(slot)
        if not answer.get("ok"):
            raise PageImageError(f"page {page} cannot be drawn ({answer.get('detail', '')})", "render_failed")
        return answer

    def close(self) -> None:
        with self._lock:
            for r in self._all:
                r.kill()
            self._all.clear()


# --- the renderer process ------------------------------------------------------------------------

def draw(pdf: str, page: int, scale: float, out: str, rotation: int = 0) -> dict:
    import pypdfium2 as pdfium

    from ..files import atomic_write
    doc = pdfium.PdfDocument(pdf)
    try:
        image = doc[page - 1].render(scale=scale, rotation=rotation).to_pil()
    finally:
        doc.close()
    buf = io.BytesIO()
    image.save(buf, "PNG", optimize=False, compress_level=6)
    atomic_write(Path(out), buf.getvalue())
    return {"ok": True, "width": image.width, "height": image.height}


def serve(memory_mb: int) -> None:
    """Render requests from stdin until it closes (the server is gone)."""
    cap_memory(memory_mb)
    for line in sys.stdin.buffer:
        try:
            req = json.loads(line)
            answer = draw(req["pdf"], int(req["page"]), float(req["scale"]), req["out"], int(req.get("rotation", 0)))
        except MemoryError:
            answer = {"ok": False, "detail": "memory"}
        except Exception as exc:
            answer = {"ok": False, "detail": f"{type(exc).__name__}: {exc}"[:200]}
        sys.stdout.buffer.write(json.dumps(answer).encode() + b"\n")
        sys.stdout.buffer.flush()


if __name__ == "__main__":
    serve(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
