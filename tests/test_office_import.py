"""Issue 24 §3: Word and WPS originals are imported — converted by headless LibreOffice (in the
import, bounded, one at a time), the original kept beside the PDF made from it, that PDF read as
any PDF is. Without LibreOffice: one clear refusal naming what to install."""
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from webtools import AUTH, wait_job

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")


def issue_docx(path: Path, records: dict, number: int = 5, sections: int = 2) -> Path:
    """A bulletin issue as an editor writes it in Word: the masthead (publication, 2021年第N期, the
    publisher and date), then sections and their items, from a sample issue's records."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt
    doc = docx.Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Noto Serif CJK SC"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")

    def para(text, size=12, bold=False, centre=False, indent=False):
        p = doc.add_paragraph()
        run = p.add_run(text)
        run.font.size, run.bold = Pt(size), bold
        if centre:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if indent:
            p.paragraph_format.first_line_indent = Pt(2 * size)
    para("中铝股份党群工作", 26, True, True)
    para(f"2021年第{number}期（总第{number}期）", 14, centre=True)
    para("党群工作部" + " " * 40 + "2021年4月16日")
    for section in records["sections"][:sections]:
        para(section["title"], 16, True, True)
        heading = None
        for item in section["items"]:
            if item["heading"] and item["heading"] != heading:
                heading = item["heading"]
                para(heading, 14, True, True)
            para(item["text"], indent=True)
    doc.save(path)
    return path


@pytest.fixture(scope="module")
def sample_record(tmp_path_factory):
    """The records of the sample issue 2021-005, as the export gives them."""
    from click.testing import CliRunner

    from archive.cli.main import cli
    from webtools import sample_files
    data = tmp_path_factory.mktemp("office-sample") / "data"
    runner = CliRunner()
    [sample] = [f for f in sample_files() if f.name == "2021-005.pdf"]
    assert runner.invoke(cli, ["--data", str(data), "import", str(sample)]).exit_code == 0
    return json.loads(runner.invoke(cli, ["--data", str(data), "export"]).output)[0]


def libreoffice_pdf(docx: Path, out: Path) -> Path:
    """The PDF LibreOffice makes of `docx`, made here as a person would make it."""
    profile = out / "profile"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf",
                    "--outdir", str(out), str(docx)], check=True, capture_output=True, timeout=180)
    return out / (docx.stem + ".pdf")


def without_file_fields(records: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k not in ("sha256", "original_name")} for r in records]


def test_a_docx_issue_gives_the_records_of_its_pdf(archive, data_dir, tmp_path, sample_record):
    from archive.store import DataDir
    folder = tmp_path / "旧刊"
    folder.mkdir()
    docx = issue_docx(folder / "第5期.docx", sample_record)
    (folder / "说明.txt").write_text("not an issue")  # a folder's other files are left alone
    result = archive("import", folder)
    assert result.exit_code == 0, result.output
    assert "第5期.docx: imported as 2021-005" in result.output and "说明" not in result.output
    from_word = json.loads(archive("export").output)
    # the same document, converted by LibreOffice first and imported as a PDF, gives the same records
    pdf = libreoffice_pdf(docx, tmp_path / "made")
    other = tmp_path / "other"
    from click.testing import CliRunner

    from archive.cli.main import cli
    runner = CliRunner()
    assert runner.invoke(cli, ["--data", str(other), "import", str(pdf)]).exit_code == 0
    from_pdf = json.loads(runner.invoke(cli, ["--data", str(other), "export"]).output)
    assert without_file_fields(from_word) == without_file_fields(from_pdf)
    [record] = from_word
    assert record["id"] == "2021-005" and record["date"] == "2021-04-16"
    assert [s["title"] for s in record["sections"]] == [s["title"] for s in sample_record["sections"][:2]]
    # the original is kept, beside the PDF made from it (both under the original's hash)
    datadir = DataDir(data_dir)
    with datadir.records() as records:
        sha = records.issue_row("2021-005")["sha256"]
    assert datadir.originals(sha) == [datadir.pdf_path(sha).with_suffix(".docx")]
    assert datadir.originals(sha)[0].read_bytes() == docx.read_bytes()
    assert datadir.pdf_path(sha).read_bytes()[:5] == b"%PDF-"
    # the same Word file again is known by its own bytes (LibreOffice's PDFs differ from run to run)
    again = archive("import", docx)
    assert again.exit_code == 0 and "already imported as 2021-005" in again.output
    assert archive("check").exit_code == 0  # the original is no orphan


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_without_libreoffice_a_word_file_is_refused_once(archive, tmp_path, sample_record, monkeypatch, jobs):
    from archive.errors import Kind
    from archive.messages import error_text
    from archive.service import converting
    from webtools import sample_files
    monkeypatch.setattr(converting, "SOFFICE", "no-such-soffice")
    docx = issue_docx(tmp_path / "第5期.docx", sample_record)
    # regression (--jobs 2): the refusal of a file converted before the pool was not a list of results
    result = archive("import", "--jobs", jobs, docx, sample_files()[0])
    assert result.exit_code == 1
    refused = [line for line in result.output.splitlines() if "not imported" in line or "refused" in line.lower()]
    assert len([line for line in refused if "第5期.docx" in line]) == 1, result.output
    assert "apt install libreoffice-writer" in result.output and "LibreOffice" in result.output
    assert "imported as" in result.output  # the PDF beside it is imported all the same
    assert Kind.CONVERTER_MISSING.exit_code == 1
    zh = error_text(converting.RefusedPDF("x", "converter_missing", command="soffice"), "zh")
    assert "LibreOffice" in zh and "apt install libreoffice-writer" in zh


def test_a_word_file_uploaded_on_the_web_is_imported(editor_app, client, tmp_path, sample_record, samples_copy):
    docx = issue_docx(tmp_path / "第9期.docx", sample_record, number=9, sections=1)
    r = client.post("/api/import", headers=AUTH, data={"files": [(docx.open("rb"), "第9期.docx")]},
                    content_type="multipart/form-data")
    assert r.status_code == 202, r.get_data(as_text=True)
    job = wait_job(client, r.get_json()["url"], timeout=240)
    [done] = job["files"]
    assert done["status"] == "imported" and done["issue"] == "2021-009", done
    assert list(Path(samples_copy, "pdfs").glob("*/*.docx"))


def test_a_conversion_past_its_time_is_stopped(tmp_path, monkeypatch):
    """A converter that hangs is killed at the time limit: the file is refused, nothing waits on."""
    import time

    from archive.errors import RefusedPDF
    from archive.service import converting
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setattr(converting, "SOFFICE", str(fake))
    started = time.monotonic()
    with pytest.raises(RefusedPDF) as refused:
        converting.to_pdf(b"PK", "a.docx", tmp_path, seconds=1.0)
    assert refused.value.kind == "timeout" and time.monotonic() - started < 10
