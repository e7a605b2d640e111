"""Removing an import over the web, for editors: an issue's (or a document's) page offers 移除; a
confirmation page says what goes and asks again; /removed lists what was removed (who, when) with
a button to restore each. Purging is the server's (`archive purge`). Thin over
archive.service.removing; every POST checks CSRF, and the editor's name is recorded."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from ..errors import ArchiveError, NotFound
from ..service import removing
from ..store.citation import import_name
from .auth import require_editor
from .correcting import editor_name, fail
from .db import datadir, get_db
from .importing import check_csrf

bp = Blueprint("removing", __name__)


@bp.get("/issues/<issue_id>/remove")
def confirm(issue_id: str):
    """What removing this issue takes away, and a form to do it."""
    require_editor()
    db = get_db()
    row = db.issue_row(issue_id)
    if row is None:
        fail(NotFound(f"no issue {issue_id}", what=issue_id))
    items = db.items_of_issue(issue_id)
    acts = sum(len(v) for v in db.item_activities([it["id"] for it in items]).values())
    return render_template("remove.html", row=row, name=import_name(row), items=len(items), activities=acts)


@bp.post("/issues/<issue_id>/remove")
def remove(issue_id: str):
    require_editor()
    check_csrf()
    if request.form.get("confirm") != "yes":
        return redirect(url_for("removing.confirm", issue_id=issue_id), code=303)
    try:
        removing.remove(get_db(), datadir(), issue_id, editor_name(), request.form.get("note"))
    except ArchiveError as exc:
        fail(exc)
    return redirect(url_for("removing.removed", done=issue_id), code=303)


@bp.get("/removed")
def removed():
    """The removed imports, latest first, each restorable until purged."""
    require_editor()
    return render_template("removed.html", entries=get_db().removed_issues(), done=request.args.get("done", ""))


@bp.post("/removed/<issue_id>/restore")
def restore(issue_id: str):
    require_editor()
    check_csrf()
    try:
        new_id = removing.restore(get_db(), datadir(), issue_id, editor_name())
    except ArchiveError as exc:
        fail(exc)
    return redirect(url_for("browse.issue", issue_id=new_id), code=303)
