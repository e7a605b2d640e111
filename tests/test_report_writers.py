"""archive.report: the DOCX/XLSX/CSV/Markdown writers, read back with python-docx, openpyxl and csv."""
import csv
import datetime as dt
import io
import re
import shutil
import subprocess
import tracemalloc
import weakref
import zipfile

import pytest

from archive.report import EXTENSIONS, FORMATS, MIME, ReportMeta, suggested_filename, write_report
from archive.report import labels
from archive.report.md_writer import escape

GENERATED = dt.datetime(2024, 5, 1, 14, 30)
PUB = "中铝股份党群工作"


class Row(dict):
    """A row dict that can be weakly referenced, to count how many rows a writer keeps alive."""


def make_row(i=1, **kw):
    number, ps, pe = kw.pop("number", 5), kw.pop("page_start", 2), kw.pop("page_end", 3)
    pages = f"第{ps}–{pe}页" if pe != ps else f"第{ps}页"
    issue = f"2021-{number:03d}" if number else "2021-S1"
    row = Row(id=f"{issue}-{i}", issue=issue, publication=PUB, year=2021, number=number,
              number_end=None, special=None, total_number=number, date="2021-04-16", section="践·铝之行",
              heading=f"党史学习教育进行篇{i}", text=f"云铝文山组织开展党史学习教育第{i}场。\n第二段{i}。",
              units=["云铝文山"], author="张三", source=None, page_start=ps, page_end=pe,
              citation=f"《{PUB}》2021年" + (f"第{number}期（总第{number}期）" if number else "") + f"，{pages}",
              citation_gbt=f"张三. 践·铝之行：党史学习教育进行篇{i}[J]. {PUB}, 2021" + (f"({number})" if number else "")
              + f": {ps}-{pe}.")
    row.update(kw)
    return row


ROWS = [make_row(1),
        make_row(2, number=5, number_end=6, date="2021-06", heading="合刊条目", page_start=4, page_end=4),
        make_row(3, special="增刊", number=None, date="2021-07-01", heading="=SUM(A1:A2) 增刊条目", text="*重点* [链接](x) <b>")]
META = ReportMeta(title="检索结果：党史", query="党史", filters={"单位": "云铝文山", "年份": "2021"},
                  date_from="2021-01", date_to="2021-06", generated=GENERATED)
CONDITIONS = "检索词：党史；单位：云铝文山；年份：2021；日期：2021年1月至2021年6月"


def write(fmt, rows=ROWS, meta=META):
    buf = io.BytesIO()
    return write_report(iter(rows), meta, fmt, buf), buf.getvalue()


# ---------------------------------------------------------------- labels

def test_labels():
    assert [labels.issue_label(r) for r in (make_row(), make_row(number_end=6), make_row(number=None, special="增刊"), {})] \
        == ["2021年第5期", "2021年第5-6期合刊", "2021年增刊", ""]
    assert [labels.page_label(r) for r in (make_row(), make_row(page_start=4, page_end=4), {"page_start": None})] \
        == ["第2–3页", "第4页", ""]
    assert [labels.date_label(d) for d in ("2021-04-16", "2021-04", "2021", None, "不详")] == \
        ["2021年4月16日", "2021年4月", "2021年", "", "不详"]
    assert labels.excel_date("2021-04") == (dt.date(2021, 4, 1), "yyyy-mm")
    assert labels.conditions_label(META) == CONDITIONS
    assert labels.date_range_label("2021-01", None) == "2021年1月起"
    assert labels.unit_label(make_row(units=["云铝文山", "中州铝业", "云铝文山"])) == "云铝文山、中州铝业"
    assert labels.unit_label(make_row(unit="中州铝业")) == "中州铝业"
    assert labels.clean("a\x00b\x0bc") == "abc"


