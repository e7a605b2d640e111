"""The review queue (/review), for editors: what needs a person's eye, most urgent first
(store.review), filtered by kind (?kind=new_unit), and its actions — register a unit or say it is
none, mark an issue reviewed — on one entry or on every entry ticked (checkboxes, one button).

Every action comes back to the queue as it was left: the same filter, scrolled to the entry that
followed the last one acted on (its anchor), with a line saying what was done. The page is one
form (no nested forms): a button on an entry sends do=ACTION|KEY, the buttons over the list send
bulk=ACTION with the ticked keys (sel=KEY…). Keys name what an entry is about: unit:NAME,
issue:ID (stable across a reload, unlike the entry's position)."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import redirect, render_template, request, url_for

from ..errors import ArchiveError
from ..messages import reviews_cn
from ..model import Review
from ..store.review import KINDS, review_queue
from ..store.site_units import site_registry
from . import abort_with
from .auth import check_csrf, require_editor
from .correcting import bp, editor, editor_name, fail
from .db import get_db
from .searching import registry

SHOWN = 500  # entries on the page (the counts are of all)
ACTIONS = {"add": "unit", "ignore": "unit", "reviewed": "issue"}  # what each action acts on
DONE_CN = {"add": "登记为单位", "ignore": "标为“不是单位”", "reviewed": "标记为已审核"}


def entry_key(e: dict) -> str:
    """What an entry is about, as a form value and an anchor: unit:NAME, issue:ID, item:ID, correction:N."""
    if e["kind"] == "new_unit":
        return f"unit:{e['unit']}"
    if e["kind"] == "needs_review":
        return f"issue:{e['issue']}"
    if e["kind"] == "stale_correction":
        return f"correction:{e['correction']}"
    return f"item:{e['item']}"


def the_queue(kind: str | None, year: int | None = None) -> tuple[list[dict], dict]:
    """The queue (only `kind`'s entries, and only those of `year`'s issues, when given) and the
    count of each kind over all of it (of that year's)."""
    queue = review_queue(get_db(), site_registry(get_db()))
    if year is not None:
        year_of = {r["id"]: r["year"] for r in get_db().coverage_rows()}
        queue = [e for e in queue if year_of.get(e.get("issue")) == year]
    counts = {k: sum(1 for e in queue if e["kind"] == k) for k in KINDS}
    counts["all"] = len(queue)
    shown = [e for e in queue if kind is None or e["kind"] == kind]
    for e in shown:
        e["key"] = entry_key(e)
        if e["kind"] == "needs_review":
            e["reasons_cn"] = reviews_cn([Review.from_stored(r) for r in e["reviews"]])
    return shown, counts


def year_arg(raw: str | None) -> int | None:
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 9999:
        abort_with(400, "年份应为四位数字。")
    return int(raw)


def filters(kind: str | None, year: int | None) -> dict:
    return {k: v for k, v in (("kind", kind), ("year", year)) if v}


def kind_arg(raw: str | None) -> str | None:
    if not raw:
        return None
    if raw not in KINDS:
        abort_with(400, "没有这一类待审核内容。")
    return raw


@bp.get("/review")
def review():
    require_editor()
    kind, year = kind_arg(request.args.get("kind")), year_arg(request.args.get("year"))
    queue, counts = the_queue(kind, year)
    done = request.args.get("done", "")
    action, _, n = done.partition("-")
    message = f"已把 {n} 项{DONE_CN[action]}。" if action in DONE_CN and n.isdigit() else None
    return render_template("review.html", queue=queue[:SHOWN], total=len(queue), counts=counts, kind=kind,
                           year=year, message=message)


def asked() -> tuple[str, list[str]]:
    """(action, keys) of the posted queue form: one entry's button (do=ACTION|KEY) or the ticked
    entries with a button over the list (bulk=ACTION, sel=KEY…)."""
    if request.form.get("do"):
        action, _, key = request.form["do"].partition("|")
        keys = [key]
    else:
        action, keys = request.form.get("bulk", ""), request.form.getlist("sel")
    if action not in ACTIONS:
        abort_with(400, "未知的审核操作。")
    keys = [k for k in dict.fromkeys(keys) if k.partition(":")[0] == ACTIONS[action]]
    if not keys:
        abort_with(400, "没有选中可以这样处理的条目：请先勾选（单位可登记或标为不是单位，期刊可标记为已审核）。")
    return action, keys


def act(action: str, keys: list[str]) -> None:
    ed, who = editor(), editor_name()
    for key in keys:
        what = key.partition(":")[2]
        if action == "reviewed":
            ed.mark_reviewed(what, who)
        else:
            ed.unit_change(action, what, who=who)
    if action != "reviewed":
        registry()  # read again in place: the searchers' unit filters and highlights follow


def anchor_after(order: list[str], acted: list[str]) -> str | None:
    """The entry to come back to: the first one after the last acted on that is still there (else
    the last one before it)."""
    done = set(acted)
    last = max((order.index(k) for k in acted if k in order), default=-1)
    after = [k for k in order[last + 1:] if k not in done]
    before = [k for k in order[:max(last, 0)] if k not in done]
    return after[0] if after else (before[-1] if before else None)


@bp.post("/review")
def review_act():
    require_editor()
    check_csrf()
    kind, year = kind_arg(request.form.get("kind")), year_arg(request.form.get("year"))
    action, keys = asked()
    order = [entry_key(e) for e in the_queue(kind, year)[0]]
    try:
        act(action, keys)
    except ArchiveError as exc:
        fail(exc)
    args = filters(kind, year)
    args["done"] = f"{action}-{len(keys)}"
    anchor = anchor_after(order, keys)
    return redirect(url_for("editing.review") + "?" + urlencode(args) + (f"#{anchor}" if anchor else ""), code=303)
