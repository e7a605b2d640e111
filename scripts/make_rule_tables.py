#!/usr/bin/env python3
"""Make the fixture of tables ruled only across (三线表), as bond prospectuses print them: a rule
above, one under the header, one at the foot, no cell borders; issuers' names wrapped inside
narrow cells. Two tables: cells centred in their rows with padding, and cells set at the top of
rows with no padding (Word's default), where lines of one width are rows of their own.

    .venv/bin/python scripts/make_rule_tables.py tests/fixtures/tables/threeline.pdf
"""
from __future__ import annotations

import sys

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = ("UMing", "/usr/share/fonts/truetype/arphic/uming.ttc")
ISSUERS = [["序号", "发行人名称", "债券简称", "发行规模（亿元）", "期限"],
           ["1", "盐城高新区投资集团有限公司", "21盐高01", "10.00", "5年"],
           ["2", "江苏盐城港控股集团有限公司", "22盐港02", "8.50", "3年"],
           ["3", "盐城市城南新区开发建设投资有限公司", "20城南03", "12.00", "7年"]]
RATINGS = [["评级机构", "主体评级", "债项评级"],
           ["中诚信国际信用评级有限责任公司", "AA+", "AA+"],
           ["联合资信评估股份有限公司", "AA+", "AAA"],
           ["东方金诚国际信用评估有限公司", "AA", "AA+"]]
TEXT = ("本期债券的发行人为盐城高新区投资集团有限公司，其主要情况如下表所示，投资者应当认真阅读本募集说明书全文，"
        "并特别关注本募集说明书所述的各项风险因素。")


def three_line(rows, widths, cell, valign, pad):
    table = Table([[Paragraph(c, cell) for c in r] for r in rows], colWidths=widths)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), valign), ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ("LINEABOVE", (0, 0), (-1, 0), 1.2, "black"), ("LINEBELOW", (0, 0), (-1, 0), 0.6, "black"),
        ("LINEBELOW", (0, -1), (-1, -1), 1.2, "black")]))
    return table


def main(out: str) -> None:
    pdfmetrics.registerFont(TTFont(FONT[0], FONT[1], subfontIndex=0))
    cell = ParagraphStyle("cell", fontName=FONT[0], fontSize=10.5, leading=14, wordWrap="CJK")
    body = ParagraphStyle("body", fontName=FONT[0], fontSize=12, leading=21, wordWrap="CJK", firstLineIndent=24)
    doc = SimpleDocTemplate(out, pagesize=A4, title="募集说明书（节选）")
    doc.build([Paragraph(TEXT, body), Spacer(1, 10),
               three_line(ISSUERS, [30, 90, 80, 80, 40], cell, "MIDDLE", 3), Spacer(1, 14),
               Paragraph("本期债券的信用评级情况如下：", body), Spacer(1, 10),
               three_line(RATINGS, [112, 70, 70], cell, "TOP", 0), Spacer(1, 14), Paragraph(TEXT, body)])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/tables/threeline.pdf")