def test_api_surface_and_errors(tmp_path):
    assert set(FORMATS) == set(MIME) == set(EXTENSIONS) == {"docx", "xlsx", "csv", "md"}
    assert MIME["xlsx"].endswith("spreadsheetml.sheet") and EXTENSIONS["docx"] == ".docx"
    target = tmp_path / "r.pdf"
    with pytest.raises(ValueError, match="docx, xlsx, csv, md"):
        write_report(iter(ROWS), META, "pdf", target)
    assert not list(tmp_path.iterdir())  # refused before anything was written
    with pytest.raises(ValueError):
        ReportMeta(title="x", generated=GENERATED, kind="people")
    assert suggested_filename(META, "xlsx") == "党史-云铝文山-检索结果-2021-01至2021-06.xlsx"
    unit = ReportMeta(title="兰州铝业活动记录", generated=GENERATED, filters={"单位": "兰州铝业"}, kind="activities",
                      date_from="2021")
    assert suggested_filename(unit, "xlsx") == "兰州铝业-活动记录-2021起.xlsx"
    assert suggested_filename(ReportMeta(title="x", generated=GENERATED, filters={"年份": "2021"}, kind="activities",
                                         query="a/b"), "md") == "a_b-活动记录-2021.md"
    assert write_report(iter(ROWS), META, "CSV", tmp_path / "r.csv") == 3  # a path; case-insensitive
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]  # no .part left behind


@pytest.mark.parametrize(("row", "label"), [
    ({"year": 2021, "number": 5}, "2021年第5期"),
    ({"year": 2021, "number": 5, "number_end": 6}, "2021年第5-6期合刊"),
    ({"year": 2021, "number": 5, "number_end": 5}, "2021年第5期"),
    ({"year": 2021, "special": "增刊"}, "2021年增刊"),
    ({"year": 2019, "special": "特刊", "number": 2}, "2019年特刊第2期"),
    ({"year": 2021}, "2021年"),
])
def test_reports_label_an_issue_as_its_citation_does(row, label):
    from archive.store.citation import citation
    assert labels.issue_label(row) == label
    assert citation(None, row.get("year"), row.get("number"), None, None, None, row.get("number_end"),
                    row.get("special")).endswith(label)


# ---------------------------------------------------------------- DOCX

def docx_text(data):
    import docx
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def test_docx_content_and_order():
    n, data = write("docx")
    assert n == 3
    paras = docx_text(data)
    assert paras[0] == "检索结果：党史" and paras[1] == CONDITIONS
    assert paras[2].startswith("共 3 条") and "2024年5月1日 14:30" in paras[2]
    assert paras[3] == "一、检索结果"
    headings = [p for p in paras if re.match(r"^\d．", p)]
    assert headings == ["1．党史学习教育进行篇1", "2．合刊条目", "3．=SUM(A1:A2) 增刊条目"]
    text = "\n".join(paras)
    for label in ("栏目：践·铝之行；日期：2021年4月16日；期号：2021年第5期；页码：第2–3页；单位：云铝文山；作者：张三",
                  "日期：2021年6月；期号：2021年第5-6期合刊；页码：第4页", "日期：2021年7月1日；期号：2021年增刊"):
        assert label in text
    assert f"出处：《{PUB}》2021年第5期（总第5期），第2–3页" in paras
    assert "云铝文山组织开展党史学习教育第1场。" in paras and "第二段1。" in paras  # text lines → paragraphs
    assert paras[paras.index("二、参考文献") - 1] == f"出处：《{PUB}》2021年，第2–3页"  # the last row's
    refs = paras[paras.index("二、参考文献") + 1:]
    assert refs == [f"[{i}] {r['citation_gbt']}" for i, r in enumerate(ROWS, 1)]
    assert text.index("党史学习教育进行篇1") < text.index("合刊条目") < text.index("增刊条目")


def test_docx_separators_are_an_offices_not_a_web_pages():
    """Seen (issue 22): 「栏目 › 标题」 headings and 「date · issue · pages」 lines; an office writes
    「1．标题」 and 「栏目：…；日期：…」."""
    text = "\n".join(docx_text(write("docx")[1]))
    assert "›" not in text and " · " not in text


def emu_mm(length):
    return round(length / 36000, 1)


