"""Find every section title and item of a job in the produced PDF and give each item its physical
page span. Nothing is assumed from the layout: each page's text is read in reading order and the
items are searched for, in order, in the squashed text of the body pages.

Reading order of a body page: the top and bottom margin bands are cut off (and must hold only the
expected running header / folio); rows of glyphs at least `span_min` pt tall (masthead, section
titles) and the 版记 block (from 本期信息采集时间, or a 公文 版记's 抄送, down) span all columns and cut the page into
bands; inside a band, glyphs are read column by column (columns from the style's geometry: left
margin, column width, gutter); a ruled table found by pdfplumber whose rows are rows of an expected
table is read cell by cell, row by row, at its place in its column. Front-matter pages must hold no
text (cover, blank) or no item text (目录). Any item not found stops the run: a wrong truth is
never written."""
from __future__ import annotations

import logging
import re

import pdfplumber

from .common import MM, squash

logging.getLogger("pdfminer").setLevel(logging.ERROR)


class LocateError(SystemExit):
    pass


def _cy(o):
    return (o["top"] + o["bottom"]) / 2


def _cx(o):
    return (o["x0"] + o["x1"]) / 2


def _text(page, test):
    return page.filter(lambda o: o.get("object_type") == "char" and test(o)).extract_text() or ""


def _merge(intervals, slack=2.0):
    out = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1] + slack:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return out


SWAPPED = re.compile("(?<=[A-Za-z])(?:\u6600(?:\u6600[\u6900\u6c00]?|[\u6900\u6c00]))"
                     "|(?:\u6600(?:\u6600[\u6900\u6c00]?|[\u6900\u6c00]))(?=[A-Za-z])")


def unswap(text):
    """Ligatures whose ToUnicode Ghostscript wrote byte-swapped (fi as U+6600 U+6900) as letters."""
    return SWAPPED.sub(lambda m: "".join(chr(ord(ch) >> 8) for ch in m.group()), text)


def rehang(page):
    """Glyph boxes hung from the baseline as drawn: a font rewritten by Ghostscript may declare its
    FontBBox's descent (-1.05 em for Noto CJK), which puts pdfplumber's box an em below the glyph."""
    for c in page.chars:
        a, b, cc, d, _, f = c["matrix"]
        baseline = page.height - f  # top-down, as "top" and "bottom" are
        if not (b or cc) and a > 0 and d > 0 and c["bottom"] - baseline > 0.5 * (c["bottom"] - c["top"]):
            shift = c["bottom"] - baseline - 0.12 * (c["bottom"] - c["top"])
            c["top"] -= shift
            c["bottom"] -= shift
            c["y0"] += shift
            c["y1"] += shift


