"""Where failures are written down: `<data>/logs/archive.log` (rotated), beside stderr. An
unexpected failure gets a short reference; the person who met it is shown the reference (in their
language), the log holds it with the traceback, so an administrator can find one by the other."""
from __future__ import annotations

import logging
import logging.handlers
import secrets
from pathlib import Path

log = logging.getLogger("archive")
LOG_BYTES, LOG_KEPT = 5 * 2**20, 5
_attached: set[Path] = set()


def log_path(datadir) -> Path:
    return Path(datadir.root) / "logs" / "archive.log"


def attach(datadir) -> Path | None:
    """Write the `archive` logger's warnings and errors to the data folder's log (once per folder)."""
    path = log_path(datadir)
    if path in _attached:
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=LOG_BYTES, backupCount=LOG_KEPT, encoding="utf-8")
    except OSError:  # a read-only or missing data folder: stderr only
        return None
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    if log.level == logging.NOTSET or log.level > logging.WARNING:
        log.setLevel(logging.WARNING)
    _attached.add(path)
    return path


def internal(exc: BaseException, what: str) -> str:
    """Log an unexpected failure with its traceback and a fresh reference; the reference."""
    ref = secrets.token_hex(4)
    log.error("[%s] %s: %s: %s", ref, what, type(exc).__name__, exc, exc_info=exc, extra={"internal": True})
    return ref
