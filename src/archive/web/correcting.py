"""Corrections over the web, for editors: the item page's one form (text, heading, section, kind,
author, source, units, and a split where 【拆分】 stands in the text: one save, a correction per
changed field, in one transaction), merge, hide and show, an issue's metadata, reverting, marking
an issue reviewed, and the unit registry's changes (/units); the review queue is web/reviewing.py.
Merging, hiding and reverting ask first: the POST without confirm=1 answers a page saying what
will happen, with the same form to confirm (no script needed). A thin layer over
archive.service.correcting; who may edit is web.auth.require_editor (every POST checks CSRF) and
the editor's name is the logged-in account's."""
from __future__ import annotations

import re

from flask import Blueprint, redirect, render_template, request, url_for

from ..errors import ArchiveError, BadEdit, NotFound, StaleForm
from ..messages import error_cn
from ..service.correcting import Editor
from ..messages.zh import FIELDS as FIELD_CN
from ..store.corrections import ISSUE_EDIT_FIELDS, ITEM_EDIT_FIELDS, issue_version, item_version
from . import abort_with
from .db import datadir, get_db
from .auth import current_user, history_shown, require_editor, safe_next  # anonymous: 401 (or the login page); a reader: 403
from .importing import check_csrf, is_editor
from .searching import registry

bp = Blueprint("editing", __name__)

OPS = ("set", "add_unit", "remove_unit", "split", "merge", "hide", "show")
CONFIRM = ("merge", "hide")  # asked about first (and reverting)
UNIT_SEPARATORS = re.compile(r"[,，、;；\n]+")  # between the names typed into 添加单位


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
    history = history_shown(db.history(rec["id"]))
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

def form_change() -> tuple[str, object, str | None]:  # the one-change forms (API, show, merge, hide)
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


def form_fields() -> tuple[dict, list[str] | None]:
    """The one item form's fields (those sent) and its units: the boxes left ticked and the names
    typed into 添加单位 (None when the form has no units part)."""
    fields = {f: request.form[f] for f in ITEM_EDIT_FIELDS if f in request.form}
    if not request.form.get("units_given"):
        return fields, None
    added = [u.strip() for u in UNIT_SEPARATORS.split(request.form.get("add_units", "")) if u.strip()]
    return fields, request.form.getlist("unit") + added


def save_from_form(item_id: str):
    """The one form's save (op=save), as the logged-in editor."""
    require_editor()
    check_csrf()
    fields, units = form_fields()
    return editor().save_item(item_id, fields, units, who=editor_name(), note=request.form.get("note"),
                              version=request.form.get("version") or None)


def confirm_page(item_id: str, op: str):
    """What a merge or a hide will do, and the same form again with confirm=1."""
    db = get_db()
    it = db.item(item_id)
    if it is None:
        abort_with(404, f"没有条目 {item_id}")
    _, next_id = db.neighbours(it["issue"], it["seq"])
    other = db.item(next_id) if op == "merge" and next_id else None
    if op == "merge" and other is None:
        abort_with(400, error_cn(BadEdit("no next item", "no_next")))
    keep = {k: v for k, v in request.form.items() if k not in ("confirm",)}
    return render_template("confirm.html", op=op, it=it, other=other, fields=keep,
                           action=url_for("editing.edit_item", item_id=item_id),
                           back=url_for("browse.item", item_id=item_id))


def conflict_page(item_id: str, exc: StaleForm):
    """409: both versions side by side, field by field, and the editor's own values kept in a form
    that saves them over the current version once read (nothing typed is lost)."""
    current = exc.params.get("current")
    fields, units = form_fields()
    if request.form.get("op") != "save":
        fld = request.form.get("field")
        fields = {fld: request.form.get("value")} if fld in ITEM_EDIT_FIELDS else {}
    return render_template("edit_conflict.html", item_id=item_id, current=current, yours=fields, your_units=units,
                           op=request.form.get("op"), note=request.form.get("note") or "",
                           version=item_version(current) if current else None), 409


@bp.post("/items/<item_id>/edit")
def edit_item(item_id: str):
    op = request.form.get("op", "")
    try:
        if op == "save":
            change = save_from_form(item_id)
        else:
            if op in CONFIRM and request.form.get("confirm") != "1":
                require_editor()
                check_csrf()
                return confirm_page(item_id, op)
            change = correct_from_form(item_id)
    except StaleForm as exc:
        return conflict_page(item_id, exc)
    except ArchiveError as exc:
        fail(exc)
    if change.item_id:
        done = {"saved": len(change.corrections)} if op == "save" else {}
        return redirect(url_for("browse.item", item_id=change.item_id, **done) + ("#edit" if done else ""), code=303)
    return redirect(url_for("browse.issue", issue_id=change.issue_id), code=303)


@bp.post("/corrections/<int:cid>/revert")
def revert(cid: int):
    require_editor()
    check_csrf()
    if request.form.get("confirm") != "1":
        c = get_db().correction(cid)
        if c is None:
            abort_with(404, f"没有校对记录 {cid}")
        return render_template("confirm.html", op="revert", c=c, fields=dict(request.form),
                               action=url_for("editing.revert", cid=cid),
                               back=request.referrer if (request.referrer or "").startswith(request.host_url) else None)
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



def stale_issue(issue_id: str, current, sent: dict):
    """409: another editor changed the issue since the form was loaded; both versions in words."""
    def words(values) -> str:
        return "，".join(f"{FIELD_CN[f]} {'' if values[f] is None else values[f] or '—'}" for f in ISSUE_EDIT_FIELDS
                        if f in values)
    current = {f: current[f] for f in ISSUE_EDIT_FIELDS}  # a row or a dict
    abort_with(409, f"期刊 {issue_id} 的信息在您打开表单之后已被其他编辑修改，本次没有作任何更改。"
                    f"现在的信息：{words(current)}。您提交的：{words(sent)}。请刷新页面，确认后再保存。")


@bp.post("/issues/<issue_id>/edit")
def edit_issue(issue_id: str):
    require_editor()
    check_csrf()
    row = get_db().issue_row(issue_id)
    if row is None:
        abort_with(404, f"没有期刊 {issue_id}")
    sent = {f: request.form.get(f, "").strip() for f in ISSUE_EDIT_FIELDS if f in request.form}
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
    return redirect(back_to(url_for("editing.review")), code=303)


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
    return redirect(back_to(url_for("browse.units")), code=303)


def back_to(default: str) -> str:
    """Where a form asked to go back to (`next`: a path of this site, e.g. the review queue with its
    filter and the entry's anchor), else `default`."""
    return safe_next(request.form.get("next"), default)


# --- JSON ------------------------------------------------------------------------------------------

@bp.get("/api/items/<item_id>/history")
def api_history(item_id: str):
    """An item's corrections; `who` and `reverted_by` (account names) are null unless an editor asks."""
    db = get_db()
    history = db.history(item_id)
    if db.item(item_id) is None and not history:
        abort_with(404, f"没有条目 {item_id}")
    return {"item": item_id, "corrections": history_shown(history)}


@bp.post("/api/items/<item_id>/corrections")
def api_correct(item_id: str):
    """Form fields op, field, value, note, version, csrf_token (an editor's session) → the item as
    corrected; 409 {"error", "current"} when `version` is not the item's version any more."""
    try:
        change = save_from_form(item_id) if request.form.get("op") == "save" else correct_from_form(item_id)
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
