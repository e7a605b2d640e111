"""Reports through the CLI and the web: what staff take to Word and Excel, the units × years
table, the shelf's coverage; bad input refused with a message and nothing written."""
import csv
import io
import json
import zipfile

import pytest

from webtools import html


def read_docx(data):
    import docx
    doc = docx.Document(io.BytesIO(data) if isinstance(data, bytes) else str(data))
    return "\n".join(p.text for p in doc.paragraphs) + "\n" + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells)


def read_xlsx(data):
    import openpyxl
    wb = openpyxl.load_workbook(io.BytesIO(data) if isinstance(data, bytes) else str(data), read_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def cells(sheets):
    return [str(c) for rows in sheets.values() for r in rows for c in r if c is not None]


# --- archive report -------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["docx", "xlsx", "csv", "md"])
def test_a_report_of_a_search_is_read_back_with_its_hits_and_citations(app_cli, tmp_path, fmt):
    out = tmp_path / f"r.{fmt}"
    res = app_cli("report", "党史", "-o", out)
    assert res.exit_code == 0, res.output
    n = int(res.output.split(": ")[1].split()[0])
    search = json.loads(app_cli("search", "党史", "--json").output)
    assert n == search["total"] + search["title_total"] > search["total"] > 0  # text matches, then title matches
    raw = out.read_bytes()
    text = {"docx": lambda: read_docx(raw), "xlsx": lambda: "\n".join(cells(read_xlsx(raw))),
            "csv": lambda: raw.decode("utf-8-sig"), "md": lambda: raw.decode("utf-8")}[fmt]()
    for hit in search["hits"] + search["title_hits"]:
        assert hit["citation"].split("，")[0] in text or hit["citation"] in text
    assert "党史" in text


def test_a_csv_report_has_one_row_per_hit_in_the_searchs_order(app_cli):
    res = app_cli("report", "党史", "--format", "csv", "-o", "-")
    rows = list(csv.DictReader(io.StringIO(res.output.lstrip("\ufeff"))))
    found = json.loads(app_cli("search", "党史", "--json").output)
    hits = found["hits"] + found["title_hits"]
    assert len(rows) == len(hits)
    assert [r["引用"] for r in rows] == [h["citation"] for h in hits]
    for r, h in zip(rows, hits):  # the sentence(s) that matched, not the whole item
        assert all(part in h["text"] for part in r["正文"].split("…")) and len(r["正文"]) <= len(h["text"])
    assert any(len(r["正文"]) < len(h["text"]) for r, h in zip(rows, hits))
    assert all("党史" in r["正文"] for r, h in zip(rows, hits[:len(found["hits"])]))


def test_a_report_gives_the_matched_sentence_and_its_page_then_the_whole_item_if_asked(app_cli):
    """The seen bug: the Word report pasted the whole sixteen-unit paragraph, cited 第2–3页, though
    兰州铝业's sentence is on page 3."""
    args = ("report", "兰州铝业", "党史学习教育", "--unit", "兰州铝业", "--format", "csv", "-o", "-")
    row = next(csv.DictReader(io.StringIO(app_cli(*args).output.lstrip("\ufeff"))))
    assert row["正文"] == "兰州铝业、中铝矿业以“清单式”方式推进党史学习教育。"
    assert row["页码"] == "第3页" and row["引用"].endswith("，第3页") and "全文" not in row
    whole = next(csv.DictReader(io.StringIO(app_cli(*args, "--whole").output.lstrip("\ufeff"))))
    assert whole["正文"] == row["正文"] and whole["全文"].startswith("集团党史学习教育第二巡回指导组")
    assert "青海分公司" in whole["全文"] and whole["页码"] == "第3页"


def test_an_activities_report_of_a_unit_holds_only_that_units_sentences(app_cli, tmp_path):
    units = json.loads(app_cli("units", "--json").output)
    name = units[0]["unit"]
    out = tmp_path / "a.xlsx"
    res = app_cli("report", "--unit", name, "--activities", "-o", out)
    assert res.exit_code == 0, res.output
    sheets = read_xlsx(out.read_bytes())
    body = next(rows for rows in sheets.values() if any(name in str(c) for r in rows for c in r))
    header = next(r for r in body if r and "单位" in [str(c) for c in r])
    col = [str(c) for c in header].index("单位")
    rows = body[body.index(header) + 1:]
    assert rows and all(name in str(r[col]) for r in rows if r[col])


def test_a_report_with_no_hits_says_so(app_cli, tmp_path):
    out = tmp_path / "none.docx"
    res = app_cli("report", "不存在的词语组合甲乙丙", "-o", out)
    assert res.exit_code == 0
    assert "0 hits" in res.output and "no results" in res.output
    assert "没有" in read_docx(out.read_bytes())


@pytest.mark.parametrize(("args", "message"), [
    (["--unit", "没有这个单位公司"], "没有这个单位公司"),
    (["党史", "--from", "2021-13"], "2021-13"),
    (["党史", "--from", "2021-06", "--to", "2021-01"], "2021-06"),
    (["党史", "--format", "pdf"], "pdf"),
    (["党史", "--format", "docx", "-o", "-"], "binary"),
])
def test_bad_report_requests_are_refused_and_write_nothing(app_cli, tmp_path, monkeypatch, args, message):
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    res = app_cli("report", *args)
    assert res.exit_code == 2, res.output
    assert message in res.output
    assert list(here.iterdir()) == []


# --- archive units --by-year, archive coverage ------------------------------------------------------

def test_units_by_year_as_json_counts_each_units_activities_per_year(app_cli):
    table = json.loads(app_cli("units", "--by-year", "--format", "json").output)
    assert table["years"] == list(range(2016, 2022))  # every year from the first to the last, empty ones too
    assert table["units"]
    for row in table["units"]:
        assert sum(row["by_year"].values()) == row["total"] > 0
        assert row["by_year"]["2017"] == 0
    totals = [r["total"] for r in table["units"]]
    assert totals == sorted(totals, reverse=True)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_units_by_year_table_files(app_cli, tmp_path, fmt):
    out = tmp_path / f"u.{fmt}"
    res = app_cli("units", "--by-year", "--format", fmt, "-o", out)
    assert res.exit_code == 0, res.output
    table = json.loads(app_cli("units", "--by-year", "--format", "json").output)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    else:
        rows = [[("" if c is None else str(c)) for c in r] for r in next(iter(read_xlsx(out.read_bytes()).values()))]
    years = [str(y) for y in table["years"]]
    header = next(r for r in rows if any(years[0] in c for c in r))
    assert [c.rstrip("年") for c in header[1:1 + len(years)]] == years
    for unit in table["units"]:
        line = next(r for r in rows if r and r[0] == unit["unit"])
        assert [int(float(c)) for c in line[1:2 + len(years)]] == [unit["by_year"][y] for y in years] + [unit["total"]]


def test_coverage_of_the_samples(app_cli):
    cov = json.loads(app_cli("coverage", "--json").output)
    years = {y["year"]: y for y in cov["years"]}
    assert sorted(years) == [2016, 2018, 2021]
    assert years[2016]["present"] == [2, 6] and years[2016]["missing"] == [1, 3, 4, 5]
    assert cov["empty_years"] == [2017, 2019, 2020]
    text = app_cli("coverage").output
    assert "2016: 2 issue(s)" in text and "years with no issue: 2017, 2019, 2020" in text


def row(id, year, number, total=None, number_end=None, special=None, date=None, needs_review=0):
    return {"id": id, "year": year, "number": number, "number_end": number_end, "special": special,
            "total_number": total, "date": date or (f"{year}-01-01" if year else None), "needs_review": needs_review}


def test_coverage_counts_a_combined_issue_for_each_of_its_numbers():
    from archive.store.coverage import coverage
    cov = coverage([row("2021-001", 2021, 1, 10), row("2021-002", 2021, 2, 11, number_end=3),
                    row("2021-005", 2021, 5, 14)])
    y = cov.years[0]
    assert y.present == [1, 2, 3, 5] and y.missing == [4] and y.combined == ["2021-002"]
    assert y.breaks == []  # 总第12期 for 第4期, missing: nothing unexplained


def test_coverage_lists_supplements_apart_and_numbers_held_twice():
    from archive.store.coverage import coverage
    cov = coverage([row("2021-001", 2021, 1), row("2021-zk-0701", 2021, None, special="增刊"),
                    row("2021-005", 2021, 5, number_end=6), row("2021-006", 2021, 6), row("2021-x", 2021, None)])
    y = cov.years[0]
    assert y.special == ["2021-zk-0701"] and y.unnumbered == ["2021-x"]
    assert y.duplicates == [6] and y.missing == [2, 3, 4]


def test_coverage_breaks_in_the_running_total():
    from archive.store.coverage import coverage
    cov = coverage([row("2020-011", 2020, 11, 30), row("2020-012", 2020, 12, 31), row("2021-002", 2021, 2, 36),
                    row("2021-003", 2021, 3, 30), row("2022-001", 2022, 1, 30)])
    breaks = [b for y in cov.years for b in y.breaks]
    lost = [b for b in breaks if b["kind"] == "lost_between"]
    assert [(b["after"], b["first"], b["last"]) for b in lost] == [("2020-012", 33, 35)]  # 第1期 of 2021 was 32
    assert [b["issue"] for b in breaks if b["kind"] == "total_mismatch"] == ["2021-003", "2022-001"]
    for y in cov.years:  # a 总第N期 printed by issues of three years: a clash in each year's row (seen: the first's only)
        twice = [(b["total"], b["issues"]) for b in y.breaks if b["kind"] == "total_twice"]
        assert twice == ([(30, ["2020-011", "2021-003", "2022-001"])] if y.year in (2020, 2021, 2022) else [])
    from archive.messages import coverage_break_cn
    assert all(coverage_break_cn(b) for b in breaks)


def test_coverage_leaves_reviewed_issues_out_of_needs_review():
    from archive.store.coverage import coverage
    rows = [row("2021-001", 2021, 1, needs_review=1), row("2021-002", 2021, 2, needs_review=1), row("2021-003", 2021, 3)]
    y = coverage(rows, reviewed={"2021-002"}).years[0]
    assert y.needs_review == ["2021-001"] and y.reviewed == ["2021-002"]


@pytest.mark.parametrize(("rows", "missing", "expected"), [
    # between two dated issues: spaced evenly
    ([row("2021-002", 2021, 2, date="2021-02-01"), row("2021-005", 2021, 5, date="2021-05-01")], [3, 4],
     {3: "2021-03-02", 4: "2021-04-01"}),
    # before the first held: from 1 January
    ([row("2021-005", 2021, 5, date="2021-04-16")], [1, 2, 3, 4],
     {1: "2021-01-22", 2: "2021-02-12", 3: "2021-03-05", 4: "2021-03-26"}),
    # a neighbour with a month only: unknown
    ([row("2021-001", 2021, 1, date="2021-01-10"), row("2021-003", 2021, 3, date="2021-03")], [2], {2: None}),
    # a 合刊 counts for each of its numbers
    ([row("2021-001", 2021, 1, number_end=2, date="2021-02-01"), row("2021-004", 2021, 4, date="2021-04-01")], [3],
     {3: "2021-03-02"}),
])
def test_missing_numbers_get_an_estimated_date(rows, missing, expected):
    from archive.store.coverage import estimated_dates
    got = estimated_dates(rows, 2021, missing)
    assert {n: d.isoformat() if d else None for n, d in got.items()} == expected


def test_coverage_of_years_without_issues_and_undated():
    from archive.store.coverage import coverage
    cov = coverage([row("2015-001", 2015, 1), row("2018-001", 2018, 1), row("doc-ab", None, None, date=None)])
    assert cov.empty_years == [2016, 2017] and cov.undated == ["doc-ab"]
    assert coverage([]).years == [] and coverage([]).empty_years == []


# --- the web's downloads ------------------------------------------------------------------------------

MIMES = {"docx": "wordprocessingml", "xlsx": "spreadsheetml", "csv": "text/csv", "md": "text/markdown"}


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "csv", "md"])
def test_the_search_page_report_is_the_command_lines(client, app_cli, tmp_path, fmt):
    resp = client.get(f"/report.{fmt}?q=党史")
    assert resp.status_code == 200 and MIMES[fmt] in resp.mimetype
    assert "attachment" in resp.headers["Content-Disposition"]
    assert resp.headers["Cache-Control"] == "no-store"
    out = tmp_path / f"cli.{fmt}"
    app_cli("report", "党史", "-o", out)
    if fmt == "csv":
        web = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
        cli = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
        assert [r for r in web if not any("生成" in c for c in r)] == [r for r in cli if not any("生成" in c for c in r)]
    elif fmt == "docx":
        assert zipfile.ZipFile(io.BytesIO(resp.data)).testzip() is None
        assert read_docx(resp.data).count("党史") == read_docx(out.read_bytes()).count("党史")


