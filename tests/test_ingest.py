"""End to end: real newsletter PDFs in, records out, through the CLI."""
import io
import json
import shutil

import pytest
from pypdf import PdfReader, PdfWriter

from conftest import FIXTURES, assert_matches_truth, load_truth

NEWSLETTER = FIXTURES / "newsletter"


def exported(archive):
    result = archive("export", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("name", ["2021-005", "2016-006", "2018-002"])
def test_import_newsletter_matches_truth(archive, name):
    result = archive("import", NEWSLETTER / f"{name}.pdf")
    assert result.exit_code == 0, result.output
    assert f"imported as {name}" in result.output
    [record] = exported(archive)
    assert record["id"] == name and record["needs_review"] is False
    assert_matches_truth(record, load_truth(NEWSLETTER / f"{name}.truth.json"))


def test_seed_text_is_clean(archive):
    archive("import", NEWSLETTER / "2021-005.pdf")
    [record] = exported(archive)
    items = [it for s in record["sections"] for it in s["items"]]
    assert items[2]["text"].startswith("4月15日是全民国家安全教育日。")
    assert all(" " not in it["text"] for it in items)  # no spaces inside Chinese
    assert [it["id"] for it in items[:2]] == ["2021-005-001", "2021-005-002"]
    signed = items[7]
    assert signed["text"].endswith("（宁夏能源刘和）") and signed["author"] == "刘和" and signed["units"] == ["宁夏能源"]


def test_two_column_latin_item(archive):
    archive("import", NEWSLETTER / "2018-002.pdf")
    [record] = exported(archive)
    latin = [it for s in record["sections"] for it in s["items"] if "International" in it["text"]][0]
    assert "Decarbonization pathways for alumina refineries and electrolysis-based smelters" in latin["text"]
    assert "energy-management" in latin["text"] and "predictive-maintenance" in latin["text"]


def test_reimport_same_bytes_changes_nothing(archive, data_dir):
    archive("import", NEWSLETTER / "2021-005.pdf")
    before = exported(archive)
    result = archive("import", NEWSLETTER / "2021-005.pdf")
    assert result.exit_code == 0 and "already imported as 2021-005" in result.output
    assert exported(archive) == before


def resaved(path):
    """The same issue in other bytes, as a re-save produces."""
    writer = PdfWriter(clone_from=PdfReader(path))
    writer.add_metadata({"/Producer": "re-saved"})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_other_file_for_same_issue_needs_replace(archive, tmp_path):
    archive("import", NEWSLETTER / "2021-005.pdf")
    before = exported(archive)
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(resaved(NEWSLETTER / "2021-005.pdf"))
    result = archive("import", copy)
    assert result.exit_code == 1
    assert "refused: issue 2021-005 is already imported from another file" in result.output
    assert "--replace" in result.output
    assert exported(archive) == before
    result = archive("import", "--replace", copy)
    assert result.exit_code == 0 and "replaced as 2021-005" in result.output
    assert exported(archive) == before  # same content, swapped file


def test_export_is_deterministic(archive, runner, tmp_path):
    from archive.cli.main import cli
    archive("import", NEWSLETTER)
    first = archive("export").output
    other = tmp_path / "other"
    runner.invoke(cli, ["--data", str(other), "import", str(NEWSLETTER / "2018-002.pdf"),
                        str(NEWSLETTER / "2016-006.pdf"), str(NEWSLETTER / "2021-005.pdf")])
    assert runner.invoke(cli, ["--data", str(other), "export"]).output == first
    assert [r["id"] for r in json.loads(first)] == ["2016-006", "2018-002", "2021-005"]


def test_units_lists_counts(archive):
    archive("import", NEWSLETTER / "2021-005.pdf")
    result = archive("units")
    lines = dict(reversed(line.split()) for line in result.output.splitlines())
    assert lines["中铝山东"] == "4" and lines["广西分公司"] == "3" and lines["总裁办公室"] == "1"


def test_folder_import_is_recursive(archive, tmp_path):
    nested = tmp_path / "backlog" / "2021"
    nested.mkdir(parents=True)
    shutil.copy(NEWSLETTER / "2021-005.pdf", nested / "a.PDF")
    result = archive("import", tmp_path / "backlog")
    assert result.exit_code == 0 and "imported as 2021-005" in result.output


def test_parallel_import_gives_the_same_records(archive, runner, tmp_path):
    from archive.cli.main import cli
    serial = archive("import", NEWSLETTER)
    other = tmp_path / "parallel"
    parallel = runner.invoke(cli, ["--data", str(other), "import", "--jobs", "2", str(NEWSLETTER), str(NEWSLETTER)])
    assert parallel.exit_code == 0, parallel.output
    assert parallel.output.count("imported as") == serial.output.count("imported as") * 2  # second pass: already
    assert "already imported as 2021-005" in parallel.output
    assert runner.invoke(cli, ["--data", str(other), "export"]).output == archive("export").output


def test_progress_is_reported_page_by_page(data_dir):
    from archive.service.importing import Importer
    from archive.store import DataDir
    pages = []
    datadir = DataDir(data_dir)
    importer = Importer(datadir.records(), datadir, on_page=lambda method: pages.append(method))
    results = list(importer.import_paths([NEWSLETTER / "2021-005.pdf"]))
    assert results[0].status == "imported" and pages == ["text"] * 6  # each page, told how it was read
