"""A year's 大事记: one event reported twice is one entry (rules from a table), an entry's words,
`archive chronicle` and /years/<year>/chronicle with their downloads read back."""
import io
import json
from pathlib import Path

import pytest

from archive.report.chronicle import entries, entry_text

FIXTURES = Path(__file__).parent / "fixtures" / "chronicle"


def act(item, date, units, text, source="text", seq=1, author=None, topics=()):
    return {"item": item, "seq": seq, "date": date, "date_source": source, "units": list(units),
            "canonical": list(units), "text": text, "topics": list(topics), "author": author,
            "issue": item.rsplit("-", 1)[0], "issue_date": "2021-01-10", "start": 0, "end": len(text),
            "page_start": 1, "page_end": 1, "publication": "中铝股份党群工作", "year": 2021,
            "number": int(item.split("-")[1]), "number_end": None, "special": None, "total_number": None}


SAME = "12月28日，兰州铝业组织党员赴革命纪念馆开展主题党日活动，重温入党誓词。"


@pytest.mark.parametrize(("second", "entries_made"), [
    (act("2021-002-001", "2020-12-28", ["兰州铝业"], SAME), 1),  # word for word, another issue
    (act("2021-002-001", "2020-12-28", ["兰州铝业"], SAME.replace("重温", "重温了")), 1),  # near-identical
    (act("2021-002-001", "2020-12-28", ["兰州铝业"], "兰州铝业于12月28日组织党员赴革命纪念馆开展主题党日活动，重温入党誓词。"),
     1),  # the date said another way
    (act("2021-001-005", "2020-12-28", ["兰州铝业"], SAME, seq=2), 1),  # twice in one issue
    (act("2021-002-001", "2020-12-27", ["兰州铝业"], SAME.replace("28", "27")), 2),  # another day
    (act("2021-002-001", "2020-12-28", ["中州铝业"], SAME.replace("兰州", "中州")), 2),  # another unit
    (act("2021-002-001", "2020-12-28", ["兰州铝业"], "12月28日，兰州铝业召开安全生产专题会议，部署冬季安全工作。"),
     2),  # another thing that day
    (act("2021-002-001", "2020-12-28", ["兰州铝业", "中州铝业"], SAME.replace("兰州铝业", "兰州铝业、中州铝业")),
     2),  # not the same units
    (act("2021-001-001", "2020-12-28", ["兰州铝业"], SAME), 1),  # the same activity read twice: one source
])
def test_duplicate_event_rule(second, entries_made):
    first = act("2021-001-001", "2020-12-28", ["兰州铝业"], SAME)
    got = list(entries([first, second]))
    assert len(got) == entries_made
    twice = second["item"] != first["item"] or second["seq"] != first["seq"]
    if entries_made == 1:  # one entry, citing each report of the event once
        assert [(s["item"], s["seq"]) for s in got[0].sources] == [("2021-001-001", 1)] + \
            ([(second["item"], second["seq"])] if twice else [])


def test_a_signed_reflection_is_no_event():
    assert not list(entries([act("2021-001-006", "2021-01-10", ["山西中润"], "要立足本职。（山西中润 吴昊）",
                                 source="issue", author="吴昊")]))


@pytest.mark.parametrize(("text", "units", "want"), [
    ("4月15日，兰州铝业组织党员开展主题党日活动。", ["兰州铝业"], "兰州铝业组织党员开展主题党日活动。"),
    ("兰州铝业于4月15日组织党员开展主题党日活动。", ["兰州铝业"], "兰州铝业组织党员开展主题党日活动。"),
    ("4月上旬，兰州铝业组织学习。", ["兰州铝业"], "兰州铝业组织学习。"),
    ("近日，兰州铝业组织学习。", ["兰州铝业"], "兰州铝业组织学习。"),
    ("截至3月底，兰州铝业完成项目5个。", ["兰州铝业"], "兰州铝业完成项目5个。"),
    ("兰州铝业组织学习习近平总书记7月1日重要讲话精神。", ["兰州铝业"], "兰州铝业组织学习习近平总书记7月1日重要讲话精神。"),
    ("组织党员开展志愿服务。", ["兰州铝业"], "兰州铝业：组织党员开展志愿服务。"),  # a unit put first
    ("抚顺铝业、广西华昇组织党员观看红色电影。", ["抚顺铝业", "广西华昇"], "抚顺铝业、广西华昇组织党员观看红色电影。"),
    ("兰州铝业开展活动。" + "内容很多。" * 40, ["兰州铝业"], "兰州铝业开展活动。" + "内容很多。" * 30),  # cut at a sentence
])
def test_entry_text_rule(text, units, want):
    assert entry_text(text, units) == want


# --- archive chronicle and the web page -----------------------------------------------------------

@pytest.fixture
def dated(archive, data_dir):
    assert archive("import", FIXTURES).exit_code == 0
    return data_dir


def read_docx(path):
    import docx
    doc = docx.Document(str(path))
    return [(p.style.name, p.text) for p in doc.paragraphs]


def test_the_chronicle_as_word_in_date_order_with_both_citations(dated, archive, tmp_path):
    out = tmp_path / "2020.docx"
    r = archive("chronicle", "2020", "-o", out)
    assert r.exit_code == 0, r.output
    assert "2 entries of 2020" in r.output
    paras = read_docx(out)
    texts = [t for _, t in paras]
    assert texts[0] == "2020年大事记"
    assert ("Heading 2", "十二月") in paras
    entry = texts.index("12月28日\u3000兰州铝业组织党员赴革命纪念馆开展主题党日活动，重温入党誓词。")
    assert texts[entry + 1] == ("出处：《中铝股份党群工作》2021年第1期（总第21期），第1页；"
                                "《中铝股份党群工作》2021年第2期（总第22期），第1页")
    assert texts.index("12月\u3000广西华昇推进精益管理，完成降本增效项目8个。") > entry  # a month after its days
    import docx
    first = docx.Document(str(out)).paragraphs[entry].runs[0]
    assert first.text == "12月28日\u3000" and first.bold  # the date set apart


