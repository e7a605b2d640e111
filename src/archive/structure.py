"""Stage 5: blocks → an issue: masthead, sections, headings, items, footer, attribution.

The bulletin's own vocabulary (its five section titles, its footer labels) is used where the
geometry alone is ambiguous; a document without a masthead still yields its paragraphs."""
from __future__ import annotations

import re

from . import masthead as mh
from .attribution import attribute, has_signature
from .model import Block, Issue, Item, Section
from .textrepair import drop_cjk_spaces, join_clean, normalize_title, squash
from .units import Registry, discover

KNOWN_SECTIONS = ("学·习之路", "思·理之源", "践·铝之行", "悟·心之语", "开·新之局")
SECTION_SHAPE = re.compile(r"^[\u4e00-\u9fff]·[\u4e00-\u9fff]{2,6}$")  # the bulletin's 学·习之路 pattern
HEADING_MAX = 40
MASTHEAD_BLOCKS = 5  # the title, a line or two of the publisher's, the number line
MASTHEAD_LINE = 40  # characters: a masthead line is short


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
    return UNDOTTED.get(title)


def is_section_title(block: Block) -> bool:
    return section_title(block) is not None


def starts_block(text: str) -> bool:
    """Footer labels always begin a block, even when the footer sits flush under the last item."""
    return mh.is_footer(squash(text))


def split_masthead(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    """The masthead is the first few short blocks of page 1, up to a line with the issue number
    (2021年第5期) and the publisher/date line after it; no number line there, no masthead (a
    第3期 in a document's body text does not make one)."""
    head = []
    for i, block in enumerate(blocks[:MASTHEAD_BLOCKS]):
        text = squash(block_text(block))
        if block.page_start != 1 or is_section_title(block) or len(text) > MASTHEAD_LINE:
            break
        head.append(block)
        if mh.is_number_line(text):
            # the number line is found; take the publisher/date line(s) that follow it, too
            for nxt in blocks[i + 1:i + 3]:
                t = squash(block_text(nxt))
                if (nxt.page_start == 1 and not is_section_title(nxt) and len(t) <= MASTHEAD_LINE
                        and (mh.parse_date(t) or mh.PUBLISHER_LABEL.search(t))):
                    head.append(nxt)
                else:
                    break
            return head, blocks[len(head):]
    return [], blocks


def read_masthead(issue: Issue, head: list[Block]) -> None:
    texts = [block_text(b) for b in head]
    for text in texts:
        year, number, total = mh.parse_issue_number(squash(text))
        issue.year = issue.year or year
        issue.number = issue.number or number
        issue.total_number = issue.total_number or total
        issue.date = issue.date or mh.parse_date(text)
        issue.publisher = issue.publisher or mh.parse_publisher(text)
    if issue.year is None and issue.date and issue.number is not None:  # 第5期 … 2021年4月16日
        issue.year = int(issue.date[:4])
    # the publication's name is the largest type above the issue number
    titles = [b for b in head if not mh.is_number_line(squash(block_text(b))) and not mh.parse_date(block_text(b))]
    if titles:
        name = squash(block_text(max(titles, key=lambda b: b.size))).strip("《》")
        issue.publication = name or None


def split_footer(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    for i, block in enumerate(blocks):
        if mh.is_footer(squash(block_text(block))) and i >= len(blocks) // 2:
            return blocks[:i], blocks[i:]
    return blocks, []


def build_issue(blocks: list[Block], registry: Registry) -> Issue:
    issue = Issue()
    head, body = split_masthead(blocks)
    read_masthead(issue, head)
    body, foot = split_footer(body)
    if foot:
        fields = mh.parse_footer("\n".join(block_text(b) for b in foot))
        for key, value in fields.items():
            setattr(issue, key, value)
    issue.sections = build_sections(body, registry)
    return issue


def build_sections(blocks: list[Block], registry: Registry) -> list[Section]:
    sections: list[Section] = []
    current: Section | None = None
    heading: str | None = None
    drafts: list[tuple[Section, Block, str | None, str]] = []
    # Not the bulletin (no section titles at all): every printed line is the document's text, its
    # titles too, so that what a reader sees there can be found.
    bulletin = any(is_section_title(b) for b in blocks)
    for block in blocks:
        raw = block_raw(block)
        text = drop_cjk_spaces(raw)
        if not text:
            continue
        if is_section_title(block):
            current = Section(section_title(block))
            sections.append(current)
            heading = None
            continue
        if block.kind == "title" and len(squash(text)) <= HEADING_MAX:
            if bulletin:
                heading = text
                continue
            heading_of_title, heading = heading, text
            current = current or Section(None)
            if not sections:
                sections.append(current)
            drafts.append((current, block, heading_of_title, raw))
            continue
        if current is None:
            current = Section(None)  # text before any section title: a preface, or not the bulletin
            sections.append(current)
        drafts.append((current, block, heading, raw))

    # Units known in this issue: the registry, every signature, every new name at a sentence start.
    local = registry.copy()
    signed_sections = {id(s) for s, _, _, text in drafts if has_signature(text, registry)}
    for section, _, _, text in drafts:
        att = attribute(text, local, id(section) in signed_sections)
        for name in att.units if att.unit else discover(drop_cjk_spaces(text), local):
            local.add(name)
    for section, block, heading, raw in drafts:
        att = attribute(raw, local, id(section) in signed_sections)
        item = Item(text=drop_cjk_spaces(raw), page_start=block.page_start, page_end=block.page_end, heading=heading,
                    source=att.source, author=att.author, units=att.units,
                    boxes=[ln.box for ln in block.lines], confidence=min(ln.confidence for ln in block.lines))
        section.items.append(item)
    return [s for s in sections if s.items or s.title]
