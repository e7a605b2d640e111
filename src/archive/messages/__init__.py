"""The message catalog: every line a person reads, by key, in Chinese (zh: the default, on the web
and the command line) and English (en: `archive --lang en`, or a browser asking for English).
zh.py and en.py hold the same keys (tests/test_messages.py); the core's structured results —
error kinds (errors.Kind), review reasons, check problems, import results, corrections — are worded
here and nowhere else, never parsed back from text."""
from __future__ import annotations

from ..model import Review
from . import en, zh

CATALOGS = {"zh": zh, "en": en}
LANGS = tuple(CATALOGS)
DEFAULT = "zh"


def catalog(lang: str | None):
    return CATALOGS.get(lang or DEFAULT, CATALOGS[DEFAULT])


def say(key: str, lang: str | None = None, **params) -> str:
    """A line of LINES with its fields filled in."""
    return catalog(lang).LINES[key].format(**params)


def error_text(exc, lang: str | None = None) -> str:
    """A domain error (an ArchiveError, or a job's stored kind and params) in words. In English the
    error's own line (written where it was raised, with its particulars) comes first."""
    if lang == "en" and isinstance(exc, Exception) and str(exc):
        return str(exc)
    kind = str(getattr(exc, "kind", "") or "")
    word = catalog(lang).ERRORS.get(kind)
    return word(getattr(exc, "params", None) or {}) if word else catalog(lang).ERRORS["internal"]({})


def error_cn(exc) -> str:
    return error_text(exc, "zh")


ERROR_CN = zh.ERRORS  # the Chinese wording of every kind (tests)


def review_text(review: Review, lang: str | None = None) -> str:
    word = catalog(lang).REVIEWS.get(review.kind)
    return word(review) if word else (review.text or review.kind)


def reviews_text(reviews: list[Review], lang: str | None = None) -> str:
    return catalog(lang).REVIEW_JOIN.join(review_text(r, lang) for r in reviews)


def review_cn(review: Review) -> str:
    return review_text(review, "zh")


def reviews_cn(reviews: list[Review]) -> str:
    return reviews_text(reviews, "zh")


def problem_line(problem, lang: str | None = None, limit: int = 20) -> str:
    """A check problem (service.checking.Problem) as one line."""
    if problem.kind == "index_unavailable":
        return error_text(type("E", (), {"kind": "index_unavailable", "params": {}})(), lang) + f" ({problem.detail})"
    label = say(f"problem.{problem.kind}", lang)
    if problem.kind == "orphan_file":
        return say("problem.orphans", lang, label=label, count=len(problem.ids))
    more = say("problem.more", lang, n=len(problem.ids) - limit) if len(problem.ids) > limit else ""
    return say("problem.line", lang, label=label, count=len(problem.ids), ids=", ".join(problem.ids[:limit]), more=more)


def repair_lines(done, lang: str | None = None) -> list[str]:
    """What `check --repair` did (service.checking.Repair)."""
    lines = [say("repair.removed", lang, path=path) for path in done.removed]
    if done.rebuilt is not None:
        lines.append(say("repair.rebuilt", lang, items=done.rebuilt))
    if done.reindexed:
        lines.append(say("repair.reindexed", lang, issues=done.reindexed))
    return lines


RESULT_KEYS = {"imported": "import.imported", "replaced": "import.replaced", "already imported": "import.already"}


def result_line(result, lang: str | None = None) -> str:
    """One import result (service.importing.ImportResult): `path: imported as 2021-005[ (pages 3–6
    of the file)][: reason]` (a bound volume gives one for each of its issues)."""
    if result.failed:
        why = error_text(result.error, lang) if result.error is not None else result.message
        return say("import.refused", lang, path=result.path, why=why)
    line = say(RESULT_KEYS[result.status], lang, path=result.path, issue=result.issue_id)
    if getattr(result, "name", ""):  # what was found: 《中铝股份党群工作》2021年第5期…, or 其他文件《its title》
        line += " " + result.name + (say("import.other", lang) if getattr(result, "collection", None) == "other" else "")
    if getattr(result, "source_pages", None):  # one issue of a bound volume: where it lies in the file
        line += say("import.part", lang, first=result.source_pages[0], last=result.source_pages[1])
    if result.reviews:
        line += say("import.needs_review", lang, why=reviews_text(result.reviews, lang))
    return line


