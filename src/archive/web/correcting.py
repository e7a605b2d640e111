"""Corrections over the web, for editors: the item page's forms (text, heading, section, kind,
author, source, units; split, merge, hide, show), an issue's metadata, reverting, marking an issue
reviewed, the review queue (/review) and the unit registry's changes (/units). A thin layer over
archive.service.correcting; who may edit is web.auth.require_editor (every POST checks CSRF) and the editor's
name is the logged-in account's."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from ..errors import BadEdit, NotFound, StaleForm
from ..service.correcting import Editor
from ..errors import ArchiveError
from ..messages import error_cn, reviews_cn
from ..model import Review
from ..store.corrections import ITEM_EDIT_FIELDS, issue_version, item_version
from ..store.review import review_queue
from ..store.site_units import site_registry
from . import abort_with
from .db import datadir, get_db
from .auth import current_user, require_editor  # anonymous: 401 (or the login page); a reader: 403
from .importing import check_csrf, is_editor
from .searching import registry

bp = Blueprint("editing", __name__)

OPS = ("set", "add_unit", "remove_unit", "split", "merge", "hide", "show")
ISSUE_FORM = ("publication", "year", "number", "number_end", "special", "date", "publisher")


def editor_name() -> str:
    """The acting editor's name, recorded with each change: the logged-in account's (`admin` for the
    editor token)."""
    user = current_user()
    return user.name if user is not None else "editor"


def editor() -> Editor:
    return Editor(get_db(), datadir())


def fail(exc: ArchiveError):
    """A refused change as its page: 404, 409 or 400, in Chinese."""
    abort_with(exc.status, error_cn(exc))


# --- what the item and issue pages show ------------------------------------------------------------

def item_extras(rec: dict) -> dict:
    """For the item page: 「已校对」, its history, and what the editor's forms need."""
    db = get_db()
    history = db.history(rec["id"])
    return {"corrected": bool(db.corrected_items([rec["id"]])), "history": history,
            "version": item_version(rec), "can_edit": is_editor()}


def hidden_item(item_id: str):
    """A hidden item's page (for editors: to show it again), or None."""
    hides = [c for c in get_db().history(item_id) if c["op"] == "hide" and c["state"] == "applied"
             and c["applied_to"] == item_id]
    if not hides or not is_editor():
        return None
    return render_template("hidden_item.html", item_id=item_id, c=hides[-1], anchor=hides[-1]["anchor"])


# --- items -----------------------------------------------------------------------------------------

def form_change() -> tuple[str, object, str | None]:
    op = request.form.get("op", "")
    if op not in OPS:
        abort_with(400, "未知的校对操作。")
    fld = request.form.get("field") or None
    if op == "set" and fld not in ITEM_EDIT_FIELDS:
        abort_with(400, "未知的字段。")
    return op, request.form.get("value"), fld


def correct_from_form(item_id: str):
    """The correction the posted form asks of an item, made as the logged-in editor. StaleForm (the
    item changed since the form was loaded) is the caller's to answer."""
    require_editor()
    check_csrf()
    op, value, fld = form_change()
    change = editor().correct_item(item_id, op, value, fld=fld, who=editor_name(),
                                   note=request.form.get("note"), version=request.form.get("version") or None)
    return change


@bp.post("/items/<item_id>/edit")
def edit_item(item_id: str):
    try:
        change = correct_from_form(item_id)
    except StaleForm as exc:
        fld, value = request.form.get("field") or None, request.form.get("value")
        return render_template("edit_conflict.html", item_id=item_id, current=exc.params.get("current"),
                               op=request.form.get("op"), field=fld, value=value, mine_field=fld, yours=value), 409
    except ArchiveError as exc:
        fail(exc)
    if change.item_id:
        return redirect(url_for("browse.item", item_id=change.item_id), code=303)
    return redirect(url_for("browse.issue", issue_id=change.issue_id), code=303)


@bp.post("/corrections/<int:cid>/revert")
def revert(cid: int):
    require_editor()
    check_csrf()
    try:
        change = editor().revert(cid, editor_name())
    except ArchiveError as exc:
        fail(exc)
    if change.item_id:
        return redirect(url_for("browse.item", item_id=change.item_id), code=303)
    if change.issue_id and get_db().issue_row(change.issue_id):
        return redirect(url_for("browse.issue", issue_id=change.issue_id), code=303)
    return redirect(url_for("editing.review"), code=303)


# --- issues ----------------------------------------------------------------------------------------

ISSUE_LABELS = {"publication": "刊名", "year": "年份", "number": "期号", "number_end": "合刊末期",
                "special": "增刊/特刊", "date": "日期", "publisher": "编印单位"}


