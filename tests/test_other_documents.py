"""A PDF that is not the newsletter is imported as far as it can be, and flagged for review."""
import json

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
