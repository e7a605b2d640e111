"""Stage 6: blocks → an issue: masthead, sections, headings, items, footer, attribution.

The bulletin's own vocabulary (its five section titles, its footer labels) is used where the
geometry alone is ambiguous; a document without a masthead still yields its paragraphs."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..chars import HAN, SENTENCE_ENDS
from . import masthead as mh
from .attribution import Attribution, attribute, has_signature, mentioned_units, table_units
from ..model import Block, Box, Issue, Item, Section
from .paragraphs import CAPTION_START
from .textrepair import drop_cjk_spaces, join_clean, line_starts, normalize_title, repair, squash
from .units import Registry, discover

KNOWN_SECTIONS = ("学·习之路", "思·理之源", "践·铝之行", "悟·心之语", "开·新之局")
SECTION_SHAPE = re.compile(rf"^[{HAN}]·[{HAN}]{{2,6}}$")  # the bulletin's 学·习之路 pattern
MISREAD_DOT = re.compile(rf"^([{HAN}])[:：]([{HAN}]{{2,6}})$")  # its dot read as a colon (OCR of a poor scan)
HEADING_MAX = 40
MASTHEAD_BLOCKS = 5  # the title, a line or two of the publisher's, the number line
MASTHEAD_LINE = 40  # characters: a masthead line is short
SENTENCE_MARK = re.compile(rf"[{SENTENCE_ENDS}，]")  # ...and no sentence
NUMERAL = "一二三四五六七八九十百零〇两0-9０-９"
# A document's own outline, where it is not the bulletin: 第三章 艰苦创业 (第X章/编/篇/部分/卷) opens a
# section; 一、白手起家 / （一）… / 1. … heads the items after it. Other titles stay text.
CHAPTER_SHAPE = re.compile(rf"^第[{NUMERAL}]+(?:章|编|篇|部分|卷)(?:$|[\s　：:·]|[{HAN}])")
OUTLINE_SHAPE = re.compile(rf"^(?:[{NUMERAL}]+[、.．]|[（(][{NUMERAL}]+[)）])\s*[{HAN}]")


def block_raw(block: Block) -> str:
    return join_clean([ln.text for ln in block.lines])


def block_text(block: Block) -> str:
    return drop_cjk_spaces(block_raw(block))


UNDOTTED = {t.replace("·", ""): t for t in KNOWN_SECTIONS}  # a font without the middle dot: 学习之路


def section_title(block: Block) -> str | None:
    """The section title a title block prints, in its standard form, or None."""
    if block.kind != "title":
        return None
    title = normalize_title(" ".join(ln.text for ln in block.lines))
    if title in KNOWN_SECTIONS or SECTION_SHAPE.match(title):
        return title
    misread = MISREAD_DOT.match(title)
    if misread:
        return f"{misread[1]}·{misread[2]}"
    return UNDOTTED.get(title)


def is_section_title(block: Block) -> bool:
    return section_title(block) is not None


def starts_block(text: str) -> bool:
    """Footer labels always begin a block, even when the footer sits flush under the last item."""
    return mh.is_footer(squash(text))


def is_masthead_line(block: Block) -> bool:
    """A short line of a masthead: not a section title, no sentence."""
    text = squash(block_text(block))
    return len(text) <= MASTHEAD_LINE and not is_section_title(block) and not SENTENCE_MARK.search(text)


def split_masthead(blocks: list[Block], ocr_pages: frozenset[int] = frozenset()) -> tuple[list[Block], list[Block], list[Block]]:
    """(front matter, masthead, the rest). The masthead is a few short blocks at the top of a page,
    up to a line with the issue number (2021年第5期, 第5-6期, 2021年增刊) and the publisher/date
    line(s) after it. It is looked for on the pages up to the first section title (a cover, a
    blank page or a contents page may come first: they are front matter and yield no items), and
    the one nearest the first section title wins (a cover or contents page may print the number
    too). A page read by OCR is passed over while a page of the document has a text layer: a cover
    picture's title is not the masthead. No section titles (not the bulletin): page 1 only; no
    number line there, no masthead (a 第3期 in a document's body text does not make one)."""
    first_title = next((b.page_start for b in blocks if is_section_title(b)), None)
    last_page = first_title if first_title is not None else 1
    scanned_only = all(b.page_start in ocr_pages for b in blocks)
    found = None
    for page in sorted({b.page_start for b in blocks if b.page_start <= last_page}):
        if page in ocr_pages and not scanned_only:
            continue
        at = masthead_on_page(blocks, page)
        if at is not None:
            found = at
    if found is None:
        return [], [], blocks
    start, end = found
    return blocks[:start], blocks[start:end], blocks[end:]


def masthead_on_page(blocks: list[Block], page: int) -> tuple[int, int] | None:
    """Where the masthead of a page lies in `blocks` (start, end), or None."""
    first = next(i for i, b in enumerate(blocks) if b.page_start == page)
    top = [i for i in range(first, min(first + MASTHEAD_BLOCKS, len(blocks))) if blocks[i].page_start == page]
    number = None  # the last number line of the short lines at the top (a header line above the
    for i in top:  # masthead may name the issue too: 中铝股份党群工作 2018年第3期)
        if not is_masthead_line(blocks[i]):
            break
        if mh.is_number_line(squash(block_text(blocks[i]))):
            number = i
    if number is None:
        return None
    end = number + 1  # take the publisher/date line(s) that follow the number line, too
    while end < min(number + 3, len(blocks)) and blocks[end].page_start == page and is_masthead_line(blocks[end]):
        if not (dated(blocks[end]) or organ(blocks[end]) or end + 1 < len(blocks) and same_row(blocks[end], blocks[end + 1])
                and dated(blocks[end + 1])):  # 党群工作部 | 2021年4月16日, set apart in one row
            break
        end += 1
    return first, end


def dated(block: Block) -> bool:
    t = squash(block_text(block))
    return bool(mh.parse_date(t) or mh.PUBLISHER_LABEL.search(t))


def organ(block: Block) -> str | None:
    """The issuing body's name when the block prints only that (a publisher line without a date)."""
    return None if is_section_title(block) else mh.parse_organ(block_text(block))


def same_row(a: Block, b: Block) -> bool:
    """Do the blocks' first lines share a printed row?"""
    return shares_row(a.lines[0].box, b.lines[0].box)


def shares_row(x: Box, y: Box) -> bool:
    return x.page == y.page and min(x.bottom, y.bottom) - max(x.top, y.top) > 0.5 * min(x.bottom - x.top, y.bottom - y.top)


def rows_of(blocks: list[Block]) -> list[str]:
    """The text of each printed row of the blocks, in order: a block's lines one by one (a number line
    and the publisher line under it set as one centred title), a table's rows one by one, lines
    sharing a row (two cells set apart: 党群工作部 | 2021年4月16日) joined by a space."""
    rows: list[str] = []
    last = None
    for block in blocks:
        for ln in block.lines:
            first, *more = ln.text.split("\n")  # a ruled table's rows (the 版记 set as a table)
            if last is not None and shares_row(last.box, ln.box):
                rows[-1] += " " + repair([first])
            else:
                rows.append(repair([first]))
            rows += [repair([part]) for part in more]
            last = ln
    return rows


def read_masthead(issue: Issue, head: list[Block]) -> None:
    texts = [block_text(b) for b in head] + rows_of(head)
    for text in texts:
        number = mh.parse_issue_number(squash(text))
        issue.year = issue.year or number.year
        if issue.number is None and issue.special is None and number:
            issue.number, issue.number_end, issue.special = number.number, number.number_end, number.special
        issue.total_number = issue.total_number or number.total
        issue.date = issue.date or mh.parse_date(text)
        issue.publisher = issue.publisher or mh.parse_publisher(text)
    # the publication's name is the largest type above the issue number; a publisher line without a
    # date (中铝股份党委党群工作部) names the publisher
    titles = [b for b in head if not mh.is_number_line(squash(block_text(b))) and not mh.parse_date(block_text(b))]
    names = [b for b in titles if not organ(b)] or titles
    publication = max(names, key=lambda b: b.size) if names else None
    if publication is not None:
        issue.publication = squash(block_text(publication)).strip("《》") or None
    rows = rows_of([b for b in head if b is not publication])
    issue.publisher = issue.publisher or next((mh.parse_organ(r) for r in rows if mh.parse_organ(r)), None)


def split_footer(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    """(the body, the footer). A block the reading order puts after the footer but that is printed
    above it in another column (the footer under a short first column) is the body's."""
    for i, block in enumerate(blocks):
        if (mh.is_footer(squash(block_text(block))) or imprint_at(blocks, i)) and i >= len(blocks) // 2:
            top = block.lines[0].box
            beside = [b for b in blocks[i + 1:] if b.page_start == top.page and b.lines[0].column != block.lines[0].column
                      and b.lines[-1].box.bottom <= top.top and not mh.is_footer(squash(block_text(b)))]
            return blocks[:i] + beside, [b for b in blocks[i:] if all(b is not x for x in beside)]
    return blocks, []


def imprint_at(blocks: list[Block], i: int) -> bool:
    """Does blocks[i] print the 公文 版记's last line, 中铝股份党委党群工作部　　2011年3月15日印发 (one
    line, or its two cells set apart in one row)?"""
    row = blocks[i:i + 2] if i + 1 < len(blocks) and same_row(blocks[i], blocks[i + 1]) else blocks[i:i + 1]
    return any(mh.parse_imprint(text)[1] for text in rows_of(row))


def read_imprint(issue: Issue, foot: list[Block]) -> None:
    """A masthead without a date (or publisher) takes it from the 版记's 印发 line."""
    for text in rows_of(foot):
        publisher, date = mh.parse_imprint(text)
        if date:
            issue.publisher = issue.publisher or publisher
            issue.date = issue.date or date
            return


def build_issue(blocks: list[Block], registry: Registry, ocr_pages: frozenset[int] = frozenset()) -> Issue:
    issue = Issue()
    _front, head, body = split_masthead(blocks, ocr_pages)
    read_masthead(issue, head)
    body, foot = split_footer(body)
    if foot:
        fields = mh.parse_footer("\n".join(block_text(b) for b in foot))
        for key, value in fields.items():
            setattr(issue, key, value)
        read_imprint(issue, foot)
    if issue.year is None and issue.date and (issue.number is not None or issue.special):  # 第5期 … 2021年4月16日
        issue.year = int(issue.date[:4])
    issue.sections = build_sections(body, registry)
    if not issue.has_masthead:
        issue.title = document_title(body)
    return issue


TITLE_MAX = 60  # characters of a document's own title
DATE_ONLY = 14  # characters: a title line this short with a date in it is the date
DOC_NUMBER = re.compile(r"[〔\[［【（(]\d{4}[〕\]］】）)]\s*第?\d+\s*号")  # 文号: 国办发〔2012〕21号
NOT_TITLE = re.compile(rf"^(?:附件\s*[{NUMERAL}]*|[\dA-Za-z\W_]*)$")  # 附件1; a code or number alone


def dated_only(text: str) -> bool:
    """A line that is a date and little else (2025年11月25日, 二〇二五年十一月)."""
    return bool(mh.parse_date(text)) and len(text) <= DATE_ONLY


def document_title(blocks: list[Block]) -> str | None:
    """A document that is not the bulletin: its own title — its first title, or where a document
    number (文号) stands under an issuing body's name (公文), the first title after that number.
    Lines that are only a date, an attachment mark or a code are passed over. None when the
    document has no title (it is then named by its file)."""
    titles: list[str] = []
    first_page = blocks[0].page_start if blocks else 1
    for block in blocks:
        if block.page_start > first_page:
            break
        text = block_text(block)
        if DOC_NUMBER.search(squash(text)):
            titles = []  # what stood above the 文号 was the issuing body's mark
            continue
        if block.kind == "title" and not NOT_TITLE.match(squash(text)) and not dated_only(squash(text)):
            titles.append(text)
        if titles and block.kind != "title":
            break
    return titles[0][:TITLE_MAX] if titles else None


@dataclass
class Draft:
    """A block that will become an item: where it stands, and its text with printed spaces kept."""
    block: Block
    heading: str | None
    raw: str


def build_sections(blocks: list[Block], registry: Registry) -> list[Section]:
    """Sections with their items: blocks are placed under their section and heading, the units
    this issue names are found, then each block becomes an item with its attribution."""
    groups = [(section, drafts, is_signed(drafts, registry)) for section, drafts in place_blocks(split_titles(blocks))]
    local = issue_units(groups, registry)
    for section, drafts, signed in groups:
        section.items.extend(make_item(d, local, signed) for d in drafts)
    return [s for s, _, _ in groups if s.items or s.title]


def split_titles(blocks: list[Block]) -> list[Block]:
    """A title block whose lines hold a section title and a heading (set alike, one under the
    other: 践·铝之行 / 党史学习教育进行篇) becomes a section title and a heading."""
    out = []
    for block in blocks:
        if block.kind != "title" or len(block.lines) < 2:
            out.append(block)
            continue
        part: list = []
        for ln in block.lines:
            if section_title(Block("title", [ln])) is not None:
                if part:
                    out.append(Block("title", part))
                out.append(Block("title", [ln]))
                part = []
            else:
                part.append(ln)
        if part:
            out.append(Block("title", part))
    return out


def place_blocks(blocks: list[Block]) -> list[tuple[Section, list[Draft]]]:
    """Each section with the drafts of its items. A title is a heading in the bulletin; in a
    document that is not the bulletin (no section titles at all) its own outline is kept (a
    chapter opens a section, a numbered title heads what follows) and every other printed line is
    text, its titles too, so that what a reader sees there can be found."""
    groups: list[tuple[Section, list[Draft]]] = []
    heading: str | None = None
    bulletin = any(is_section_title(b) for b in blocks)

    def current() -> list[Draft]:
        if not groups:  # text before any section title: a preface, or not the bulletin
            groups.append((Section(None), []))
        return groups[-1][1]

    for block in blocks:
        raw = block_raw(block)
        text = drop_cjk_spaces(raw)
        if not text:
            continue
        if is_section_title(block):
            groups.append((Section(section_title(block)), []))
            heading = None
        elif block.kind == "title" and len(squash(text)) <= HEADING_MAX:
            if not bulletin and CHAPTER_SHAPE.match(squash(text)):
                groups.append((Section(" ".join(raw.split())), []))
                heading = None
                continue
            if not bulletin and not OUTLINE_SHAPE.match(squash(text)):
                current().append(Draft(block, heading, raw))
            heading = text
        else:
            current().append(Draft(block, heading, raw))
    return groups


def is_signed(drafts: list[Draft], registry: Registry) -> bool:
    """A section of signed items: one of its items ends with a unit and a person's name."""
    return any(has_signature(d.raw, registry) for d in drafts)


def issue_units(groups: list[tuple[Section, list[Draft], bool]], registry: Registry) -> Registry:
    """The units this issue knows: the registry's, every signature's, and each new name that opens
    an activity sentence."""
    local = registry.copy()
    for _, drafts, signed in groups:
        for d in drafts:
            if d.block.kind == "table":
                for name in table_units(table_text(d.block.lines), local):
                    local.add(name)
                continue
            att = attribute(d.raw, local, signed)
            for name in att.units if att.unit else discover(drop_cjk_spaces(d.raw), local):
                local.add(name)
    return local


def table_text(lines) -> str:
    """A table's text; one broken over pages is joined, its heading row repeated on the next
    page (a word processor's "repeat header row") dropped."""
    rows = lines[0].text.split("\n")
    for ln in lines[1:]:
        more = ln.text.split("\n")
        rows += more[1:] if more and rows and more[0] == rows[0] else more
    return "\n".join(rows)


ITEM_KIND = {"para": "paragraph", "title": "paragraph", "caption": "caption", "table": "table"}


def make_item(d: Draft, units: Registry, signed: bool) -> Item:
    lines = d.block.lines
    kind = ITEM_KIND[d.block.kind]
    if kind == "table":  # its text is made cell by cell (tabs and newlines kept)
        text = table_text(lines)
        att = Attribution(units=table_units(text, units))
    elif kind == "caption":  # names the units it shows; no source, no signature
        text = drop_cjk_spaces(d.raw)
        att = Attribution(units=mentioned_units(CAPTION_START.sub("", text), units))
    else:
        text, att = drop_cjk_spaces(d.raw), attribute(d.raw, units, signed)
    starts = table_starts(lines, text) if kind == "table" else line_starts([ln.text for ln in lines], text)
    return Item(text=text, page_start=d.block.page_start, page_end=d.block.page_end, kind=kind,
                heading=d.heading, source=att.source, author=att.author, units=att.units,
                boxes=[ln.box for ln in lines], confidence=min(ln.confidence for ln in lines), line_starts=starts)


def table_starts(lines, text: str) -> list[int]:
    """Where each piece of a table (a line: its rows on one page) begins in the table's text; a
    heading row repeated on the next page is not in the text, so the piece begins at its next row."""
    starts, pos = [], 0
    head = lines[0].text.split("\n")[0] if lines else ""
    for k, ln in enumerate(lines):
        rows = ln.text.split("\n")
        first = rows[1] if k and len(rows) > 1 and rows[0] == head else rows[0]
        found = text.find(first, pos) if first else -1
        pos = found if found >= 0 else pos
        starts.append(pos)
    return starts
