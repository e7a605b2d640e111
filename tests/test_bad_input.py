"""Bad files get a one-line reason, the batch goes on, and the archive is unchanged."""
import io
import json
import os
import subprocess
import sys

import pytest
from pypdf import PdfReader, PdfWriter

from conftest import FIXTURES

SEED = FIXTURES / "newsletter" / "2021-005.pdf"


def encrypted(password="secret"):
    writer = PdfWriter(clone_from=PdfReader(SEED))
    writer.encrypt(user_password=password, owner_password="owner", algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def zero_pages():
    buf = io.BytesIO()
    PdfWriter().write(buf)
    return buf.getvalue()


def blank_pages(n=3):
    writer = PdfWriter()
    for _ in range(n):
        writer.add_blank_page(595, 842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


BAD = {
    "empty.pdf": (lambda: b"", "empty file"),
    "text.pdf": (lambda: "这不是PDF".encode(), "not a PDF"),
    "truncated.pdf": (lambda: SEED.read_bytes()[:3000], "broken PDF"),
    "encrypted.pdf": (encrypted, "encrypted PDF: needs a password (--password)"),
    "zero.pdf": (zero_pages, "PDF has no pages"),
    "blank.pdf": (blank_pages, "no text on any page"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_refused_with_reason(archive, tmp_path, name):
    make, reason = BAD[name]
    path = tmp_path / name
    path.write_bytes(make())
    result = archive("import", path, SEED)  # the good file after it is still imported
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    refused = [ln for ln in lines if name in ln]
    assert len(refused) == 1 and "refused" in refused[0] and reason in refused[0], result.output
    assert "Traceback" not in result.output
    assert any("imported as 2021-005" in ln for ln in lines)
    assert [r["id"] for r in json.loads(archive("export").output)] == ["2021-005"]


def test_encrypted_with_password(archive, tmp_path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(encrypted("secret"))
    wrong = archive("import", "--password", "nope", path)
    assert wrong.exit_code == 1 and "the password given is wrong" in wrong.output
    right = archive("import", "--password", "secret", path)
    assert right.exit_code == 0 and "imported as 2021-005" in right.output


def test_missing_file_is_a_usage_error(archive, tmp_path):
    result = archive("import", tmp_path / "nope.pdf")
    assert result.exit_code == 2 and "does not exist" in result.output


def test_a_file_that_takes_too_long_is_refused(archive, monkeypatch):
    import time

    from archive.service import importing as importer
    monkeypatch.setattr(importer, "TIME_BASE_S", 0.2)
    monkeypatch.setattr(importer, "TIME_PER_PAGE_S", 0.0)
    monkeypatch.setattr(importer, "parse_issues", lambda *a, **k: time.sleep(120))
    started = time.monotonic()
    result = archive("import", SEED)
    assert time.monotonic() - started < 60  # stopped by the limit, not by the parse's end
    assert result.exit_code == 1 and "refused: gave up after 0 s: the file takes too long to read" in result.output
    assert json.loads(archive("export").output) == []


def test_thousand_blank_pages_refused_quickly(archive, tmp_path):
    path = tmp_path / "blank.pdf"
    path.write_bytes(blank_pages(1000))
    result = archive("import", path)
    assert result.exit_code == 1 and "refused: no text on any page" in result.output


def test_a_truncated_file_gets_our_one_line_and_no_library_warning(tmp_path):
    """pypdf logged 「EOF marker not found」 (English, on stderr) above the refusal: the user reads one line."""
    path = tmp_path / "cut.pdf"
    path.write_bytes(SEED.read_bytes()[:30000])
    r = subprocess.run([sys.executable, "-m", "archive.cli.main", "--data", str(tmp_path / "data"), "import", str(path)],
                       capture_output=True, text=True, env={**os.environ, "ARCHIVE_LANG": "zh"})
    lines = (r.stdout + r.stderr).strip().splitlines()
    assert r.returncode == 1 and len(lines) == 2, lines  # the file's refusal, and the count
    assert "cut.pdf" in lines[0] and "EOF" not in r.stderr