def test_the_search_page_offers_the_downloads(client):
    page = html(client.get("/?q=党史"))
    for fmt in ("docx", "xlsx"):
        assert f"/report.{fmt}?" in page


def tables_of(data):
    import docx
    return [[[c.text for c in row.cells] for row in t.rows] for t in docx.Document(io.BytesIO(data)).tables]


def test_a_table_layout_from_the_command_line_and_the_web(client, app_cli, tmp_path):
    """`archive report --layout table` and the pages' 「Word 表格」 buttons: one table of 序号 · 期号 ·
    日期 · 单位 · 内容 · 页码, a row a hit (or an activity), the same from both."""
    out = tmp_path / "t.docx"
    res = app_cli("report", "党史", "--layout", "table", "-o", out)
    assert res.exit_code == 0, res.output
    n = int(res.output.split(": ")[1].split()[0])
    [table] = tables_of(out.read_bytes())
    assert table[0] == ["序号", "期号", "日期", "单位", "内容", "页码"] and len(table) == n + 1
    assert [r[0] for r in table[1:]] == [str(i) for i in range(1, n + 1)]
    page = html(client.get("/?q=党史"))
    assert "/report.docx?q=%E5%85%9A%E5%8F%B2&amp;layout=table" in page and "Word 表格" in page
    resp = client.get("/report.docx?q=党史&layout=table")
    assert resp.status_code == 200 and tables_of(resp.data)[0][0] == table[0]
    assert [r[1:] for r in tables_of(resp.data)[0]] == [r[1:] for r in table]
    units = json.loads(app_cli("units", "--json").output)
    name = units[0]["unit"]
    assert "layout=table" in html(client.get(f"/units/{name}"))
    [acts] = tables_of(client.get(f"/units/{name}/report.docx?layout=table").data)
    assert len(acts) > 1 and all(name in r[3] for r in acts[1:])
    assert client.get("/report.docx?q=党史&layout=grid").status_code == 400
    assert app_cli("report", "党史", "--layout", "grid", "-o", out).exit_code == 2


