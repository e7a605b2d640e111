"""Page renders in processes of their own: PDFium is not thread-safe within a process, and one slow
or huge page must not hold every other render (or the server's memory) behind it.

A RenderPool keeps up to `size` renderer processes (`python -m archive.web.renderpool`, started
as needed); each renders one page at a time under a memory cap — first refusing a page with an
image past the pixel cap by its dictionary or by its own data (a JPEG2000 that declares 64×64 and
says 60000×60000 would take PDFium down), kind page_image_pixels —, writes the PNG itself
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
PNG_LEVEL = 1  # zlib level: 2-3 times faster to write than 6, the files about as small (pages are mostly white)
COLOUR_STEP, COLOUR_LEAST = 2, 24  # has_colour: the image halved; channels this far apart are colour
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

    def render(self, pdf: Path, page: int, scale: float, out: Path, rotation: int = 0, **cut) -> dict:
        """Draw 1-based `page` of `pdf` at `scale`, turned `rotation` degrees clockwise, into the PNG
        `out`: {"width", "height"} in pixels. `cut`: a photographed page's quad, size, out_scale and
        turn (draw's)."""
        try:
            slot = self._free.get(timeout=self.wait_s)
        except queue.Empty:
            raise PageImageError("every page renderer is busy", "render_busy") from None
        try:
            slot = self._ready(slot)
            answer = slot.ask({"pdf": str(pdf), "page": page, "scale": scale, "out": str(out), "rotation": rotation,
                               **cut}, self.timeout_s)
        except PageImageError:
            slot = None
            raise
        finally:
            self._free.put(slot)
        if not answer.get("ok"):
            kind = answer.pop("kind", None) or "render_failed"
            params = {k: v for k, v in answer.items() if k in ("width", "height", "limit_mp")}
            raise PageImageError(f"page {page} cannot be drawn ({answer.get('detail') or kind})", kind, **params)
        return answer

    def warm(self) -> None:
        """Start every renderer now, each importing PDFium and PIL before it waits for work (a
        server's first page image is then drawn at once, not after a process start)."""
        slots = []
        while True:
            try:
                slots.append(self._free.get_nowait())
            except queue.Empty:
                break
        for slot in slots:
            try:
                slot = self._ready(slot)
            except OSError:
                slot = None
            self._free.put(slot)

    def _ready(self, slot: Renderer | None) -> Renderer:
        """The slot's renderer, or a new one started in its place (none yet, or it died)."""
        if slot is None or not slot.alive:
            slot = Renderer(self.memory_mb)
            with self._lock:
                self._all.append(slot)
        return slot

    def close(self) -> None:
        with self._lock:
            for r in self._all:
                r.kill()
            self._all.clear()


# --- the renderer process ------------------------------------------------------------------------

def oversized_image(pdf_page) -> dict | None:
    """The first image on the page (in forms too) whose declared size, or the size its own data
    says (ingest/imagesize.py: what the decoder would allocate), is past the import's pixel cap:
    {"kind", "width", "height"}; None when all may be decoded."""
    import pypdfium2.raw as pdfium_c

    from ..ingest.imagesize import codec_of, codec_size
    from ..ingest.limits import MAX_IMAGE_PIXELS
    for image in pdf_page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        sizes = [image.get_px_size()]
        filters = image.get_filters()
        if filters and codec_of(filters[-1]):
            sizes.append(codec_size(filters[-1], bytes(image.get_data(decode_simple=True))))
        for size in sizes:
            if size and size[0] * size[1] > MAX_IMAGE_PIXELS:
                return {"kind": "page_image_pixels", "width": size[0], "height": size[1],
                        "limit_mp": MAX_IMAGE_PIXELS // 10**6}
    return None


def draw(pdf: str, page: int, scale: float, out: str, rotation: int = 0, quad=None, size=None,
         out_scale: float = 1.0, turn: int = 0) -> dict:
    """Draw a page into the PNG `out`, unless an image on it is too large to decode (checked first).
    A photographed page (`quad`: its corners in the file page's points; `size`: the page cut out, in
    points, as it lies in the photo) is cut out of the photo and straightened at `out_scale`, then
    turned back `turn` degrees (it was read turned clockwise so far), as OCR read it."""
    import pypdfium2 as pdfium

    from ..files import atomic_write
    doc = pdfium.PdfDocument(pdf)
    try:
        pdf_page = doc[page - 1]
        refused = oversized_image(pdf_page)
        if refused:
            return {"ok": False, **refused}
        image = pdf_page.render(scale=scale, rotation=rotation).to_pil()
    finally:
        doc.close()
    if quad:
        image = cut_out(image, [[x * scale, y * scale] for x, y in quad],
                        (max(1, round(size[0] * out_scale)), max(1, round(size[1] * out_scale))))
        if turn in (90, 180, 270):
            image = image.rotate(turn, expand=True)  # counter-clockwise: back from a clockwise turn
    if image.mode == "RGB" and not has_colour(image):
        image = image.convert("L")  # a page in black and grey: a third of the bytes to write and send
    buf = io.BytesIO()
    image.save(buf, "PNG", optimize=False, compress_level=PNG_LEVEL)
    atomic_write(Path(out), buf.getvalue())
    return {"ok": True, "width": image.width, "height": image.height}


def cut_out(image, quad, size: tuple[int, int]):
    """The quadrilateral `quad` (pixels: top-left, top-right, bottom-right, bottom-left) of a PIL
    image warped to an upright rectangle of `size` pixels, as OCR straightened it (photo.warp_to)."""
    import numpy as np
    from PIL import Image

    from ..ingest.photo import warp_to
    return Image.fromarray(warp_to(np.asarray(image.convert("RGB")), quad, size))


def has_colour(image, step: int = COLOUR_STEP, least: int = COLOUR_LEAST) -> bool:
    """Does an RGB image hold colour (a red title, a photo)? The image reduced `step` times each
    way, a channel apart from another by more than `least` anywhere is colour (JPEG's grey wobbles less)."""
    from PIL import ImageChops
    r, g, b = (image.reduce(step) if step > 1 else image).split()
    return ImageChops.difference(r, g).getextrema()[1] > least or ImageChops.difference(g, b).getextrema()[1] > least


def serve(memory_mb: int) -> None:
    """Render requests from stdin until it closes (the server is gone)."""
    cap_memory(memory_mb)
    import pypdfium2  # noqa: F401  (loaded before the first request, not during it)
    from PIL import Image  # noqa: F401
    for line in sys.stdin.buffer:
        try:
            req = json.loads(line)
            answer = draw(req["pdf"], int(req["page"]), float(req["scale"]), req["out"], int(req.get("rotation", 0)),
                          req.get("quad"), req.get("size"), float(req.get("out_scale", 1.0)), int(req.get("turn", 0)))
        except MemoryError:
            answer = {"ok": False, "detail": "memory"}
        except Exception as exc:
            answer = {"ok": False, "detail": f"{type(exc).__name__}: {exc}"[:200]}
        sys.stdout.buffer.write(json.dumps(answer).encode() + b"\n")
        sys.stdout.buffer.flush()


if __name__ == "__main__":
    serve(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
