"""The data folder: one object that knows where everything of an archive lives.

    <root>/archive.sqlite3        the records (the source of truth)
    <root>/pdfs/ab/<sha256>.pdf   each original, kept once, named by its content
    <root>/pdfs/ab/<sha256>.docx  a Word/WPS original (.docx .doc .wps .odt), beside the PDF LibreOffice
                                  made of it (that PDF named by the original's hash, not its own)
    <root>/whoosh → whoosh-<stamp>/   the search index (derived), behind a symlink swapped on rebuild
    <root>/whoosh.lock            held by an index rebuild from start to swap
    <root>/ocr-cache/             OCR results per page image (derived)
    <root>/cache/pages/           rendered page images (derived)
    <root>/cache/issues/          one issue's pages of a stored bound volume, as a PDF (derived)
    <root>/jobs/<id>/             web imports waiting or done: job.json and the uploaded files
    <root>/secret.key             signs the web's session cookies (made once, owner-only)

Every stage asks this object for a path instead of assembling one.

The folder holds password hashes and the session key: it is its owner's alone (0700; the database,
its WAL and SHM, secret.key, the stored PDFs and the caches 0600). `make_private` sees to it when
the records are opened; a folder an older version made, or one copied with another umask, is mended
then, once."""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterator

from ..files import atomic_write

OWNER_ONLY = 0o700  # what make_private keeps of a mode: the owner's bits (folders 0700, files 0600)


def owner_only(path: Path) -> None:
    """Take away every permission of group and others (a symlink is left as it is)."""
    try:
        st = os.lstat(path)
        if not stat.S_ISLNK(st.st_mode) and stat.S_IMODE(st.st_mode) & ~OWNER_ONLY:
            os.chmod(path, stat.S_IMODE(st.st_mode) & OWNER_ONLY)
    except OSError:  # gone meanwhile, or a file system without modes: nothing to take away
        pass


class DataDir:
    DB_NAME = "archive.sqlite3"

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self._private = False

    def __repr__(self) -> str:
        return f"DataDir({str(self.root)!r})"

    def __fspath__(self) -> str:
        return str(self.root)

    def __eq__(self, other) -> bool:
        return isinstance(other, DataDir) and other.root == self.root

    def __hash__(self) -> int:
        return hash(self.root)

    # --- the records -------------------------------------------------------------------------
    @property
    def db_path(self) -> Path:
        return self.root / self.DB_NAME

    def records(self, shared: bool = False):
        """The records database (created on first use). `shared`: usable from any one thread at a
        time (a pooled searcher), not only the thread that opened it."""
        from .records import Records
        self.make_private()
        return Records.open(self, shared=shared)

    def make_private(self) -> None:
        """The folder made (0700) or, when group or others may enter it (an older version's folder),
        every folder and file in it made the owner's alone; the database created 0600 before SQLite
        opens it, so that its WAL and SHM (which SQLite makes with the database's mode) are too."""
        if self._private:
            return
        self.root.mkdir(parents=True, exist_ok=True, mode=OWNER_ONLY)
        if stat.S_IMODE(self.root.stat().st_mode) & ~OWNER_ONLY:
            for dirpath, dirs, files in os.walk(self.root):
                for name in dirs + files:
                    owner_only(Path(dirpath) / name)
            owner_only(self.root)  # last: a walk cut short is done again at the next open
        if not self.db_path.exists():
            os.close(os.open(self.db_path, os.O_CREAT | os.O_WRONLY, 0o600))
        self._private = True

    # --- stored originals --------------------------------------------------------------------
    @property
    def pdfs(self) -> Path:
        return self.root / "pdfs"

    def pdf_path(self, sha256: str) -> Path:
        return self.pdfs / sha256[:2] / f"{sha256}.pdf"

    def save_pdf(self, sha256: str, data: bytes) -> Path:
        """Keep an original once, durably and atomically, under its content hash."""
        path = self.pdf_path(sha256)
        if path.exists() and path.stat().st_size == len(data):
            return path
        return atomic_write(path, data, durable=True)

    def save_original(self, sha256: str, suffix: str, data: bytes) -> Path:
        """Keep a Word/WPS original beside the PDF made from it (both named by the original's hash)."""
        path = self.pdf_path(sha256).with_suffix(suffix.lower())
        if path.exists() and path.stat().st_size == len(data):
            return path
        return atomic_write(path, data, durable=True)

    def originals(self, sha256: str) -> list[Path]:
        """The Word/WPS original kept beside a stored PDF (none for a PDF imported as it was)."""
        folder = self.pdf_path(sha256).parent
        return sorted(p for p in folder.glob(f"{sha256}.*") if p.suffix != ".pdf") if folder.is_dir() else []

    def stored_files(self) -> Iterator[Path]:
        """Every file under pdfs/ (originals, and temp files a killed write left)."""
        if self.pdfs.is_dir():
            yield from (p for p in self.pdfs.glob("*/*") if p.is_file())

    # --- the search index ----------------------------------------------------------------------
    @property
    def index_link(self) -> Path:
        return self.root / "whoosh"

    @property
    def index_lock(self) -> Path:
        return self.root / "whoosh.lock"

    # --- web import jobs (archive.service.jobs) ------------------------------------------------
    @property
    def jobs(self) -> Path:
        return self.root / "jobs"

    # --- the web's session secret ---------------------------------------------------------------
    def secret_key(self) -> str:
        """The key that signs session cookies: made once and kept (owner-only), so a restart keeps
        people logged in."""
        import secrets
        path = self.root / "secret.key"
        try:
            key = path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            key = ""
        if len(key) < 32:
            self.make_private()
            key = secrets.token_hex(32)
            atomic_write(path, key.encode("ascii"), durable=True)  # mkstemp: owner-only
        return key

    # --- caches (derived, safe to delete) -----------------------------------------------------
    @property
    def ocr_cache(self) -> Path:
        return self.root / "ocr-cache"

    def issue_file(self, sha256: str, first: int, last: int) -> Path:
        """One issue's pages of a stored bound volume, as a PDF of their own (derived)."""
        return self.root / "cache" / "issues" / sha256[:2] / f"{sha256}-{first}-{last}.pdf"

    def issue_pdf(self, row: dict) -> tuple[Path, str]:
        """An issue's own PDF and its ETag: its stored original, or (an issue of a bound volume,
        row["source_pages"]) its pages of it, cut out once and cached. FileNotFoundError when the
        original is gone."""
        path, etag = self.pdf_path(row["sha256"]), row["sha256"]
        if not path.exists():
            raise FileNotFoundError(path)
        if row.get("source_pages"):
            first, last = row["source_pages"]
            part = self.issue_file(row["sha256"], first, last)
            if not part.exists():
                from ..ingest.pdf import extract_pages
                atomic_write(part, extract_pages(path, first, last))
            path, etag = part, f"{etag}-{first}-{last}"
        return path, etag

    def page_image(self, sha256: str, page: int, scale: float, rotation: int = 0, cut: str = "") -> Path:
        """A page image in the cache: turned `rotation` degrees back, `cut` naming the part of a
        photo it was cut out of (web/pageimages.cut_tag)."""
        turned = f"r{rotation}" if rotation else ""
        cut = f"c{cut}" if cut else ""
        return self.root / "cache" / "pages" / sha256[:2] / f"{sha256}-{page}{turned}{cut}@{scale:g}x.png"
