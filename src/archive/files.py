"""Files written whole or not at all (stored originals, cached page images and OCR results)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write(path: Path, data: bytes, durable: bool = False) -> Path:
    """Write `data` to `path` through a temp file beside it, renamed over it: a reader (another
    process, a parallel import) sees the old file or the new one, never half of one. `durable`
    also flushes it to disk first (originals; a cache entry can be made again)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
