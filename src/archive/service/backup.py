"""Backups and restores of a data folder (the file's shape: store/backup.py). A restored folder is
indexed here: the search index is derived from the records, so it is built again from them rather
than carried in the backup."""
from __future__ import annotations

from pathlib import Path

from ..search import index
from ..store import DataDir
from ..store.backup import restore_backup, write_backup


def backup(datadir: DataDir, out: Path) -> dict:
    """Write a consistent backup of `datadir` to `out` while it may be in use; → its manifest."""
    return write_backup(datadir, Path(out))


def restore(path: Path, target: Path, force: bool = False) -> tuple[dict, int]:
    """Restore the backup `path` into `target` (checked whole first; a non-empty target only with
    `force`) and build its search index; → (the manifest, items indexed)."""
    manifest = restore_backup(Path(path), Path(target), force)
    datadir = DataDir(target)
    with datadir.records() as records:
        indexed = index.rebuild(records, datadir)
    return manifest, indexed
