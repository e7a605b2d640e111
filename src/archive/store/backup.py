"""Backups: one tar file holding a consistent snapshot of a data folder, taken while it is in use.

    manifest.json          format, time, schema version, counts, and every other member's size and SHA-256
    archive.sqlite3        the records, copied by SQLite's online backup API in one step: one
                           consistent state, whatever imports and editors commit meanwhile (WAL:
                           they are not held up); corrections and the unit registry's changes are in it
    secret.key             the session key (logins survive a restore)
    pdfs/ab/<sha256>.pdf   every original an issue of that snapshot refers to (stored before its
                           issue was committed, never rewritten: the snapshot's files are all there)

Left out, because they are derived or in flight: the search index (rebuilt on restore), the page
and OCR caches, and web uploads not yet imported (jobs/). The file is written beside its name and
renamed into place, owner-only (it holds password hashes and the session key).

`restore` reads the manifest, then each member, checking its name against the manifest (no path
leaves the folder), its size and its SHA-256 as it is written to a staging folder beside the
target; a target that is not empty is refused unless `force`; only a backup found whole replaces
it (renamed into place). The caller indexes the restored folder (service/backup.py)."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import tarfile
import tempfile
import time
from pathlib import Path

from ..errors import BackupError
from . import schema
from .datadir import DataDir

FORMAT = 1
MANIFEST = "manifest.json"
MEMBER = re.compile(r"^(archive\.sqlite3|secret\.key|pdfs/[0-9a-f]{2}/[0-9a-f]{64}\.(pdf|docx|doc|wps|odt))$")
CHUNK = 2**20


def sha256_of(path: Path) -> tuple[str, int]:
    h, n = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        while piece := fh.read(CHUNK):
            h.update(piece)
            n += len(piece)
    return h.hexdigest(), n


def snapshot(datadir: DataDir, dest: Path) -> None:
    """Copy the records database into `dest` in one step of SQLite's online backup API."""
    src = schema.connect(datadir.db_path)
    try:
        out = sqlite3.connect(dest)
        try:
            src.backup(out, pages=-1)  # one step: one read transaction, one consistent state
            out.execute("PRAGMA journal_mode=DELETE")  # a single file to carry
        finally:
            out.close()
    finally:
        src.close()


def snapshot_facts(db: Path) -> tuple[list[str], dict]:
    """The originals the snapshot's issues refer to, and what the manifest says of it."""
    from .records import Records
    with Records(schema.connect(db)) as records:
        shas = sorted({sha for _, sha in records.issue_shas()})
        issues, items = records.counts()
        version = records.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0]
    return shas, {"schema_version": int(version), "issues": issues, "items": items}