def test_docx_is_in_the_gongwen_house_style():
    """GB/T 9704-2012, as issue 22 asks: A4, margins 37/35/28/26 mm, title 二号 (22 pt) 小标宋, body
    三号 (16 pt) 仿宋 on an exact 28-pt line; 「— N —」 folios in 宋体 四号, odd pages right, even
    pages left, one character in; fonts named for Word and WPS with fall-backs (seen: 12 pt body,
    default margins, 「第 X 页 共 Y 页」)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt
    _, data = write("docx")
    doc = docx.Document(io.BytesIO(data))
    section = doc.sections[0]
    assert (emu_mm(section.page_width), emu_mm(section.page_height)) == (210, 297)
    assert [emu_mm(m) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                section.right_margin)] == [37, 35, 28, 26]
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode("utf-8")

    def style(style_id):
        return re.search(rf'<w:style [^>]*w:styleId="{style_id}".*?</w:style>', styles, re.S).group(0)

    for style_id, east_asia, half_points in (("Title", "方正小标宋简体", 44), ("Normal", "仿宋_GB2312", 32),
                                             ("ReportBody", "仿宋_GB2312", 32), ("Heading1", "黑体", 32),
                                             ("ReportInfo", "楷体_GB2312", 28), ("ReportFolio", "宋体", 28)):
        block = style(style_id)
        fonts = re.search(r"<w:rFonts [^>]*/>", block).group(0)
        assert f'w:eastAsia="{east_asia}"' in fonts and 'w:ascii="Times New Roman"' in fonts, style_id
        assert "theme" not in fonts.lower() and 'w:eastAsia="zh-CN"' in block, style_id  # w:lang
        assert f'<w:sz w:val="{half_points}"/>' in block, style_id
    body = doc.styles["Report Body"].paragraph_format
    assert body.line_spacing_rule == WD_LINE_SPACING.EXACTLY and body.line_spacing == Pt(28)
    assert body.first_line_indent == Pt(32)  # two characters of 三号
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles, re.S).group(0)
    assert 'w:eastAsia="仿宋_GB2312"' in defaults and "eastAsiaTheme" not in defaults
    # the font table: each CJK face with its fall-backs and the GB2312 charset
    fonts = zipfile.ZipFile(io.BytesIO(data)).read("word/fontTable.xml").decode("utf-8")
    for name, alt in (("仿宋_GB2312", "仿宋,FangSong"), ("楷体_GB2312", "楷体,KaiTi"), ("方正小标宋简体", "黑体"),
                      ("黑体", "SimHei"), ("宋体", "SimSun")):
        entry = re.search(rf'<w:font w:name="{name}">.*?</w:font>', fonts, re.S).group(0)
        assert alt in re.search(r'w:altName w:val="([^"]*)"', entry).group(1) and 'w:charset w:val="86"' in entry
    # folios: 「— PAGE —」, odd at the right, even at the left, each one character (四号, 14 pt) in
    settings = zipfile.ZipFile(io.BytesIO(data)).read("word/settings.xml").decode("utf-8")
    assert "<w:evenAndOddHeaders/>" in settings
    for footer, align, indent in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right_indent"),
                                  (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left_indent")):
        p = footer.paragraphs[0]
        assert p.alignment == align and getattr(p.paragraph_format, indent) == Pt(14)
        assert p.text == "—  —" and 'w:instr=" PAGE "' in p._p.xml and "NUMPAGES" not in p._p.xml
    assert doc.paragraphs[0].style.name == "Title"
    assert doc.core_properties.created.replace(tzinfo=None) == GENERATED and doc.core_properties.title == "检索结果：党史"


def test_docx_table_layout():
    """--layout table: one table (序号 期号 日期 单位 内容 页码) whose head row repeats on each page;
    the references follow it, numbered by 序号 (seen: no table at all)."""
    import dataclasses
    import docx
    _, data = write("docx", meta=dataclasses.replace(META, layout="table"))
    doc = docx.Document(io.BytesIO(data))
    assert len(doc.tables) == 1
    table = doc.tables[0]
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == ["序号", "期号", "日期", "单位", "内容", "页码"]
    assert cells[1] == ["1", "2021年第5期", "2021-04-16", "云铝文山", "党史学习教育进行篇1\n云铝文山组织开展党史学习教育第1场。\n第二段1。",
                        "2–3"]
    assert cells[2][:3] == ["2", "2021年第5-6期合刊", "2021-06"] and cells[2][5] == "4"
    assert len(cells) == 4
    assert "<w:tblHeader/>" in table.rows[0]._tr.xml
    content = table.rows[1].cells[4].paragraphs
    assert [bool(p.runs[0].bold) for p in content] == [True, False, False]  # the title line only
    untitled = docx.Document(io.BytesIO(write("docx", rows=[make_row(1, heading=None, section=None)],
                                              meta=dataclasses.replace(META, layout="table"))[1])).tables[0]
    assert not any(p.runs[0].bold for p in untitled.rows[1].cells[4].paragraphs if p.runs)
    paras = [p.text for p in doc.paragraphs]
    assert "1．党史学习教育进行篇1" not in paras  # not the list as well
    assert paras[paras.index("二、参考文献") + 1] == f"[1] {ROWS[0]['citation_gbt']}"
    empty = docx.Document(io.BytesIO(write("docx", rows=[], meta=dataclasses.replace(META, layout="table"))[1]))
    assert not empty.tables and "没有符合条件的结果。" in [p.text for p in empty.paragraphs]


def test_docx_zero_rows():
    n, data = write("docx", rows=[])
    paras = docx_text(data)
    assert n == 0
    assert "没有符合条件的结果。" in paras and any(p.startswith("共 0 条") for p in paras)
    assert "参考文献" not in paras


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_input_gives_same_bytes(fmt):
    """Byte-identical, not by luck of the clock: a ZIP package's every member carries the report's
    own time (2024-05-01 14:30), whenever it is written."""
    assert write(fmt)[1] == write(fmt)[1]
    if fmt in ("docx", "xlsx"):
        members = zipfile.ZipFile(io.BytesIO(write(fmt)[1])).infolist()
        assert members and {m.date_time for m in members} == {(2024, 5, 1, 14, 30, 0)}


# ---------------------------------------------------------------- XLSX

def test_xlsx_columns_dates_and_conditions():
    import openpyxl
    n, data = write("xlsx")
    assert n == 3
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["检索结果", "检索条件"]
    ws = wb["检索结果"]
    assert ws.freeze_panes == "A2"
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == labels.COLUMNS
    assert len(rows) == 4
    first = dict(zip(rows[0], rows[1]))
    assert isinstance(first["日期"], dt.datetime) and first["日期"].date() == dt.date(2021, 4, 16)
    assert first["期号"] == "2021年第5期" and first["页码"] == "第2–3页" and first["单位"] == "云铝文山"
    assert first["正文"] == "云铝文山组织开展党史学习教育第1场。\n第二段1。"
    assert first["引用"] == ROWS[0]["citation"] and first["GB/T"] == ROWS[0]["citation_gbt"]
    assert [r[4] for r in rows[1:]] == ["党史学习教育进行篇1", "合刊条目", "=SUM(A1:A2) 增刊条目"]
    assert ws["E4"].data_type == "s"  # a heading starting with "=" stays text, not a formula
    assert ws["A3"].value == dt.datetime(2021, 6, 1) and ws["A3"].number_format == "yyyy-mm"
    assert ws["A2"].number_format == "yyyy-mm-dd" and ws["A2"].is_date
    assert rows[2][1] == "2021年第5-6期合刊" and rows[3][1] == "2021年增刊"
    assert ws["H2"].alignment.wrap_text and not ws["A2"].alignment.wrap_text
    assert ws.column_dimensions["H"].width == 80 and ws.column_dimensions["A"].width == 12
    assert ws.auto_filter.ref == "A1:J4"
    conditions = {a: b for a, b in wb["检索条件"].iter_rows(values_only=True)}
    assert conditions["检索词"] == "党史" and conditions["单位"] == "云铝文山" and conditions["年份"] == "2021"
    assert conditions["日期范围"] == "2021年1月至2021年6月" and conditions["条数"] == 3
    assert conditions["生成时间"] == GENERATED and conditions["标题"] == "检索结果：党史"


def test_xlsx_zero_rows_and_activities():
    import openpyxl
    meta = ReportMeta(title="云铝文山活动", filters={"单位": "云铝文山"}, generated=GENERATED, kind="activities")
    n, data = write("xlsx", rows=[], meta=meta)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert n == 0 and wb.sheetnames == ["活动记录", "检索条件"]
    assert list(wb["活动记录"].iter_rows(values_only=True)) == [labels.COLUMNS]
    assert dict(wb["检索条件"].iter_rows(values_only=True))["条数"] == 0
    activity = make_row(units=["云铝文山", "中州铝业"], unit="中州铝业", activity="中州铝业开展清淤活动。")
    _, data = write("xlsx", rows=[activity], meta=meta)
    row = dict(zip(labels.COLUMNS, list(openpyxl.load_workbook(io.BytesIO(data)).active.values)[1]))
    assert row["单位"] == "中州铝业" and row["正文"] == "中州铝业开展清淤活动。"


# ---------------------------------------------------------------- CSV

def test_csv_bom_columns_order():
    n, data = write("csv")
    assert n == 3 and data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == labels.COLUMNS and len(rows) == 4
    assert [r[0] for r in rows[1:]] == ["2021-04-16", "2021-06", "2021-07-01"]
    assert [r[1] for r in rows[1:]] == ["2021年第5期", "2021年第5-6期合刊", "2021年增刊"]
    assert rows[1][7] == "云铝文山组织开展党史学习教育第1场。\n第二段1。"
    assert rows[1][8] == ROWS[0]["citation"] and rows[1][9] == ROWS[0]["citation_gbt"]
    assert rows[3][4] == "'=SUM(A1:A2) 增刊条目"  # no formula when Excel opens it
    assert write("csv", rows=[])[1].decode("utf-8-sig").strip() == ",".join(labels.COLUMNS)


# ---------------------------------------------------------------- Markdown

def test_markdown():
    n, data = write("md")
    text = data.decode("utf-8")
    assert n == 3 and text.startswith("# 检索结果：党史\n\n" + CONDITIONS + "\n")
    assert "1. **2021年4月16日 · 2021年第5期 · 践·铝之行 › 党史学习教育进行篇1**" in text
    assert "\n   云铝文山组织开展党史学习教育第1场。\n" in text
    assert f"\n   > 《{PUB}》2021年第5期（总第5期），第2–3页\n" in text
    assert "3. **2021年7月1日 · 2021年增刊 · 践·铝之行 › =SUM(A1:A2) 增刊条目**" in text
    assert r"\*重点\* \[链接\](x) \<b\>" in text
    assert text.index("1. **") < text.index("2. **") < text.index("3. **")
    assert text.rstrip().endswith("共 3 条（生成时间：2024年5月1日 14:30）")
    empty = write("md", rows=[])[1].decode("utf-8")
    assert "没有符合条件的结果" in empty and "共 0 条" in empty and "1. " not in empty
    assert escape("# 标题\n12. x") == "\\# 标题\n12\\. x"


def test_markdown_table_layout():
    import dataclasses
    text = write("md", meta=dataclasses.replace(META, layout="table"))[1].decode("utf-8")
    lines = text.splitlines()
    head = lines.index("| 序号 | 期号 | 日期 | 单位 | 内容 | 页码 |")
    assert lines[head + 1] == "|---|---|---|---|---|---|"
    assert lines[head + 2] == "| 1 | 2021年第5期 | 2021-04-16 | 云铝文山 | 党史学习教育进行篇1<br>云铝文山组织开展党史学习教育第1场。<br>第二段1。 | 2–3 |"
    assert lines[head + 4].startswith("| 3 | 2021年增刊 |") and r"\*重点\*" in lines[head + 4]
    assert text.rstrip().endswith("共 3 条（生成时间：2024年5月1日 14:30）")


def test_a_layout_is_list_or_table():
    with pytest.raises(ValueError, match="list, table"):
        ReportMeta(title="x", generated=GENERATED, layout="grid")


class Unseekable(io.RawIOBase):  # a write-only stream, like a web response body
    data = b""
    writable = lambda self: True  # noqa: E731

    def write(self, b):
        self.data += bytes(b)
        return len(b)


@pytest.mark.parametrize("fmt", FORMATS)
def test_odd_rows_aware_time_unseekable_output(fmt):
    import openpyxl
    rows = [Row(id="doc-1"),  # nothing but an id
            make_row(2, text="控制\x01字符\t制表\r\n换行", heading=None, units=None, page_start=None),
            make_row(3, text="长" * 40_000)]
    meta = ReportMeta(title="边界", generated=GENERATED.replace(tzinfo=dt.timezone(dt.timedelta(hours=8))))
    out = Unseekable()
    assert write_report(iter(rows), meta, fmt, out) == 3
    data = bytes(out.data)
    if fmt == "xlsx":
        wb = openpyxl.load_workbook(io.BytesIO(data))
        assert wb.active["H3"].value == "控制字符\t制表\n换行"
        assert len(wb.active["H4"].value) == 32767 and wb.active["H4"].value.endswith("（已截断）")
        assert dict(wb["检索条件"].values)["生成时间"] == GENERATED  # its wall time, no zone
    elif fmt == "docx":
        assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
        assert "控制字符\t制表" in "\n".join(docx_text(data))
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        assert len(rows) == 4 and rows[2][7] == "控制字符\t制表\n换行"
    else:
        assert "控制字符\t制表" in data.decode("utf-8") and "（生成时间：2024年5月1日 14:30）" in data.decode("utf-8")


# ---------------------------------------------------------------- streaming
# (the one test that the writers stream: every row is freed before the third after it is made, and
# the peak is well under what a list of the rows takes; test_reports had a second, weaker one)

N_STREAM = 4_000  # rows: a list of them takes > 4.8 MB, three times the writers' bound (traced, 10,000 took 30 s)
STREAM_PEAK = 1_600_000  # bytes: the most a writer may hold at once (xlsx peaks at ~0.9 MB)
TEXT = "云铝文山党委组织开展主题党日活动，各党支部围绕安全生产、节能降耗、提质增效开展专题研讨。" * 3


def stream(n, alive=None):
    """n fresh rows; ``alive`` ([now, most]) counts the rows that exist at once."""
    def freed():
        alive[0] -= 1
    for i in range(n):
        row = make_row(i, text=f"{TEXT}{i}")
        if alive is not None:
            alive[0] += 1
            alive[1] = max(alive)
            weakref.finalize(row, freed)
        yield row


def test_list_of_rows_would_be_large():
    tracemalloc.start()
    try:
        rows = list(stream(N_STREAM))
        size = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(rows) == N_STREAM and size > 3 * STREAM_PEAK  # the yardstick for the limit below


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "md"])
def test_streaming_writers_hold_no_list(fmt, tmp_path):
    alive, target = [0, 0], tmp_path / f"big{EXTENSIONS[fmt]}"
    write_report(stream(10), META, fmt, target)  # imports (openpyxl…) are not what is measured
    tracemalloc.start()
    try:
        n = write_report(stream(N_STREAM, alive), META, fmt, target)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert n == N_STREAM and alive[1] <= 3, f"{alive[1]} rows alive at once"
    assert peak < STREAM_PEAK, f"peak {peak / 1e6:.1f} MB"  # a list of the rows takes three times that
    if fmt == "csv":
        with open(target, encoding="utf-8-sig", newline="") as f:
            assert sum(1 for _ in csv.reader(f)) == N_STREAM + 1
    elif fmt == "xlsx":
        import openpyxl
        wb = openpyxl.load_workbook(target, read_only=True)
        assert sum(1 for _ in wb["检索结果"].iter_rows(values_only=True)) == N_STREAM + 1
        wb.close()


def test_csv_output_grows_while_rows_arrive():
    buf, sizes = io.BytesIO(), []

    def rows():
        for i, row in enumerate(stream(3000)):
            if i % 1000 == 999:
                sizes.append(len(buf.getvalue()))
            yield row
    assert write_report(rows(), META, "csv", buf) == 3000
    assert 0 < sizes[0] < sizes[1] < sizes[2] < len(buf.getvalue())


def test_docx_keeps_no_rows():
    alive = [0, 0]
    assert write_report(stream(300, alive), META, "docx", io.BytesIO()) == 300
    assert alive[1] <= 3


# ---------------------------------------------------------------- DOCX → PDF (LibreOffice)

MM = 25.4 / 72  # a PDF point in millimetres
PUNCTUATION = set("，。；：、！？）」』》")  # hangs past the right edge (LibreOffice's hanging punctuation)


def to_pdf(docx_path, tmp_path):
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx_path)],
                   check=True, capture_output=True, timeout=180)
    return docx_path.with_suffix(".pdf")


def page_boxes(page):
    """(the text block's glyphs, the folio's glyphs) of a page: the folio is under 262 mm."""
    chars = [c for c in page.chars if c["text"].strip()]
    return [c for c in chars if c["top"] * MM < 262], [c for c in chars if c["top"] * MM >= 262]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("layout", ["list", "table"])
def test_docx_converts_to_pdf_on_the_gongwen_page(tmp_path, layout):
    """LibreOffice draws the report on A4 with its text inside the 156 × 225 mm block (37 mm from
    the top, 28 mm from the left) and 「— N —」 7 mm under it, odd pages at the right edge, even
    at the left; a page of it is drawn as PNG (README's screenshot)."""
    import dataclasses
    import pdfplumber
    rows = [make_row(i, text="云铝文山党委组织开展主题党日活动，各党支部围绕安全生产、节能降耗开展专题研讨。" * 6)
            for i in range(1, 9)] + ROWS
    source = tmp_path / "report.docx"
    write_report(iter(rows), dataclasses.replace(META, layout=layout), "docx", source)
    with pdfplumber.open(to_pdf(source, tmp_path)) as pdf:
        assert len(pdf.pages) >= 3
        for page in pdf.pages:
            assert (round(page.width), round(page.height)) == (595, 842)  # A4 in points
            block, folio = page_boxes(page)
            assert min(c["top"] for c in block) * MM >= 37 - 0.5
            assert max(c["bottom"] for c in block) * MM <= 297 - 35 + 0.5
            assert min(c["x0"] for c in block) * MM >= 28 - 0.5
            assert max(c["x1"] for c in block if c["text"] not in PUNCTUATION) * MM <= 210 - 26 + 0.5
            assert "".join(c["text"] for c in folio) == f"—{page.page_number}—"
            assert 6 <= min(c["top"] for c in folio) * MM - (297 - 35) <= 9  # 7 mm under the block
            if page.page_number % 2:  # one 四号 character (4.9 mm) in from the block's outer edge
                assert abs(max(c["x1"] for c in folio) * MM - (210 - 26 - 4.94)) < 1
            else:
                assert abs(min(c["x0"] for c in folio) * MM - (28 + 4.94)) < 1
        text = re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in pdf.pages))
        if layout == "table":
            assert len(pdf.pages[0].find_tables()) == 1 and "序号期号日期单位内容页码" in text
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(source.with_suffix(".pdf")),
                    str(tmp_path / "page")], check=True)
    assert (tmp_path / "page.png").stat().st_size > 10_000


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_docx_converts_to_pdf_with_chinese_text(tmp_path):
    import pdfplumber
    source = tmp_path / "report.docx"
    write_report(iter(ROWS), META, "docx", source)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    with pdfplumber.open(tmp_path / "report.pdf") as pdf:
        text = re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in pdf.pages))
        size = (round(pdf.pages[0].width), round(pdf.pages[0].height))
    assert size == (595, 842)  # A4 in points
    assert "一、检索结果" in text and "二、参考文献" in text
    assert "检索结果：党史" in text and "共3条" in text
    assert re.sub(r"\s+", "", CONDITIONS) in text
    assert f"出处：《{PUB}》2021年第5期（总第5期），第2–3页" in text
    assert "[1]张三.践·铝之行：党史学习教育进行篇1[J]." in text
    assert text.index("党史学习教育进行篇1") < text.index("合刊条目") < text.index("参考文献")