def change_line(what: str, change, lang: str | None = None) -> str:
    """A correction made (service.correcting.Change)."""
    where = change.item_id or (say("change.hidden", lang, issue=change.issue_id) if what == "hide" else change.issue_id)
    state = say("change.stale", lang) if change.state == "stale" else ("" if change.state == "applied" else change.state)
    return say("change.line", lang, what=what, ids=", ".join(map(str, change.corrections)), where=where, state=state)


def change_words(op: str | None, field: str | None = None, lang: str | None = None) -> str:
    """修改 标题 — what an editor's change does, in words (never `set · heading`)."""
    cat = catalog(lang)
    words = cat.OPS.get(op or "", op or "")
    return f"{words} {cat.FIELDS.get(field, field)}" if field else words


def history_line(c: dict, lang: str | None = None) -> str:
    """A correction as `archive history` lists it."""
    what = c["op"] + (f" {c['field']}" if c["field"] and c["op"] in ("set", "set_issue") else "")
    change = " → ".join(repr(v)[:60] for v in (c["before"], c["after"]) if v is not None)
    state = (say(f"history.state.{c['state']}", lang, who=c["reverted_by"])
             if c["state"] in ("stale", "reverted", "purged") else "")
    return (f"{c['id']:>5}  {c['at']}  {c['who']}  {c['applied_to'] or c['target']}  {what}  {change}"
            f"{state}{'  # ' + c['note'] if c['note'] else ''}")


def review_line(e: dict, lang: str | None = None) -> str:
    """An entry of the review queue (store.review) as `archive review` lists it."""
    k = e["kind"]
    if k == "stale_correction":
        return say("review.stale_correction", lang, id=e["correction"], op=e["op"], field=e["field"] or "", item=e["item"])
    if k == "needs_review":
        named = f" — {e['title']}" if e.get("title") else ""
        named += f" ({e['original_name']})" if e.get("original_name") and e["original_name"] not in named else ""
        return say("review.needs_review_other" if e.get("collection") == "other" else "review.needs_review", lang,
                   issue=e["issue"], why=reviews_text([Review.from_stored(r) for r in e["reviews"]], lang)) + named
    if k == "low_confidence":
        return say("review.low_confidence", lang, item=e["item"], confidence=e["confidence"], detail=e["detail"])
    if k == "suspicious":
        return say(f"review.{e['reason']}", lang, item=e["item"], detail=e["detail"])
    return say("review.new_unit", lang, unit=e["unit"], count=e["count"],
               examples=" | ".join(x["text"] for x in e["examples"]))


def removal_line(entry: dict, done: str, lang: str | None = None) -> str:
    """An import removed, restored or purged: `已移除 doc-0ef… 其他文件《…》（file.pdf）（王编辑，2026-12-07 10:00）`."""
    when = say("removal.by", lang, who=entry["who"], at=entry["at"][:16].replace("T", " ")) if done == "removed" else ""
    return say(f"removal.{done}", lang, issue=entry["issue_id"], label=entry.get("label") or "", by=when).rstrip()


def backup_line(path, manifest: dict, lang: str | None = None) -> str:
    """What `archive backup` wrote."""
    pdfs = sum(1 for f in manifest["files"] if f["name"].startswith("pdfs/"))
    size = sum(f["bytes"] for f in manifest["files"]) / 2**20
    return say("backup.written", lang, path=path, issues=manifest["issues"], items=manifest["items"], pdfs=pdfs,
               mb=f"{size:.1f}", schema=manifest["schema_version"], when=manifest["created"][:19] + "Z")


def restore_line(target, manifest: dict, indexed: int, lang: str | None = None) -> str:
    """What `archive restore` put in place."""
    return say("backup.restored", lang, target=target, issues=manifest["issues"], items=manifest["items"],
               when=manifest["created"][:19] + "Z", indexed=indexed)


def coverage_break_text(b: dict, lang: str | None = None) -> str:
    """A break in 总第N期 continuity (store.coverage.add_breaks), in words."""
    return catalog(lang).coverage_break(b)


def coverage_break_cn(b: dict) -> str:
    return coverage_break_text(b, "zh")