def stale_issue(issue_id: str, current, sent: dict):
    """409: another editor changed the issue since the form was loaded; both versions in words."""
    def words(values) -> str:
        return "，".join(f"{ISSUE_LABELS[f]} {'' if values[f] is None else values[f] or '—'}" for f in ISSUE_FORM
                        if f in values)
    current = {f: current[f] for f in ISSUE_FORM}  # a row or a dict
    abort_with(409, f"期刊 {issue_id} 的信息在您打开表单之后已被其他编辑修改，本次没有作任何更改。"
                    f"现在的信息：{words(current)}。您提交的：{words(sent)}。请刷新页面，确认后再保存。")


@bp.post("/issues/<issue_id>/edit")
def edit_issue(issue_id: str):
    require_editor()
    check_csrf()
    row = get_db().issue_row(issue_id)
    if row is None:
        abort_with(404, f"没有期刊 {issue_id}")
    sent = {f: request.form.get(f, "").strip() for f in ISSUE_FORM if f in request.form}
    version = request.form.get("version") or None
    if version is not None and version != issue_version(row):
        stale_issue(issue_id, row, sent)
    changes = {f: v for f, v in sent.items() if v != ("" if row[f] is None else str(row[f]))}
    if not changes:
        return redirect(url_for("browse.issue", issue_id=issue_id), code=303)
    try:
        change = editor().correct_issue(issue_id, changes, who=editor_name(), note=request.form.get("note"),
                                        version=version)
    except StaleForm as exc:
        stale_issue(issue_id, exc.params.get("current") or row, sent)
    except ArchiveError as exc:
        fail(exc)
    return redirect(url_for("browse.issue", issue_id=change.issue_id), code=303)


@bp.post("/issues/<issue_id>/reviewed")
def mark_reviewed(issue_id: str):
    require_editor()
    check_csrf()
    try:
        editor().mark_reviewed(issue_id, editor_name())
    except ArchiveError as exc:
        fail(exc)
    return redirect(request.form.get("next") or url_for("editing.review"), code=303) \
        if (request.form.get("next") or "").startswith("/") else redirect(url_for("editing.review"), code=303)


# --- the review queue ------------------------------------------------------------------------------

@bp.get("/review")
def review():
    require_editor()
    queue = review_queue(get_db(), site_registry(get_db()))
    for e in queue:
        if e["kind"] == "needs_review":
            e["reasons_cn"] = reviews_cn([Review.from_stored(r) for r in e["reviews"]])
    counts = {k: sum(1 for e in queue if e["kind"] == k) for k in
              ("stale_correction", "needs_review", "low_confidence", "suspicious", "new_unit")}
    return render_template("review.html", queue=queue[:500], total=len(queue), counts=counts)


# --- the unit registry -----------------------------------------------------------------------------

UNIT_FORM_OPS = ("add", "alias", "rename", "merge", "ignore")


@bp.post("/units/edit")
def edit_units():
    require_editor()
    check_csrf()
    op = request.form.get("op", "")
    if op not in UNIT_FORM_OPS:
        abort_with(400, "未知的单位操作。")
    name, other = request.form.get("name", ""), request.form.get("other", "") or None
    aliases = [a.strip() for a in (request.form.get("aliases") or "").replace("，", ",").split(",") if a.strip()]
    ed = editor()
    try:
        ed.unit_change(op, name, other, aliases, who=editor_name(), note=request.form.get("note"))
    except ArchiveError as exc:
        fail(exc)
    registry()  # read again in place: the searchers' unit filters and highlights follow
    return redirect(url_for("browse.units"), code=303)


# --- JSON ------------------------------------------------------------------------------------------

@bp.get("/api/items/<item_id>/history")
def api_history(item_id: str):
    db = get_db()
    if db.item(item_id) is None and not db.history(item_id):
        abort_with(404, f"没有条目 {item_id}")
    return {"item": item_id, "corrections": db.history(item_id)}


@bp.post("/api/items/<item_id>/corrections")
def api_correct(item_id: str):
    """Form fields op, field, value, note, version, csrf_token (an editor's session) → the item as
    corrected; 409 {"error", "current"} when `version` is not the item's version any more."""
    try:
        change = correct_from_form(item_id)
    except StaleForm as exc:
        current = exc.params.get("current")
        return {"error": error_cn(exc), "status": 409,
                "current": {k: current.get(k) for k in (*ITEM_EDIT_FIELDS, "units")} if current else None,
                "version": item_version(current) if current else None}, 409
    except (BadEdit, NotFound, ArchiveError) as exc:
        fail(exc)
    item = get_db().item(change.item_id) if change.item_id else None
    return {"issue": change.issue_id, "item": change.item_id, "corrections": change.corrections,
            "state": change.state, "version": item_version(item) if item else None}
