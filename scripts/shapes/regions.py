"""Pages of several column regions (newspaper style), as HTML for two producers: WeasyPrint (CSS
multi-column, laid out by its own engine) and headless Chromium.

An issue is a sequence of regions down the pages: the masthead; for each section a headline
(the section title, display type, full width) and often a lead (the section's first item set
full width at body size, its heading above it); then column regions of 2 or 3 columns holding
the items (headings inside the columns), and now and then a full-width item between two column
regions. A paragraph may run on from the end of a column region into the next full-width region
(its first part's last line justified to the column's edge, the rest set without indent), and
from page to page. The 版记 closes the issue full width.

Truth: every item's page span is found in the produced PDF from its glyphs in the order the
producer drew them (both draw the document in its order, column by column), with the margin
bands cut off; an item not found stops the run."""
from __future__ import annotations

import copy
import html
import os

import pdfplumber

from .common import MM, RED, squash
from .content import Calendar, base_issue, date_text, enlarge, issue_id, truth_of
from .common import load_make_corpus, rng_for

e = html.escape
SONG = ["Noto Serif CJK SC", "AR PL UMing CN", "AR PL SungtiL GB"]
HEI = ["Noto Sans CJK SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei"]
KAI = ["AR PL UKai CN", "LXGW WenKai", "AR PL KaitiM GB"]


class LocateError(SystemExit):
    pass


def pick_style(rng):
    page = rng.choice([(210, 297), (210, 297), (297, 420), (257, 364)])
    body = rng.choice([10, 10.5, 11, 12]) if page[0] > 220 else rng.choice([10, 10.5, 11])
    m = rng.choice([14, 16, 18, 20])
    return {
        "page": page, "margins": (m + rng.choice([0, 4]), m, m + 4, m), "body": body,
        "leading": round(body * rng.uniform(1.5, 1.8), 1), "gutter": rng.choice([5, 6, 8, 10]),
        "headline": rng.choice([18, 20, 22, 24]), "heading": round(body * rng.choice([1.2, 1.3]), 1),
        "masthead": rng.choice([34, 40, 48]), "number": 13, "indent": 2,
        "fonts": {"body": rng.choice(SONG + KAI[:1]), "title": rng.choice(HEI + SONG[:1]),
                  "heading": rng.choice(HEI)},
        "col_rule": rng.random() < 0.3, "para_after": rng.choice([0, 2, 4]),
        "folio": rng.random() < 0.6, "lead_bold": False,
    }


def plan_regions(rng, issue):
    """The issue as regions: [{"kind": "full"|"cols", "n": columns, "blocks": [...]}]; a block is
    a headline, a heading, or a paragraph (an item or a piece of one: "part" 1 of 2 ends
    justified, part 2 opens unindented)."""
    regions = []

    def region(kind, n=1):
        regions.append({"kind": kind, "n": n, "blocks": []})
        return regions[-1]

    for s_i, section in enumerate(issue["sections"]):
        full = region("full")
        full["blocks"].append({"kind": "headline", "text": section["title"]})
        items = list(section["items"])
        last_heading = None
        if items and rng.random() < 0.7:  # a lead, full width at body size
            lead = items.pop(0)
            if lead.get("heading"):
                full["blocks"].append({"kind": "heading", "text": lead["heading"]})
                last_heading = lead["heading"]
            full["blocks"].append({"kind": "para", "text": lead["text"], "item": lead})
        cols = None
        while items:
            item = items.pop(0)
            if cols is None or (len(cols["blocks"]) >= 2 and rng.random() < 0.3):
                if cols is not None and rng.random() < 0.5 and len(item["text"]) > 40 and not item.get("heading"):
                    # a full-width item between two column regions
                    region("full")["blocks"].append({"kind": "para", "text": item["text"], "item": item})
                    cols = None
                    continue
                cols = region("cols", rng.choice([2, 2, 3]))
            if item.get("heading") and item["heading"] != last_heading:
                cols["blocks"].append({"kind": "heading", "text": item["heading"]})
                last_heading = item["heading"]
            cols["blocks"].append({"kind": "para", "text": item["text"], "item": item})
        # a paragraph running on from the columns into the next section's full-width region is not
        # possible (a headline comes between); inside a section: split the last item of a column
        # region followed by a full-width item
    for k in range(len(regions) - 1):
        a, b = regions[k], regions[k + 1]
        if a["kind"] == "cols" and b["kind"] == "full" and b["blocks"][0]["kind"] == "para" \
                and a["blocks"][-1]["kind"] == "para" and rng.random() < 0.6:
            block = a["blocks"].pop()
            text = block["text"]
            if len(text) < 60:
                a["blocks"].append(block)
                continue
            cut = int(len(text) * rng.uniform(0.45, 0.7))
            while cut < len(text) - 10 and text[cut] in "，。、；：）」”":
                cut += 1
            a["blocks"].append({"kind": "para", "text": text[:cut], "item": block["item"], "part": 1})
            b["blocks"].insert(0, {"kind": "para", "text": text[cut:], "item": block["item"], "part": 2})
    return regions


