"""Who said or did what: the source of a quote, the signature of a reflection or news item, and
the units an activity report names. Pure functions over an item's text."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources

from ..chars import HAN
from .textrepair import drop_cjk_spaces
from .units import LEGAL_NAME, SUFFIX_NAME, Registry, discover, is_unit_shaped

# the item's last bracket; a unit's legal name inside it may hold a bracket of its own: （中铝稀土（江苏）有限公司 李秀英）
TRAILING_PAREN = re.compile(r"[（(]((?:[^（()）]|[（(][^（()）]{1,10}[）)]){1,120})[）)]\s*$")
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
    m = LEGAL_NAME.match(text) or SUFFIX_NAME.match(text)
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
    if len(parts) == 1 and (LEGAL_NAME.fullmatch(inner) or registry.pattern().fullmatch(inner)):
        return inner, None  # a credit by a unit's whole name: （中铝广西有色稀土开发有限公司）
    if len(parts) == 1 and (split := unit_and_person(inner, registry, signed_section)):
        return split
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


@functools.lru_cache(maxsize=1)
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """(compound, single) Chinese surnames from the shipped table (data/surnames.txt)."""
    text = resources.files("archive").joinpath("data/surnames.txt").read_text(encoding="utf-8")
    table: dict[str, set[str]] = {"compound": set(), "single": set()}
    part = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            part = line.strip("[]")
            continue
        table[part].update(line.split())
    return frozenset(table["compound"]), frozenset(table["single"])


def person_names(text: str) -> list[tuple[str, bool]]:
    """Ways the end of `text` reads as a person's name — a compound surname and a given name of
    one or two characters, or a single surname and one or two — each with whether its surname is
    compound, compound first."""
    compound, single = surnames()
    out = []
    for k in (4, 3):
        if len(text) > k and text[-k:-k + 2] in compound:
            out.append((text[-k:], True))
    for k in (3, 2):
        if len(text) > k and text[-k] in single:
            out.append((text[-k:], False))
    return out


def unit_and_person(text: str, registry: Registry, signed_section: bool) -> tuple[str, str] | None:
    """Split a signature printed without a space, （包头铝业王建国） → (包头铝业, 王建国), by the table of
    surnames, preferring the split whose unit part is known (registered, or seen elsewhere in the
    archive), then one that ends like a unit's name, then a compound surname. A split whose unit
    part is none of these is taken only in a section of signed items."""
    best, best_key = None, None
    for person, compound in person_names(text):
        unit = text[:-len(person)]
        if len(unit) < 2 or not re.fullmatch(rf"(?:[{HAN}]|[（(][{HAN}]{{2,6}}[）)])+", unit) or \
                not PEOPLE.fullmatch(person):
            continue
        known = bool(registry.pattern().fullmatch(unit))
        score = 2 if known else 1 if is_unit_shaped(unit) else 0
        key = (score, compound, len(person) == 3)
        if best_key is None or key > best_key:
            best, best_key = (unit, person), key
    if best is None or (best_key[0] == 0 and not signed_section):
        return None
    return best


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
    names = list(dict.fromkeys(names))
    # a short name printed only inside a longer one found too (中铝洛阳铜加工 in 中铝洛阳铜加工有限公司) is that one
    return [n for n in names if not any(n != m and n in m and text.count(n) == text.count(m) for m in names)]


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
