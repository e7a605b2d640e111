"""Request bodies judged by their headers, before a byte of them is read.

Every request that declares a body gets a cap: an upload route (the import form, /api/import) the
upload cap (MAX_CONTENT_LENGTH, Settings.max_upload_mb) plus UPLOAD_FORM_MARGIN for the form's own
fields; anything else FORM_BODY_BYTES (a login, a correction). A declared Content-Length over the cap
is 413, and an upload from someone who may not import (anonymous: 401, a reader: 403, import off:
403) is refused on its headers alone. `refusal()` decides; it runs

    in the app, first of the before_request hooks (`check_body`): whatever server the app is on, the
        form is never parsed for a refused request, and a chunked body is cut at its cap while read
        (request.max_content_length);
    in waitress's I/O thread, when a request's headers are complete (web/serving.py): a refused
        request reaches the app with no body and `REFUSED` in its environ, and the body is never
        buffered or spooled — a 1 GB anonymous POST is answered at once, /tmp untouched.

In the I/O thread the session is read without writing (g.read_only), so judging never waits for a
lock."""
from __future__ import annotations

from flask import current_app, g, request
from werkzeug.exceptions import HTTPException

from . import abort_with

FORM_BODY_BYTES = 2 * 2**20  # any body but an upload: a login, a correction (an item's text is far less)
UPLOAD_FORM_MARGIN = 2**20  # the upload form's fields and multipart headers on top of the upload cap
REFUSED = "archive.refused"  # environ key: (status, message) the server already decided on


def upload_gates() -> dict:
    """{endpoint: a check that aborts unless the asker may upload there}."""
    from .importing import require_bearer_editor, require_form_editor
    return {"editors.import_post": require_form_editor, "editors.api_import": require_bearer_editor}


def upload_cap() -> int:
    return int(current_app.config["MAX_CONTENT_LENGTH"] or 0) + UPLOAD_FORM_MARGIN


def body_cap() -> int:
    """The most this request's body may hold."""
    return upload_cap() if request.endpoint in upload_gates() else FORM_BODY_BYTES


def too_large_message(cap: int) -> str:
    if request.endpoint in upload_gates():
        from . import upload_too_large
        return upload_too_large()
    return f"请求的内容超过了上限 {cap / 2**20:g} MB。"


def refusal() -> tuple[int, str] | None:
    """(status, message) when this request's body must not be read, judged on its headers; None to
    go ahead. Needs a request context (the app's, or one made of the headers alone)."""
    cap = body_cap()
    length = request.content_length
    if length is not None and length > cap:
        return 413, too_large_message(cap)
    gate = upload_gates().get(request.endpoint)
    if gate is not None and (length or request.headers.get("Transfer-Encoding")):
        try:
            gate()
        except HTTPException as exc:
            return exc.code or 400, getattr(exc, "archive_message", None) or exc.description
    return None


def verdict(app, environ: dict) -> tuple[int | None, str | None, int, str]:
    """For the server: (status, message) of a refusal or (None, None), the body's cap, and the
    message for a body that outgrows it (chunked), judged from a request of the headers alone."""
    with app.request_context(environ):
        g.read_only = True
        refused = refusal() or (None, None)
        cap = body_cap()
        return refused[0], refused[1], cap, too_large_message(cap)


def check_body() -> None:
    """before_request: refuse what the server or the headers refuse; bound what will be read."""
    decided = request.environ.get(REFUSED)
    if decided:
        abort_with(*decided)
    refused = refusal()
    if refused:
        abort_with(*refused)
    request.max_content_length = body_cap()  # a chunked body: cut there while read
