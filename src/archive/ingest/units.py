"""Units (subsidiaries and departments): the shipped registry, and discovery of units it lacks.

Items keep unit names as printed, so a record reads like the bulletin; the registry maps every
printed name to one canonical name for listing and filtering."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources

from ..chars import HAN, SENTENCE_ENDS

# Shapes of a unit's name: a plant, a branch, a company, a centre, a department...
UNIT_SUFFIX = (r"(?:铝业|铜业|铝电|铝箔|碳素|矿业|能源|物资|物流|国贸|新材料|轻金属|分公司|公司|集团|研究院|设计院|"
               r"中心|办公室|部|院|厂|矿)")
LEGAL_SUFFIX = r"(?:股份有限公司|有限责任公司|有限公司)"
# A company's full legal name, as printed (a bracketed place may sit inside: 中铝稀土（江苏）有限公司).
LEGAL_NAME = re.compile(rf"(?:[{HAN}]|[（(][{HAN}]{{2,6}}[）)]){{2,24}}?{LEGAL_SUFFIX}")
# Verbs and party bodies that follow a unit's name at the start of an activity sentence.
ACTIVITY_VERB = (r"(?:党委|党支部|党总支|团委|工会|组织|开展|举办|举行|召开|推进|推动|深入|积极|持续|"
                 r"以|把|对|为|在|结合|通过|坚持|邀请|利用|充分|围绕|聚焦|启动|成立|完成|实现|荣获|获得)")
# Sentence openings that name people, pronouns or generic bodies, never a unit.
NOT_UNIT = re.compile(r"^(我|我们|你|他|她|大家|要|各|全|本|该|这|那|每|广大|党员|职工|员工|青年|干部|团员|群众|同志|"
                      r"领导|中共|中央|国家|政府|人民|女工|工人|老工人|技术人员|专家)|^(公司|集团|股份|单位|部门|企业|基层|支部|党委|社会|历史|"
                      r"集团公司|股份公司|总公司|分公司|子公司|研究院|中心)$")
# ...and names that end in a word of the sentence: 干部, 全部; 所 of 所在/所有 (陈国栋所在的班组), not of 研究所
NOT_UNIT_END = re.compile(r"(干部|全部|内部|外部|局部|细部|一部|这部|那部|(?<!研究|设计|事务)所)$")
SENTENCE_START = re.compile(rf"(?:^|(?<=[{SENTENCE_ENDS}]))")
CLAUSE_START = re.compile(r"(?<=[，,])")
SUFFIX_NAME = re.compile(rf"[{HAN}]{{1,10}}?{UNIT_SUFFIX}")
VERB_NAME = re.compile(rf"([{HAN}]{{2,8}}?)(?={ACTIVITY_VERB})")
# What units do, said right after their name: the evidence a name inside a sentence needs.
ACTIVITY_START = re.compile(rf"^{ACTIVITY_VERB}")


@dataclass
class Registry:
    canonical: dict[str, str] = field(default_factory=dict)  # every known name → canonical name
    _pattern: re.Pattern | None = None
    ignored: set[str] = field(default_factory=set)  # names staff said are not units (site registry)
    site_names: set[str] = field(default_factory=set)  # names the site added (items are re-tagged by them)
    confirmed: set[str] = field(default_factory=set)  # names editors tagged an item with by hand (site registry)

    @classmethod
    def load(cls) -> "Registry":
        text = resources.files("archive").joinpath("data/units.json").read_text(encoding="utf-8")
        reg = cls()
        for unit in json.loads(text)["units"]:
            reg.add(unit["name"], unit["name"])
            for alias in unit.get("aliases", []):
                reg.add(alias, unit["name"])
        return reg

    def add(self, name: str, canonical: str | None = None) -> None:
        if name and name not in self.canonical:
            self.canonical[name] = canonical or name
            self._pattern = None

    def copy(self) -> "Registry":
        return Registry(dict(self.canonical), ignored=set(self.ignored), site_names=set(self.site_names),
                        confirmed=set(self.confirmed))

    def replace_with(self, other: "Registry") -> None:
        """Take another registry's names in place (a shared registry after the site's changed)."""
        self.canonical, self.ignored, self.site_names = dict(other.canonical), set(other.ignored), set(other.site_names)
        self.confirmed = set(other.confirmed)
        self._pattern = None

    def canonical_name(self, name: str) -> str:
        return self.canonical.get(name, name)

    def registered(self, name: str) -> bool:
        """Is this a unit staff know — a registered name or alias, or one an editor tagged an item
        with, and not one they said is not a unit? (Units the parser discovered are suggestions
        for editors until registered.)"""
        if name in self.ignored or self.canonical.get(name) in self.ignored:
            return False
        return name in self.canonical or name in self.confirmed

    def prefixes(self) -> set[str]:
        """The first two characters of every known name (中铝, 云铝, 广西…): a new subsidiary's name
        usually begins like its sisters'."""
        return {n[:2] for n in self.canonical if len(n) >= 3}

    def names_for(self, name: str) -> list[str]:
        """The canonical name and every alias of the unit that `name` belongs to."""
        canon = self.canonical_name(name)
        return sorted({canon, name} | {n for n, c in self.canonical.items() if c == canon})

    def pattern(self) -> re.Pattern:
        if self._pattern is None:
            names = sorted(self.canonical, key=len, reverse=True)  # longest first: 中铝山西新材料 over 山西新材料
            self._pattern = re.compile("|".join(map(re.escape, names)) or r"(?!)")
        return self._pattern

    def mentions(self, text: str) -> list[tuple[int, int, str]]:
        """Registry names in the text, as printed. A name right after another unit's name is a
        sub-unit (广西分公司企业管理部) and is not a unit of its own here."""
        found, last_end = [], -1
        for m in self.pattern().finditer(text):
            if m.start() == last_end:
                last_end = m.end()
                continue
            found.append((m.start(), m.end(), m.group(0)))
            last_end = m.end()
        return found