def test_the_chronicle_as_excel_and_markdown(dated, archive, tmp_path):
    import datetime as dt
    import openpyxl
    assert archive("chronicle", "2021", "--format", "xlsx", "-o", tmp_path / "c.xlsx").exit_code == 0
    ws = openpyxl.load_workbook(tmp_path / "c.xlsx").worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0] == ["日期", "单位", "正文", "专题", "引用"]
    assert [r[0] for r in rows[1:4]] == [dt.datetime(2021, 1, 5), dt.datetime(2021, 1, 15), dt.datetime(2021, 1, 18)]
    assert rows[2][1] == "兰州铝业" and "张建国" in rows[2][2] and "党史学习教育" in rows[2][3]
    md = archive("chronicle", "2021", "--unit", "中州铝业", "-o", "-", "--format", "md").output
    assert md.startswith("# 中州铝业2021年大事记") and "## 一月" in md
    assert md.index("**1月5日**") < md.index("**1月18日**") and "兰州铝业" not in md
    topic = archive("chronicle", "2021", "--topic", "合规管理", "-o", "-", "--format", "md").output
    assert "普法" in topic and "党史知识竞赛" not in topic


@pytest.mark.parametrize(("args", "message"), [
    (["2021", "--unit", "没有这个单位"], "no unit is called"),
    (["2021", "--topic", "没有这个专题"], "no topic is called"),
    (["twenty"], "bad year"),
    (["2021", "-o", "x.pdf"], "give --format"),
])
def test_bad_chronicle_requests_are_refused(dated, archive, args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = archive("chronicle", *args)
    assert r.exit_code == 2 and message in r.output
    assert not list(tmp_path.glob("*.docx")) and not (tmp_path / "x.pdf").exists()


@pytest.fixture
def dated_app(dated):
    from archive.web import create_app
    app = create_app({"TESTING": True, "DATA_DIR": str(dated), "SECRET_KEY": "t", "ADMIN_TOKEN": None})
    yield app
    app.extensions["archive.jobs"].close(kill=True)
    app.extensions["archive.renderer"].close()
    app.extensions["archive.search"].close()


def test_the_chronicle_page_and_its_downloads_are_the_command_lines(dated_app, archive, tmp_path):
    client = dated_app.test_client()
    page = client.get("/years/2020/chronicle").get_data(as_text=True)
    assert "2020年大事记" in page and "十二月" in page and page.count('class="entry"') == 2
    assert page.count("出处") + page.count("又见") == 3  # the twice-reported event cites both issues
    assert "/years/2020/chronicle.docx" in page
    for fmt in ("docx", "xlsx", "md"):
        web = client.get(f"/years/2020/chronicle.{fmt}")
        assert web.status_code == 200 and web.headers["Content-Disposition"].startswith("attachment")
        assert archive("chronicle", "2020", "--format", fmt, "-o", tmp_path / f"c.{fmt}").exit_code == 0
        cli = (tmp_path / f"c.{fmt}").read_bytes()
        if fmt == "md":  # the time it was made differs
            assert web.get_data(as_text=True).split("共 ")[0] == cli.decode().split("共 ")[0]
        elif fmt == "docx":
            (tmp_path / "web.docx").write_bytes(web.data)
            assert read_docx(tmp_path / "web.docx") == read_docx(tmp_path / f"c.{fmt}")
        else:
            import openpyxl
            def cells(data):
                return [list(r) for r in openpyxl.load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True)]
            assert cells(web.data) == cells(cli)
    filtered = client.get("/years/2021/chronicle?unit=兰州铝业").get_data(as_text=True)
    assert filtered.count('class="entry"') == 1 and "张建国" in filtered
    assert client.get("/years/2021/chronicle?topic=没有").status_code == 400
    assert client.get("/years/2021/chronicle.pdf").status_code == 400
    assert "2021 年大事记" in client.get("/years/2021").get_data(as_text=True)
    assert client.get("/years/2021/chronicle.md?unit=兰州铝业").headers["Content-Disposition"].find("%E5%A4%A7%E4%BA%8B%E8%AE%B0") > 0


def test_the_chronicle_docx_as_libreoffice_draws_it(dated, archive, tmp_path):
    """The Word 大事记 opened by another program: A4, its months and entries in order, both citations
    of the twice-reported event, drawn to a picture that is not blank."""
    import re
    import shutil
    import subprocess
    if not shutil.which("soffice"):
        pytest.skip("no LibreOffice")
    import pdfplumber
    import pypdfium2
    source = tmp_path / "c.docx"
    assert archive("chronicle", "2020", "-o", source).exit_code == 0
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    with pdfplumber.open(tmp_path / "c.pdf") as pdf:
        text = re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in pdf.pages))
        size = (round(pdf.pages[0].width), round(pdf.pages[0].height))
    assert size == (595, 842)
    assert text.index("2020年大事记") < text.index("十二月") < text.index("12月28日兰州铝业") < text.index("12月广西华昇")
    assert "2021年第1期（总第21期），第1页；《中铝股份党群工作》2021年第2期" in text
    image = pypdfium2.PdfDocument(str(tmp_path / "c.pdf"))[0].render(scale=1).to_pil().convert("L")
    assert image.getextrema()[0] < 64  # ink on the page
