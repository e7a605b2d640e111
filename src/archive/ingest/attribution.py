"""Who said or did what: the source of a quote, the signature of a reflection or news item, and
the units an activity report names. Pure functions over an item's text."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..chars import HAN
from .textrepair import drop_cjk_spaces
from .units import SUFFIX_NAME, Registry, discover, is_unit_shaped

TRAILING_PAREN = re.compile(r"[（(]([^（()）]{1,120})[）)]\s*$")
PERSON = rf"[{HAN}·]{{2,5}}"
PEOPLE = re.compile(rf"^{PERSON}(?:[、，,]{PERSON})*$")


@dataclass
class Attribution:
    source: str | None = None
    unit: str | None = None  # the unit that signed or is credited
    author: str | None = None
    units: list[str] = field(default_factory=list)


SUB_BODY = re.compile(rf"^[{HAN}]{{0,10}}(团委|党委|党支部|党总支|工会|团支部|支部|车间|班组|工段|部|室|中心|厂|队|班|所|科)$")
ROLE = re.compile(r"^.*?(诵读者|记者|通讯员|作者|撰稿人|撰稿|供稿|编辑|者|员)[：:]?\s*")


def unit_prefix(text: str, registry: Registry) -> str | None:
    """The unit a signature starts with: the longest registry name, else a unit-shaped name."""
    m = registry.pattern().match(text)
    if m:
        return m.group(0)
    m = SUFFIX_NAME.match(text)
    if m and is_unit_shaped(m.group(0)):
        return m.group(0)
    return None


def people_in(rest: str) -> str | None:
    """Names that follow a unit in a signature: 刘和; 诵读者张成、曹勋昶; None for 团委 or 生产部."""
    rest = rest.strip()
    if not rest or SUB_BODY.match(rest):
        return None
    if PEOPLE.match(rest) and ("、" in rest or "，" in rest or len(rest) <= 4):
        return rest
    m = ROLE.match(rest)
    if m and PEOPLE.match(rest[m.end():]):
        return rest[m.end():]
    return None


def split_signature(inner: str, registry: Registry, signed_section: bool,
                    opening: str = "") -> tuple[str | None, str | None]:
    """(unit, author) if the bracket is a signature or credit, else (None, None) for a source.

    （宁夏能源 刘和）→ (宁夏能源, 刘和); （抚顺铝业团委）→ (抚顺铝业, None);
    （广西华昇红色诗词诵读者张成、曹勋昶）→ (广西华昇, 张成、曹勋昶); （人民网）→ (None, None)."""
    inner = inner.strip()
    parts = inner.split()
    if not parts or re.search(r"\d", parts[0]) or len(parts) > 2:
        return None, None  # dates and sentences are sources: （2021年2月20日，习近平在…的讲话）
    unit = unit_prefix(parts[0], registry)
    if len(parts) == 2:
        people = people_in(parts[1])
        if people and (unit or signed_section or len(parts[0]) <= 12):
            return unit or parts[0], people
        return None, None
    if unit:
        rest = parts[0][len(unit):]
        people = people_in(rest)
        if people or not rest or SUB_BODY.match(rest):
            return unit, people
    if len(inner) <= 12 and not re.search(r"[，,。；]", inner) and (signed_section or opening.startswith(inner)):
        return inner, None  # a credit: in a section of signed items, or naming who the item opens with
    return None, None


def has_signature(text: str, registry: Registry) -> bool:
    """Does the item end with a unit and a person's name (the mark of a section of signed items)?"""
    m = TRAILING_PAREN.search(text)
    if not m:
        return False
    unit, author = split_signature(m.group(1), registry, False)
    return bool(unit and author)


def attribute(raw: str, registry: Registry, signed_section: bool = False) -> Attribution:
    """Read the item's trailing bracket and the units it names. `raw` is the item's text with the
    printed spaces still in it, since a space is what separates a unit from a person's name."""
    att = Attribution()
    m = TRAILING_PAREN.search(raw)
    if m:
        unit, author = split_signature(m.group(1), registry, signed_section, drop_cjk_spaces(raw[:40]))
        if unit:
            att.unit, att.author, att.units = drop_cjk_spaces(unit), author, [drop_cjk_spaces(unit)]
            return att
        att.source = drop_cjk_spaces(m.group(1))
        return att
    att.units = mentioned_units(drop_cjk_spaces(raw), registry)
    return att


def mentioned_units(text: str, registry: Registry) -> list[str]:
    """Units an activity report names: registry names anywhere, and new names at sentence starts."""
    names = [name for _, _, name in registry.mentions(text)]
    names += discover(text, registry)
    return list(dict.fromkeys(names))


UNIT_HEADER = re.compile(r"单位|公司|企业|部门")  # a table's column of units is headed so


def table_units(text: str, registry: Registry) -> list[str]:
    """The units a table names, whole and as printed: every cell of a column headed 单位 (or
    公司, 企业, 部门); without such a column, each cell that is a registered name or shaped like a
    unit's name (…铝业, …有限公司)."""
    rows = [row.split("\t") for row in text.split("\n")]
    if not rows:
        return []
    header = rows[0]
    columns = [k for k, cell in enumerate(header) if UNIT_HEADER.search(cell) and len(cell) <= 6]
    if columns:
        names = [row[k] for row in rows[1:] for k in columns if k < len(row) and row[k]]
    else:
        names = [cell for row in rows for cell in row
                 if cell and (registry.pattern().fullmatch(cell) or is_unit_shaped(cell))]
    return list(dict.fromkeys(drop_cjk_spaces(n) for n in names if not re.fullmatch(r"[\d\s.,%]+", n)))
