"""ZIP output whose bytes depend on the content only (DOCX and XLSX are ZIP packages).

zipfile stamps each member with the clock (writestr) or the file's mtime (write), and python-docx
and openpyxl write through it; here every member gets the report's own ``generated`` time and
fixed attributes, so the same rows and meta give byte-identical files."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import zipfile
from typing import BinaryIO

_CHUNK = 1 << 18


def zip_time(when: dt.datetime) -> tuple[int, int, int, int, int, int]:
    """A ZIP timestamp (1980–2107, 2-second resolution) for ``when``'s wall time."""
    stamp = when.timetuple()[:6]
    return max(min(stamp, (2107, 12, 31, 23, 59, 58)), (1980, 1, 1, 0, 0, 0))


class FixedTimeZipFile(zipfile.ZipFile):
    """A ZipFile (mode "w", deflated) that gives every member the same timestamp and attributes."""

    def __init__(self, file: BinaryIO | str | os.PathLike, when: dt.datetime):
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self._stamp = zip_time(when)

    def _info(self, name: str, size: int | None = None) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, self._stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 3  # fixed, whatever platform writes it
        info.external_attr = 0o644 << 16
        if size is not None:
            info.file_size = size  # lets open() decide on ZIP64 up front
        return info

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        name = zinfo_or_arcname.filename if isinstance(zinfo_or_arcname, zipfile.ZipInfo) else zinfo_or_arcname
        super().writestr(self._info(name), data)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        name = arcname or os.path.basename(filename)
        with open(filename, "rb") as src, self.open(self._info(name, os.path.getsize(filename)), "w") as dst:
            shutil.copyfileobj(src, dst, _CHUNK)


def rezip(src: BinaryIO, out: BinaryIO, when: dt.datetime) -> None:
    """Copy the ZIP package ``src`` (seekable) to ``out`` with every member stamped ``when``."""
    src.seek(0)
    with zipfile.ZipFile(src) as zin, FixedTimeZipFile(out, when) as zout:
        for member in zin.infolist():
            with zin.open(member) as r, zout.open(zout._info(member.filename, member.file_size), "w") as w:
                shutil.copyfileobj(r, w, _CHUNK)
