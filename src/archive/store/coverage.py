"""Backlog coverage: per year, which issues the archive holds and which it lacks.

What an archivist needs to know what to look for: the numbers present; the numbers missing (a gap
up to the highest number seen that year: 第1-12期 with 第4期 absent); years with no issue at all
between the first and the last; breaks in 总第N期 that numbering cannot explain (issues missing at
the end of a year, or totals that run backwards); numbers held twice (a 合刊 第5-6期 and a 第6期, or
two issues printing one 总第N期); 合刊 and supplements (增刊/特刊/专刊); issues still needing review.
Pure over the issue rows (Records.coverage_rows)."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class YearCoverage:
    year: int
    issues: int = 0
    present: list[int] = field(default_factory=list)  # issue numbers held (a 合刊's every number)
    missing: list[int] = field(default_factory=list)  # numbers absent up to the year's highest
    duplicates: list[int] = field(default_factory=list)  # numbers held by more than one issue
    combined: list[str] = field(default_factory=list)  # ids of 合刊
    special: list[str] = field(default_factory=list)  # ids of supplements (增刊, 特刊, 专刊)
    unnumbered: list[str] = field(default_factory=list)  # ids of issues with no number at all
    needs_review: list[str] = field(default_factory=list)  # flagged at import, not yet marked reviewed
    reviewed: list[str] = field(default_factory=list)  # flagged, and marked reviewed by an editor
    breaks: list[dict] = field(default_factory=list)  # 总第N期 continuity (add_breaks)

    @property
    def last(self) -> int:
        return max(self.present, default=0)

    def as_dict(self) -> dict:
        return {"year": self.year, "issues": self.issues, "present": self.present, "missing": self.missing,
                "duplicates": self.duplicates, "combined": self.combined, "special": self.special,
                "unnumbered": self.unnumbered, "needs_review": self.needs_review, "reviewed": self.reviewed,
                "breaks": self.breaks}


@dataclass
class Coverage:
    years: list[YearCoverage]
    empty_years: list[int]  # no issue at all, between the first year held and the last
    undated: list[str]  # issues with no year

    def as_dict(self) -> dict:
        return {"years": [y.as_dict() for y in self.years], "empty_years": self.empty_years, "undated": self.undated,
                "missing_total": sum(len(y.missing) for y in self.years)}


def numbers_of(row) -> list[int]:
    n, end = row["number"], row["number_end"]
    if not n:
        return []
    return list(range(n, (end if end and end >= n else n) + 1))


def coverage(rows, reviewed=frozenset()) -> Coverage:
    """Coverage of the issues given as rows with id, year, number, number_end, special,
    total_number, date, needs_review; `reviewed`: the ids of issues an editor marked reviewed
    (no longer needing review: the review queue leaves them out too)."""
    by_year: dict[int, YearCoverage] = {}
    counts: dict[int, Counter] = {}
    undated = []
    for r in rows:
        year = r["year"] or (int(r["date"][:4]) if r["date"] and r["date"][:4].isdigit() else None)
        if not year:
            undated.append(r["id"])
            continue
        y = by_year.setdefault(year, YearCoverage(year))
        y.issues += 1
        nums = numbers_of(r)
        counts.setdefault(year, Counter()).update(nums)
        if len(nums) > 1:
            y.combined.append(r["id"])
        if r["special"]:
            y.special.append(r["id"])
        elif not nums:
            y.unnumbered.append(r["id"])
        if r["needs_review"]:
            (y.reviewed if r["id"] in reviewed else y.needs_review).append(r["id"])
    for year, y in by_year.items():
        c = counts.get(year, Counter())
        y.present = sorted(c)
        y.missing = [n for n in range(1, y.last + 1) if n not in c]
        y.duplicates = sorted(n for n, k in c.items() if k > 1)
    add_breaks(rows, by_year)
    years = sorted(by_year)
    empty = [y for y in range(years[0], years[-1] + 1) if y not in by_year] if years else []
    return Coverage([by_year[y] for y in years], empty, sorted(undated))


def add_breaks(rows, by_year: dict[int, YearCoverage]) -> None:
    """Breaks in 总第N期 between consecutive numbered issues that the missing numbers do not explain,
    and a 总第N期 printed by two issues; each a dict with a kind (worded by messages.coverage_break_cn):
    lost_between {after, before, first, last}: 总第first..last期 are missing between two years;
    total_mismatch {issue, printed, expected, after}; total_twice {total, issues}."""
    numbered = sorted((r for r in rows if r["year"] and r["number"] and r["total_number"] and not r["special"]),
                      key=lambda r: (r["year"], r["number"]))
    for total, k in sorted(Counter(r["total_number"] for r in numbered).items()):
        if k > 1:  # listed under every year that printed it: each year's row shows its own clash
            same = [r for r in numbered if r["total_number"] == total]
            for year in sorted({r["year"] for r in same}):
                by_year[year].breaks.append({"kind": "total_twice", "total": total, "issues": [r["id"] for r in same]})
    for a, b in zip(numbered, numbered[1:]):
        span_a = len(numbers_of(a))
        # the numbers missing between them (listed already): the rest of a's year is unknown
        between = b["number"] - a["number"] - span_a if a["year"] == b["year"] else b["number"] - 1
        want, got = a["total_number"] + span_a + between, b["total_number"]
        if got > want and a["year"] != b["year"]:
            by_year[a["year"]].breaks.append({"kind": "lost_between", "after": a["id"], "before": b["id"],
                                              "first": want, "last": got - 1})
        elif got > want or got < want - (span_a - 1):  # a 合刊 may count once or once per number
            by_year[b["year"]].breaks.append({"kind": "total_mismatch", "issue": b["id"], "printed": got,
                                              "expected": want, "after": a["id"]})


def _day(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value and len(value) == 10 else None
    except ValueError:
        return None


def estimated_dates(rows, year: int, missing: list[int]) -> dict[int, dt.date | None]:
    """Where each missing number of a year would have fallen (for its calendar): spaced evenly
    between the dates of the nearest numbers held before and after it, or between 1 January and
    the first one held; None when a neighbour has no full date."""
    dated: dict[int, dt.date] = {}
    for r in rows:
        day = _day(r["date"])
        if r["year"] == year and day and not r["special"]:
            for n in numbers_of(r):
                dated.setdefault(n, day)
    dated.setdefault(0, dt.date(year, 1, 1))
    out: dict[int, dt.date | None] = {}
    for n in missing:
        below = max((k for k in dated if k < n), default=None)
        above = min((k for k in dated if k > n), default=None)
        if below is None or above is None:
            out[n] = None
            continue
        a, b = dated[below], dated[above]
        out[n] = a + (b - a) * (n - below) / (above - below)
    return out
