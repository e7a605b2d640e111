"""Files written whole or not at all (stored originals, cached page images and OCR results), and
locks held on a file by one process at a time (the import worker, the Word converter)."""
from __future__ import annotations

import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

LOCK_POLL_S = 0.1  # how often a lock held by another process is tried again
KEY_LOCK_HEX = 2  # key_lock: a key's lock is one of 16**2 files, named by the key's first hex digits


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


@contextmanager
def file_lock(path: Path, wait_s: float):
    """Hold an exclusive flock on `path` (made if need be) for the block: yields True, or False when
    another process held it for `wait_s` seconds (then nothing is held)."""
    import fcntl
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    yield False
                    return
                time.sleep(LOCK_POLL_S)
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextmanager
def key_lock(folder: Path | None, key: str, wait_s: float):
    """Hold the lock of hex key `key`'s stripe (one of 16**KEY_LOCK_HEX files in `folder`/.locks,
    so that the locks do not grow with what they guard) for the block; after `wait_s` seconds
    held by another process, go on without it. No folder: no lock."""
    if folder is None:
        yield
        return
    with file_lock(Path(folder) / ".locks" / key[:KEY_LOCK_HEX], wait_s):
        yield
