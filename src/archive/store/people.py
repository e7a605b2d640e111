"""The people an item names: its authors (a reflection signed （山西中润 吴昊）, a news item's 记者),
and people named with their unit and post in an activity report (「兰州铝业党委书记、董事长张建国
主持会议」). Pure functions over what an item stores; the people list's merged spellings (an
editor's person_merge / person_rename, corrections with issue_key '') are replayed by `PeopleNames`.

A person named in the text is taken only where a unit the item names is followed, at most a
sub-body between (党委, 纪委, 工会…), by a post from POSTS and a name that starts with a surname
of the shipped table (ingest.attribution.surnames): two characters, or three when the character
after the third is one that follows names (主持, 于, 带队, 一行, 等…, or punctuation): 张建国主持 is
张建国, 李娜介绍 is 李娜. Anything less certain is left out:
the list is for finding a person's items, and a wrong name is worse than a missed one."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..chars import HAN
from ..ingest.attribution import surnames
from .activities import mentions_in, signed_by

POSTS = ("党委书记", "党委副书记", "党总支书记", "党支部书记", "支部书记", "纪委书记", "团委书记", "工会主席",
         "董事长", "副董事长", "执行董事", "总经理", "副总经理", "总工程师", "总会计师", "首席专家", "厂长", "副厂长",
         "主任", "副主任", "部长", "副部长", "经理", "副经理", "书记", "副书记", "主席", "副主席", "院长", "副院长")
SUB_BODY = r"(?:党委|纪委|工会|团委|公司|机关|党支部|党总支)??"  # lazy: 党委书记 is a post of its own
POST = "|".join(sorted(map(re.escape, POSTS), key=len, reverse=True))
POST_CHAIN = re.compile(rf"^{SUB_BODY}((?:{POST})(?:[、，,]?(?:{POST}))*)")
# characters that stand right after a name, not in it: verbs and particles a report puts there
AFTER_NAME = set("主出讲参带一等作为在同和与到对率深走赴来向先表指强就代说提围听宣上调督慰看检亲于将也还已均分及以再又"
                 "被把从给致做发、，。；：（）(“")
SPLIT_AUTHORS = re.compile(r"[、，,;；\s]+")


@dataclass(frozen=True)
class Mention:
    name: str
    unit: str | None  # as printed (its canonical name is the item's)
    role: str | None
    kind: str  # "author" or "named"


def name_at(text: str, at: int) -> str | None:
    """A person's name starting at `at`: a surname of the table and one or two more characters."""
    compound, single = surnames()
    rest = text[at:at + 4]
    if len(rest) >= 3 and rest[:2] in compound:
        head = 2
    elif rest[:1] in single:
        head = 1
    else:
        return None
    name = rest[:head + 1]
    if len(name) < head + 1 or not re.fullmatch(f"[{HAN}]+", name) or name[-1] in AFTER_NAME:
        return None
    third = rest[head + 1:head + 2]
    if third and re.fullmatch(f"[{HAN}]", third) and third not in AFTER_NAME:
        after = text[at + head + 2:at + head + 3]
        if not after or after in AFTER_NAME or not re.fullmatch(f"[{HAN}]", after):
            name += third  # 张建国主持: 建国 then 主; 张三主持: 三 then 主 stays out
    return name


def named_people(text: str, units: list[tuple[str, str]]) -> list[Mention]:
    """People named with their unit and post: 「兰州铝业党委书记、董事长张建国」 → (张建国, 兰州铝业, 党委书记、董事长)."""
    out = []
    for _, end, unit in mentions_in(text, units):
        m = POST_CHAIN.match(text[end:end + 40])
        if not m:
            continue
        name = name_at(text, end + m.end())
        if name:
            out.append(Mention(name, unit, m.group(1), "named"))
    return out


def authors_of(author: str | None, text: str, units: list[tuple[str, str]]) -> list[Mention]:
    """An item's signed authors, with the unit that signed it (if one did)."""
    names = [n for n in SPLIT_AUTHORS.split(author or "") if n]
    if not names:
        return []
    signer = signed_by(text or "", mentions_in(text or "", units)) if units else ()
    unit = signer[0] if signer else (units[0][0] if len(units) == 1 else None)
    return [Mention(n, unit, None, "author") for n in names]


def people_of(text: str, author: str | None, units: list[tuple[str, str]]) -> list[Mention]:
    """Everyone an item names, authors first, each (name, unit, kind) once."""
    seen, out = set(), []
    for p in authors_of(author, text, units) + named_people(text or "", units):
        if (p.name, p.unit, p.kind) not in seen:
            seen.add((p.name, p.unit, p.kind))
            out.append(p)
    return out


class PeopleNames:
    """The people list's spellings: a merged name → the name it was merged into (replayed changes)."""

    def __init__(self, changes: list[dict] | None = None):
        self.into: dict[str, str] = {}
        for c in changes or []:
            self.apply(c["op"], c["target"], c["after"])

    def apply(self, op: str, target: str, after: str | None) -> None:
        if op in ("person_merge", "person_rename") and after and self.canonical(after) != target:
            self.into[target] = after

    def canonical(self, name: str) -> str:
        seen = set()
        while name in self.into and name not in seen:
            seen.add(name)
            name = self.into[name]
        return name

    def spellings(self, name: str, known: list[str]) -> list[str]:
        """Every name (of `known`, and `name`) that is this person's."""
        canon = self.canonical(name)
        return sorted({n for n in [*known, name, *self.into, *self.into.values()] if self.canonical(n) == canon})