def write_backup(datadir: DataDir, out: Path, clock=time.time) -> dict:
    """Write a backup of `datadir` to `out` (a tar; gzip-compressed when named .gz or .tgz); → the manifest."""
    out = Path(out)
    if not datadir.db_path.exists():
        raise BackupError(f"{datadir.root} holds no archive", "not_a_backup", path=str(datadir.root))
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=out.parent) as work:
        db = Path(work) / DataDir.DB_NAME
        snapshot(datadir, db)
        shas, facts = snapshot_facts(db)
        members = [(DataDir.DB_NAME, db)]
        key = datadir.root / "secret.key"
        if key.exists():
            members.append(("secret.key", key))
        members += [(f"pdfs/{sha[:2]}/{sha}.pdf", datadir.pdf_path(sha)) for sha in shas]
        members += [(f"pdfs/{sha[:2]}/{p.name}", p) for sha in shas for p in datadir.originals(sha)]  # Word/WPS
        files = []
        for name, path in members:
            try:
                digest, size = sha256_of(path)
            except FileNotFoundError:
                raise BackupError(f"{path} went away while the backup was taken; take it again", "backup_incomplete",
                                  path=name) from None
            files.append({"name": name, "bytes": size, "sha256": digest})
        when = clock()
        manifest = {"format": FORMAT, "created": dt.datetime.fromtimestamp(when, dt.timezone.utc).isoformat(),
                    **facts, "files": files}
        part = out.with_name(f".{out.name}.part")
        fd = os.open(part, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                write_tar(fh, manifest, members, when, gzip=out.suffix in (".gz", ".tgz"))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(part, out)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
    return manifest


def write_tar(fh, manifest: dict, members: list[tuple[str, Path]], when: float, gzip: bool) -> None:
    with tarfile.open(fileobj=fh, mode="w:gz" if gzip else "w", format=tarfile.PAX_FORMAT) as tar:
        data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
        tar.addfile(tar_info(MANIFEST, len(data), when), io.BytesIO(data))
        for (name, path), entry in zip(members, manifest["files"]):
            with open(path, "rb") as src:
                tar.addfile(tar_info(name, entry["bytes"], when), src)


def tar_info(name: str, size: int, when: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(when), 0o600
    return info


# --- restoring ----------------------------------------------------------------------------------------

def is_empty(folder: Path) -> bool:
    return not folder.exists() or (folder.is_dir() and not any(folder.iterdir()))


def restore_backup(path: Path, target: Path, force: bool = False) -> dict:
    """Put the backup `path` in the data folder `target`, every member checked against the manifest
    first; → the manifest. BackupError when it is damaged or not a backup; a non-empty target is
    refused unless `force` (then replaced, once the backup is found whole)."""
    target = Path(target)
    if not is_empty(target) and not force:
        raise BackupError(f"{target} is not empty; give --force to replace what it holds", "target_not_empty",
                          path=str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.restore-", dir=target.parent))
    try:
        manifest = unpack(Path(path), staging)
        check_database(staging / DataDir.DB_NAME)
        put_in_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    DataDir(target).make_private()
    return manifest


def damaged(path: Path, why: str, member: str = "") -> BackupError:
    return BackupError(f"{path}: {why}" + (f" ({member})" if member else ""), "backup_damaged", path=str(path),
                       member=member, why=why)


def unpack(path: Path, staging: Path) -> dict:
    """Every member into `staging`, each checked as it is written; → the manifest."""
    try:
        tar = tarfile.open(path, mode="r|*")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{path} is not a backup of an archive: {exc}", "not_a_backup", path=str(path)) from None
    with tar:
        try:
            members = iter(tar)
            first = next(members, None)
            manifest = read_manifest(path, tar, first)
            want = {f["name"]: f for f in manifest["files"]}
            seen = set()
            for info in members:
                entry = want.get(info.name)
                if entry is None or info.name in seen or not info.isfile() or not MEMBER.match(info.name):
                    raise damaged(path, "a member the manifest does not list", info.name[:200])
                seen.add(info.name)
                copy_checked(path, tar.extractfile(info), staging / info.name, entry)
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise damaged(path, f"cut short or unreadable: {exc}") from None
    missing = sorted(set(want) - seen)
    if missing:
        raise damaged(path, f"{len(missing)} member(s) missing", missing[0])
    return manifest


def read_manifest(path: Path, tar, info) -> dict:
    if info is None or info.name != MANIFEST or not info.isfile() or info.size > 64 * 2**20:
        raise BackupError(f"{path} is not a backup of an archive (no manifest first)", "not_a_backup", path=str(path))
    try:
        manifest = json.loads(tar.extractfile(info).read().decode("utf-8"))
        files = manifest["files"]
        ok = manifest.get("format") == FORMAT and all(MEMBER.match(f["name"]) and re.fullmatch(r"[0-9a-f]{64}", f["sha256"])
                                                      and isinstance(f["bytes"], int) for f in files)
    except (ValueError, KeyError, TypeError):
        ok = False
    if not ok or DataDir.DB_NAME not in {f["name"] for f in files}:
        raise damaged(path, "its manifest is not one this version reads", MANIFEST)
    return manifest


def copy_checked(path: Path, src, dest: Path, entry: dict) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    h, n = hashlib.sha256(), 0
    fd = os.open(dest, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        while piece := src.read(CHUNK):
            h.update(piece)
            n += len(piece)
            out.write(piece)
        out.flush()
        os.fsync(out.fileno())
    if n != entry["bytes"] or h.hexdigest() != entry["sha256"]:
        raise damaged(path, "a member differs from its manifest entry", entry["name"])


def check_database(db: Path) -> None:
    try:
        conn = sqlite3.connect(db)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        result = str(exc)
    if result != "ok":
        raise damaged(db, f"its database fails SQLite's integrity check: {result}", DataDir.DB_NAME)
    schema.connect(db).close()  # a newer schema than this version reads: DataFolderError


def put_in_place(staging: Path, target: Path) -> None:
    """The staged folder becomes the target; what the target held goes (after the swap)."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.replaced-{os.getpid()}")
        os.replace(target, old)
    os.replace(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