class Reader:
    def __init__(self, job):
        self.job = job
        st = job.style
        self.n_cols, self.gutter = st["columns"], st["gutter"] * MM
        t, r, b, l = st["margins"]
        self.m_top, self.m_bottom, self.m_left, self.m_right = t * MM, b * MM, l * MM, r * MM
        self.tables = [[squash(c) for c in "\t".join(row).split("\t")] for rows in job.expected_tables()
                       for row in rows]  # every expected row, squashed cells
        self.table_texts = []  # (page, squashed text) of each accepted table piece

    def col_of(self, x, width):
        x0, x1 = self.m_left, width - self.m_right
        colw = (x1 - x0 - (self.n_cols - 1) * self.gutter) / self.n_cols
        return max(0, min(self.n_cols - 1, int((x - x0 + self.gutter / 2) // (colw + self.gutter))))

    def check_margins(self, page):
        n = page.page_number
        top, bottom = self.m_top, page.height - self.m_bottom
        head = squash(_text(page, lambda o: _cy(o) < top))
        foot = squash(_text(page, lambda o: _cy(o) > bottom))
        want_head = squash(self.job.header_text(n) or "")
        want_foot = squash(self.job.footer_text(n) or "")
        if head != want_head or foot != want_foot:
            raise LocateError(f"page {n}: unexpected margin text: top {head!r} (want {want_head!r}), "
                              f"bottom {foot!r} (want {want_foot!r})")

    def tables_on(self, page):
        """Ruled tables on the page whose rows are expected table rows: (bbox, squashed text)."""
        if not self.tables:
            return []
        found = []
        for table in page.find_tables():
            rows = [[squash(c or "") for c in row] for row in table.extract()]
            rows = [r for r in rows if any(r)]
            if rows and all(r in self.tables for r in rows):
                found.append((table.bbox, "".join("".join(r) for r in rows)))
        return found

    def region_text(self, page, top, bottom, test, tables):
        """Text of the glyphs passing `test` with centres in [top, bottom), tables spliced in."""
        inside = [t for t in tables if top <= (t[0][1] + t[0][3]) / 2 < bottom and test(
            {"x0": t[0][0], "x1": t[0][2], "top": t[0][1], "bottom": t[0][3]})]
        inside.sort(key=lambda t: t[0][1])
        parts, y = [], top
        in_table = lambda o: any(t[0][0] - 1 <= _cx(o) <= t[0][2] + 1 and t[0][1] - 1 <= _cy(o) <= t[0][3] + 1
                                 for t in inside)
        for bbox, text in inside:
            parts.append(_text(page, lambda o, a=y, b=bbox[1]: a <= _cy(o) < b and test(o) and not in_table(o)))
            parts.append(text)
            self.table_texts.append((page.page_number, text))
            y = bbox[3]
        parts.append(_text(page, lambda o, a=y: a <= _cy(o) < bottom and test(o) and not in_table(o)))
        return "\n".join(parts)

    def bands(self, page):
        """[(top, bottom, spanning)] down the body of the page."""
        top, bottom = self.m_top, page.height - self.m_bottom
        if self.n_cols == 1:
            return [(top, bottom, True)]
        spans = [[c["top"] - 0.5, c["bottom"] + 0.5] for c in page.chars
                 if c["size"] >= self.job.style["span_min"] and top <= _cy(c) <= bottom]
        for m in page.search(r"本\s*期\s*信\s*息\s*采\s*集|抄\s*送\s*[：:]"):  # the 版记, however it opens
            spans.append([m["top"] - 1, bottom])
        out, y = [], top
        for a, b in _merge(spans) + [[bottom, bottom]]:
            if a > y:
                out.append((y, a, False))
            if b > a:
                out.append((max(a, y), b, True))
            y = max(y, b)
        return out

    def reading_key(self, page, bands, obj):
        """Where an object comes in reading order: band, column, height."""
        y = _cy(obj)
        k = next((i for i, (a, b, _) in enumerate(bands) if a <= y < b), len(bands))
        spanning = k == len(bands) or bands[k][2]
        return (k, 0 if spanning else self.col_of(_cx(obj), page.width), obj["top"])

    def body_text(self, page):
        rehang(page)
        self.check_margins(page)
        tables = self.tables_on(page)
        parts = []
        for a, b, spanning in self.bands(page):
            if spanning:
                parts.append(self.region_text(page, a, b, lambda o: True, tables))
            else:  # a band of columns, read column by column
                for col in range(self.n_cols):
                    parts.append(self.region_text(page, a, b, lambda o, c=col: self.col_of(_cx(o), page.width) == c,
                                                  tables))
        return "\n".join(parts)


class CaptionSplit(LocateError):
    """A picture whose caption did not land directly under it (the producer broke a column or page
    between them): the caller moves the figure and renders again."""

    def __init__(self, index, message):
        super().__init__(message)
        self.index = index


def check_captions(job, pdf, reader):
    """Every picture in the body has the start of its caption right under it, in order."""
    captions = [squash(b["text"]) for b in job.blocks if b["kind"] == "figure"]
    k = 0
    for n, page in enumerate(pdf.pages[job.n_front:]):
        bands = reader.bands(page)
        images = sorted(page.images, key=lambda i: reader.reading_key(page, bands, i))
        if n == 0 and job.style.get("banner"):  # the photo above the masthead (render_volumes --banner)
            top = min(images, key=lambda i: i["top"])
            images = [i for i in images if i is not top]
        for img in images:
            if img["x1"] - img["x0"] > page.width * 0.9:
                continue
            if k >= len(captions):
                raise LocateError(f"page {page.page_number}: more pictures than figures")
            cx = (img["x0"] + img["x1"]) / 2
            col = reader.col_of(cx, page.width) if reader.n_cols > 1 else 0
            below = _text(page, lambda o: img["bottom"] - 1 <= o["top"] <= img["bottom"] + job.style["caption"] * 2.5
                          and (reader.n_cols == 1 or reader.col_of(_cx(o), page.width) == col))
            if not squash(below).startswith(captions[k][:6]):
                raise CaptionSplit(k, f"page {page.page_number}: the caption {captions[k][:12]!r} is not under "
                                      f"its picture (under it: {squash(below)[:12]!r})")
            k += 1
    if k != len(captions):
        raise LocateError(f"{k} pictures found, {len(captions)} figures printed")


def locate(job, pdf_path):
    """The truth of the job's issue with page spans, or LocateError."""
    from .content import truth_of
    reader = Reader(job)
    with pdfplumber.open(pdf_path) as pdf:
        n_pages = len(pdf.pages)
        if n_pages <= job.n_front:
            raise LocateError(f"{pdf_path}: {n_pages} pages, front matter alone is {job.n_front}")
        texts, front_texts = [], []
        for page in pdf.pages:
            n = page.page_number
            if n <= job.n_front:
                kind = job.front[n - 1]
                text = squash(page.extract_text() or "")
                if kind in ("cover", "blank") and (page.chars or text):
                    raise LocateError(f"{pdf_path}: {kind} page {n} has a text layer: {text[:30]!r}")
                if kind == "toc" and "目录" not in text:
                    raise LocateError(f"{pdf_path}: page {n} should be the 目录: {text[:30]!r}")
                front_texts.append(text)
                texts.append("")
                continue
            texts.append(squash(unswap(reader.body_text(page))))
        check_captions(job, pdf, reader)
    first = texts[job.n_front]
    if not first.startswith(squash(job.mast["title"])):
        raise LocateError(f"{pdf_path}: page {job.n_front + 1} does not open with the masthead: {first[:30]!r}")
    bounds, text_all = [], ""
    for t in texts:
        text_all += t
        bounds.append(len(text_all))

    def page_of(offset):
        return next(i for i, b in enumerate(bounds) if offset < b) + 1

    truth = truth_of(job.issue)
    truth["pages"] = n_pages
    last = squash(job.mast["right"] or job.mast["left"] or job.mast["number_line"])  # the masthead's last text
    cursor = len(first.split(last)[0]) if last and last in first else 0
    section_pages = {}
    for s_i, section in enumerate(truth["sections"]):
        at = text_all.find(squash(section["title"]), cursor)
        if at < 0:
            raise LocateError(f"could not locate section title in {pdf_path}: {section['title']}")
        section_pages[s_i] = page_of(at)
        cursor = at + len(squash(section["title"]))
        for item in section["items"]:
            text = squash(item["text"])
            at = text_all.find(text, cursor)
            if at < 0:
                raise LocateError(f"could not locate item in {pdf_path} after page {page_of(max(0, cursor - 1))}: "
                                  f"{item['text'][:24]!r}")
            item["page_start"], item["page_end"] = page_of(at), page_of(at + len(text) - 1)
            cursor = at + len(text)
            if any(text[:12] in f for f in front_texts):
                raise LocateError(f"{pdf_path}: item text on a front-matter page: {item['text'][:20]}")
    want_tables = "".join(squash(b["text"]) for b in job.blocks if b["kind"] == "table")
    got_tables = "".join(t for _, t in reader.table_texts)
    if want_tables != got_tables:
        raise LocateError(f"{pdf_path}: tables read {got_tables[:40]!r}…, want {want_tables[:40]!r}…")
    return truth, section_pages