def build_html(issue, st, regions, end_lines):
    f = st["fonts"]
    t, r, b, l = st["margins"]
    w, h = st["page"]
    fam = lambda x: f'"{x}", "Noto Serif CJK SC", serif'
    folio = "@bottom-center { content: counter(page); font-size: 10pt; }" if st["folio"] else ""
    rule = "column-rule: 0.5pt solid #000;" if st["col_rule"] else ""
    css = f"""@page {{ size: {w}mm {h}mm; margin: {t}mm {r}mm {b}mm {l}mm; {folio} }}
html {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{ margin: 0; font-family: {fam(f['body'])}; font-size: {st['body']}pt; line-height: {st['leading']}pt; }}
.mast {{ text-align: center; color: {RED}; font-family: {fam(f['title'])}; font-weight: 700;
         font-size: {st['masthead']}pt; line-height: 1.3; margin: 0 0 2mm; }}
.number {{ text-align: center; font-size: {st['number']}pt; line-height: 1.6; margin: 0 0 1mm; }}
.pubrow {{ display: flex; justify-content: space-between; font-size: {st['number']}pt; line-height: 1.6;
           padding: 0 1mm 1mm; border-bottom: 2pt solid {RED}; margin-bottom: 3mm; }}
.cols {{ column-gap: {st['gutter']}mm; column-fill: balance; {rule} margin: 0 0 3mm; }}
.full {{ margin: 0 0 3mm; }}
h2 {{ text-align: center; color: {RED}; font-family: {fam(f['title'])}; font-weight: 700;
      font-size: {st['headline']}pt; line-height: 1.4; margin: 2mm 0 2mm; break-after: avoid; }}
h3 {{ text-align: center; font-family: {fam(f['heading'])}; font-weight: 700; font-size: {st['heading']}pt;
      line-height: 1.5; margin: 1mm 0 1mm; break-after: avoid; }}
p {{ text-align: justify; text-indent: {st['indent']}em; margin: 0 0 {st['para_after']}pt; orphans: 2; widows: 2; }}
p.part1 {{ text-align-last: justify; margin-bottom: 0; }}
p.part2 {{ text-indent: 0; }}
.end {{ font-size: {min(st['body'], 11)}pt; line-height: 1.7; margin-top: 5mm; break-inside: avoid; }}
.banji {{ border-top: 1pt solid #000; border-bottom: 1pt solid #000; padding: 0.5mm 0; }}
.banji p {{ margin: 0; text-indent: 0; }}
"""
    pr = issue["_print"]
    out = [f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>{e(issue['publication'])}"
           f"</title><style>{css}</style></head><body>",
           f"<div class='mast'>{e(issue['publication'])}</div><div class='number'>{e(pr['number_line'])}</div>",
           f"<div class='pubrow'><span>{e(issue['publisher'])}</span><span>{e(pr['date_line'])}</span></div>"]
    for reg in regions:
        if reg["kind"] == "cols":
            out.append(f"<div class='cols' style='column-count: {reg['n']}'>")
        else:
            out.append("<div class='full'>")
        for blk in reg["blocks"]:
            if blk["kind"] == "headline":
                out.append(f"<h2>{e(blk['text'])}</h2>")
            elif blk["kind"] == "heading":
                out.append(f"<h3>{e(blk['text'])}</h3>")
            else:
                cls = {1: " class='part1'", 2: " class='part2'"}.get(blk.get("part"), "")
                out.append(f"<p{cls}>{e(blk['text'])}</p>")
        out.append("</div>")
    out.append(f"<div class='end'><p style='margin:0 0 1mm; text-indent: 0'>{e(end_lines[0])}</p><div class='banji'>"
               f"<p>{e(end_lines[1])}</p><p>{e(end_lines[2])}</p></div></div></body></html>")
    return "".join(out)


