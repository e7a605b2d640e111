"""Word and WPS originals → PDF, by headless LibreOffice, before they are imported as any PDF is.

    to_pdf(data, name, lock_dir) -> bytes     the PDF LibreOffice makes of a .docx/.doc/.wps/.odt

Each conversion runs `soffice --headless --convert-to pdf` in a folder of its own with a profile
of its own (-env:UserInstallation: two conversions never share LibreOffice's user folder, which
it locks), within CONVERT_TIME_S (its process group killed past it), one at a time per data
folder (an flock on <data>/convert.lock: the web's import worker, the inbox and the command line
take turns). It runs wherever the import runs — for the web and the inbox, inside the bounded
import worker, whose memory cap LibreOffice inherits.

No LibreOffice: one refusal (converter_missing) naming the package to install."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..errors import RefusedPDF
from ..files import file_lock

SOFFICE = "soffice"  # the LibreOffice command (looked up on PATH)
OFFICE_SUFFIXES = (".docx", ".doc", ".wps", ".odt")  # what is converted; .pdf is read as it is
CONVERT_TIME_S = 120.0  # one conversion (a cold LibreOffice start is ~2 s, a 20-page issue ~5 s)
LOCK_WAIT_S = 600.0  # how long a conversion waits for the one before it
LOCK_NAME = "convert.lock"


def is_office(name: str) -> bool:
    return Path(name).suffix.lower() in OFFICE_SUFFIXES


def soffice() -> str:
    """The LibreOffice command's path, or the refusal that says how to install it."""
    found = shutil.which(SOFFICE)
    if found is None:
        raise RefusedPDF(f"LibreOffice ({SOFFICE}) is not installed, so Word and WPS files cannot be converted: "
                         "install it with `apt install libreoffice-writer`", "converter_missing", command=SOFFICE)
    return found


@contextmanager
def one_at_a_time(lock_dir: Path, wait_s: float = LOCK_WAIT_S):
    """Hold the data folder's conversion lock for the block."""
    with file_lock(Path(lock_dir) / LOCK_NAME, wait_s) as held:
        if not held:
            raise RefusedPDF(f"another conversion held LibreOffice for over {wait_s:.0f} s", "timeout",
                             seconds=round(wait_s))
        yield


def to_pdf(data: bytes, name: str, lock_dir: Path, seconds: float = CONVERT_TIME_S) -> bytes:
    """The PDF LibreOffice makes of a Word/WPS/ODT file's bytes (`name` gives its kind)."""
    command = soffice()
    suffix = Path(name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="archive-convert-") as work, one_at_a_time(Path(lock_dir)):
        src = Path(work) / f"original{suffix}"
        src.write_bytes(data)
        out = Path(work) / "out"
        argv = [command, "--headless", "--norestore", "--nolockcheck",
                f"-env:UserInstallation={(Path(work) / 'profile').as_uri()}",
                "--convert-to", "pdf", "--outdir", str(out), str(src)]
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            said, _ = proc.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise RefusedPDF(f"LibreOffice did not convert {name} within {seconds:.0f} s", "timeout",
                             seconds=round(seconds)) from None
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        made = out / "original.pdf"
        if proc.returncode != 0 or not made.is_file() or made.stat().st_size == 0:
            detail = said.decode("utf-8", "replace").strip().splitlines()[-1:] if said else []
            raise RefusedPDF(f"LibreOffice could not convert {name} (exit {proc.returncode}"
                             f"{': ' + detail[0] if detail else ''})", "convert_failed")
        return made.read_bytes()
