"""A PDF that is not the newsletter is imported as far as it can be, and flagged for review."""
import json

import pytest

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas


def notice_pdf(path):
    """A two-page notice in a built-in CID font (no font files needed): a title and paragraphs."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("STSong-Light", 18)
    c.drawCentredString(297, 780, "关于开展安全生产检查的通知")
    c.setFont("STSong-Light", 12)
    y = 740
    for para in (["各单位：为切实做好安全生产工作，经研究决定，在全公司范围内开展安全生产", "大检查。"],
                 ["检查时间为2024年5月6日至5月31日，请各单位认真组织，按时报送检查结果，"
                  , "确保检查工作取得实效。"]):
        for i, text in enumerate(para):
            c.drawString(96 if i == 0 else 72, y, text)
            y -= 20
    c.showPage()
    c.setFont("STSong-Light", 12)
    c.drawString(96, 780, "联系人：王磊，电话：12345678。")
    c.save()


def test_notice_is_imported_for_review(archive, tmp_path):
    path = tmp_path / "notice.pdf"
    notice_pdf(path)
    result = archive("import", path)
    assert result.exit_code == 0
    assert "imported as doc-" in result.output and "needs review: no masthead" in result.output
    [record] = json.loads(archive("export").output)
    assert record["needs_review"] is True and record["year"] is None and record["publication"] is None
    [section] = record["sections"]
    assert section["title"] is None
    texts = [it["text"] for it in section["items"]]
    assert texts == ["关于开展安全生产检查的通知", "各单位：为切实做好安全生产工作，经研究决定，在全公司范围内开展安全生产大检查。",
                     "检查时间为2024年5月6日至5月31日，请各单位认真组织，按时报送检查结果，确保检查工作取得实效。",
                     "联系人：王磊，电话：12345678。"]
    assert section["items"][1]["heading"] == "关于开展安全生产检查的通知"  # the title is an item too
    assert [it["page_start"] for it in section["items"]] == [1, 1, 1, 2]


def test_user_supplies_metadata(archive, tmp_path):
    path = tmp_path / "notice.pdf"
    notice_pdf(path)
    result = archive("import", "--publication", "中铝股份党群工作", "--year", "2015", "--number", "3",
                     "--date", "2015-02-01", path)
    assert "imported as 2015-003" in result.output
    [record] = json.loads(archive("export").output)
    assert (record["id"], record["publication"], record["date"]) == ("2015-003", "中铝股份党群工作", "2015-02-01")


def mini_bulletin(path, number_line, date_line):
    """A bulletin laid out by hand (another producer's spacing): masthead variants are read."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("STSong-Light", 26)
    c.drawCentredString(297, 770, "中铝股份党群工作")
    c.setFont("STSong-Light", 14)
    c.drawCentredString(297, 735, number_line)
    c.drawString(72, 710, date_line)
    c.setFont("STSong-Light", 18)
    c.drawCentredString(297, 670, "学 · 习 之 路")
    c.setFont("STSong-Light", 12)
    c.drawString(96, 640, "安全生产是民生大事，一丝一毫不能放松。（人民日报）")
    c.drawString(72, 600, "（本期信息采集时间：4月10日-4月15日）")
    c.save()


@pytest.mark.parametrize("number_line, date_line", [
    ("2021年第5期（总第105期）", "党群工作部　　　　　　　　　　　　2021年4月16日"),
    ("第5期（总第105期）", "党群工作部　　　　　　　　　　　　2021年4月16日"),          # the year from the date
    ("第五期　总第一百零五期", "党群工作部　　　　　　　　　　　　二〇二一年四月十六日"),  # Chinese numerals
])
def test_masthead_variants(archive, tmp_path, number_line, date_line):
    path = tmp_path / "bulletin.pdf"
    mini_bulletin(path, number_line, date_line)
    assert "imported as 2021-005" in archive("import", path).output
    [record] = json.loads(archive("export").output)
    assert (record["year"], record["number"], record["total_number"], record["date"], record["publisher"]) == \
        (2021, 5, 105, "2021-04-16", "党群工作部")
    assert record["collection_period"] == "4月10日-4月15日"
    [section] = record["sections"]
    assert section["title"] == "学·习之路" and section["items"][0]["source"] == "人民日报"


def test_an_issue_number_in_body_text_is_no_masthead(archive, tmp_path):
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "notice.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("STSong-Light", 12)
    y = 780
    for text in ["各单位：", "现将举办第3期青年骨干培训班的有关事项通知如下，请各单位认真组织报名，按时",
                 "参加培训。培训时间为2024年5月6日至5月10日。"]:
        c.drawString(72, y, text)
        y -= 20
    c.save()
    result = archive("import", path)
    assert "imported as doc-" in result.output
    [record] = json.loads(archive("export").output)
    assert record["number"] is None
    assert "各单位：" in [it["text"] for s in record["sections"] for it in s["items"]]


@pytest.mark.parametrize("title, role", [
    ("第三章 艰苦创业", "section"), ("第十二章", "section"), ("第二部分　工作回顾", "section"), ("第1编 总则", "section"),
    ("一、白手起家", "heading"), ("（二）基层党建", "heading"), ("3. 下一步工作", "heading"),
    ("国防部关于放假的通知", "item"), ("第三季度工作总结", "item"), ("第一次党代会", "item"),
])
def test_a_documents_own_outline(title, role):
    """Not the bulletin: a chapter title opens a section, a numbered title heads the paragraphs
    after it, any other title stays text (what a reader sees there is found)."""
    from archive.ingest.structure import build_sections
    from archive.ingest.units import Registry
    from archive.model import Block
    from geometry import line
    blocks = [Block("title", [line(title, 200, 80, 400, size=16)]), Block("para", [line("正文一段。", 70, 120, 500)])]
    sections = build_sections(blocks, Registry.load())
    items = [it for s in sections for it in s.items]
    texts = [it.text for it in items]
    squashed = title.replace(" ", "").replace("　", "")
    if role == "section":
        assert [s.title.replace(" ", "") for s in sections] == [squashed] and texts == ["正文一段。"]
        assert items[0].heading is None
    elif role == "heading":
        assert [s.title for s in sections] == [None] and texts == ["正文一段。"]
        assert items[0].heading.replace(" ", "") == squashed
    else:
        assert [s.title for s in sections] == [None] and texts == [squashed, "正文一段。"]