def generic(name: str) -> bool:
    """A pronoun, people or a generic body (党员干部, 公司), not a unit's name."""
    return bool(NOT_UNIT.match(name) or NOT_UNIT_END.search(name))


def is_unit_shaped(name: str) -> bool:
    """Ends like a unit's name (…铝业, …分公司, …有限公司) and is not a generic body."""
    return (bool(re.fullmatch(rf"[{HAN}]{{1,12}}{UNIT_SUFFIX}", name)) or bool(LEGAL_NAME.fullmatch(name))) \
        and not generic(name)


def name_at(part: str) -> str | None:
    """The unit's name a sentence (or a clause) opens with, if it opens with one: a full legal name
    (中铝材料应用研究院有限公司, whole), a name shaped like a unit (…铝业, …中心), or a name followed
    by what units do (中铝青岛轻金属组织…); the shorter of the last two."""
    legal = LEGAL_NAME.match(part)
    if legal and plausible(legal.group(0)):
        return legal.group(0)
    m, v = SUFFIX_NAME.match(part), VERB_NAME.match(part)
    names = [n for n in (m.group(0) if m else None, v.group(1) if v else None) if n and plausible(n)]
    return min(names, key=len) if names else None


def discover(text: str, registry: Registry) -> list[str]:
    """Unit names the registry does not know: at the start of activity sentences (see name_at),
    and at the start of a clause inside one when followed by what units do and begun like the
    names of known units (…，中铝青岛轻金属组织…)."""
    found = []
    prefixes = registry.prefixes()
    for pattern, inside in ((SENTENCE_START, False), (CLAUSE_START, True)):
        for start in (m.start() for m in pattern.finditer(text)):
            *listed, last = leading_list(text[start:])
            known = registry.pattern().match(last)
            legal = LEGAL_NAME.match(last)
            if known and legal and len(legal.group(0)) > known.end() and plausible(legal.group(0)):
                known, name = None, legal.group(0)  # the full name of a unit known by its short one
            else:
                name = None if known else name_at(last)
            if inside and not (name and (name[:2] in prefixes or is_unit_shaped(name))
                               and ACTIVITY_START.match(last[len(name):])):
                name = None
            if known or name:  # the names listed before a unit are units too: 抚顺铝业、广西华昇、遵义铝业组织…
                found += [n for n in listed if not registry.pattern().fullmatch(n) and plausible(n)]
            if name:
                found.append(name)
    return found


NOT_IN_NAME = re.compile(r"[的了着过是和与及或但而被把将等]")  # words of a sentence, not of a unit's name


def plausible(name: str) -> bool:
    return len(name) >= 3 and not generic(name) and not re.search(ACTIVITY_VERB, name) and not NOT_IN_NAME.search(name)


def leading_list(sentence: str) -> list[str]:
    """The sentence, and each further name of a leading list: 抚顺铝业、广西华昇、遵义铝业组织…"""
    parts = [sentence]
    rest = sentence
    while True:
        m = re.match(rf"(?:[{HAN}]|[（(][{HAN}]{{2,6}}[）)]){{2,24}}?、", rest)
        if not m:
            break
        rest = rest[m.end():]
        parts.append(rest)
    return [p if i == len(parts) - 1 else p.split("、", 1)[0] for i, p in enumerate(parts)]