def test_a_units_activities_download(client, app_cli):
    units = json.loads(app_cli("units", "--json").output)
    name = units[0]["unit"]
    resp = client.get(f"/units/{name}/report.xlsx?from=2016&to=2021")
    assert resp.status_code == 200
    assert name in "\n".join(cells(read_xlsx(resp.data)))
    assert client.get(f"/units/{name}").status_code == 200


@pytest.mark.parametrize(("url", "code", "words"), [
    ("/report.pdf?q=党史", 400, "pdf"),
    ("/report.docx", 400, ""),
    ("/report.docx?q=党史&from=2021-13", 400, "2021-13"),
    ("/report.xlsx?q=党史&from=2021-06&to=2021-01", 400, "2021-06"),
    ("/units/没有这个单位公司/report.xlsx", 400, "没有这个单位公司"),
    ("/reports/units-by-year.docx", 400, "docx"),
])
def test_bad_downloads_are_refused_with_a_message(client, url, code, words):
    resp = client.get(url)
    assert resp.status_code == code
    assert words in resp.get_data(as_text=True)
    assert "attachment" not in resp.headers.get("Content-Disposition", "")


def test_a_web_report_too_large_is_refused_and_says_how_many(app, client):
    app.config["REPORT_MAX_ROWS"] = 1
    resp = client.get("/report.xlsx?q=党史")
    assert resp.status_code == 400 and "1" in resp.get_data(as_text=True)


def test_units_by_year_download_and_page(client):
    resp = client.get("/reports/units-by-year.xlsx")
    assert resp.status_code == 200 and "spreadsheetml" in resp.mimetype
    assert client.get("/units?sort=2016").status_code == 200
    assert client.get("/years").status_code == 200