def synth_regions(count, seed, start_year, producer, sections=None):
    """[(issue, style, regions)] for a set; `sections`: keep only the first few sections, the
    issue not enlarged (a small fixture: one page, few distinct glyphs to embed)."""
    mc = load_make_corpus()
    cal = Calendar(rng_for("regions", seed, "calendar"), start_year)
    out = []
    for i in range(count):
        rng = rng_for("regions", seed, i, producer)
        year, number, total, date = cal.take(1)
        issue = base_issue(mc, rng, year, number, total, date)
        st = pick_style(rng)
        if sections:
            issue["sections"] = issue["sections"][:sections]
        else:
            enlarge(mc, rng, issue, 2 if st["page"][0] > 220 else 1)
        issue["_print"] = {"number_line": f"{year}{rng.choice(['', ' '])}年第{number}期（总第{total}期）",
                           "date_line": date_text(date, rng)}
        issue["id"] = issue_id(issue)
        out.append((issue, st, plan_regions(rng, issue)))
    return out


def end_lines_of(issue):
    return [f"（本期信息采集时间：{issue['collection_period']}）", f"发放：{issue['distribution']}",
            f"抄送：{issue['cc']}　　　投稿邮箱：{issue['email']}"]


# ---- producers ----

class WeasyPrint:
    def __init__(self):
        import weasyprint
        self.weasyprint = weasyprint
        self.version = f"weasyprint {weasyprint.__version__}"

    def render(self, doc, path):
        self.weasyprint.HTML(string=doc).write_pdf(path)
        return self.version

    def close(self):
        pass


class Chromium:
    def __init__(self):
        from .web import Chromium as Engine
        self.engine = Engine()
        self.version = self.engine.version

    def render(self, doc, path):
        page = self.engine.browser.new_page()
        try:
            page.set_content(doc, wait_until="load")
            page.evaluate("document.fonts.ready")
            page.pdf(path=path, prefer_css_page_size=True, print_background=True)
        finally:
            page.close()
        return self.version

    def close(self):
        self.engine.close()


# ---- truth ----

def page_texts(pdf_path, st):
    """Each page's text in the order its glyphs were drawn, margin bands (folios) cut off."""
    t, _, b, _ = st["margins"]
    out = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            top, bottom = t * MM - 2, page.height - b * MM + 2
            out.append(squash("".join(c["text"] for c in page.chars if top <= (c["top"] + c["bottom"]) / 2 <= bottom)))
    return out


def locate(issue, st, pdf_path):
    texts = page_texts(pdf_path, st)
    if not texts[0].startswith(squash(issue["publication"])):
        raise LocateError(f"{pdf_path}: page 1 does not open with the masthead: {texts[0][:20]!r}")
    bounds, text_all = [], ""
    for t in texts:
        text_all += t
        bounds.append(len(text_all))

    def page_of(offset):
        return next(i for i, b in enumerate(bounds) if offset < b) + 1

    truth = truth_of(issue)
    truth["pages"] = len(texts)
    cursor = 0
    for section in truth["sections"]:
        at = text_all.find(squash(section["title"]), cursor)
        if at < 0:
            raise LocateError(f"{pdf_path}: section title not found: {section['title']}")
        cursor = at + len(squash(section["title"]))
        for item in section["items"]:
            if item.get("heading"):
                h = text_all.find(squash(item["heading"]), cursor)
                cursor = h + len(squash(item["heading"])) if 0 <= h < cursor + 40 else cursor
            text = squash(item["text"])
            at = text_all.find(text, cursor)
            if at < 0 or at - cursor > 60:
                raise LocateError(f"{pdf_path}: item not found in order after page {page_of(max(cursor - 1, 0))}: "
                                  f"{item['text'][:24]!r}")
            item["page_start"], item["page_end"] = page_of(at), page_of(at + len(text) - 1)
            cursor = at + len(text)
    return truth


def layout_of(st, regions):
    return {"page_mm": list(st["page"]), "body_pt": st["body"], "leading_pt": st["leading"],
            "gutter_mm": st["gutter"], "column_rules": st["col_rule"],
            "regions": [(r["kind"], r["n"], len(r["blocks"])) for r in regions],
            "continued": sum(1 for r in regions for blk in r["blocks"] if blk.get("part") == 2)}


def render_issue(engine, issue, st, regions, out_dir):
    pdf_path = os.path.join(out_dir, f"{issue['id']}.pdf")
    doc = build_html(issue, st, regions, end_lines_of(issue))
    version = engine.render(doc, pdf_path)
    try:
        truth = locate(copy.deepcopy(issue), st, pdf_path)
    except BaseException:
        os.replace(pdf_path, pdf_path + ".failed")
        raise
    truth.update({"shape": "regions", "producer": version, "layout": layout_of(st, regions), "fonts": st["fonts"]})
    return pdf_path, truth
