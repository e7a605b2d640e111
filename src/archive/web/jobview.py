"""A web import job (archive.service.jobs' job.json) as the editors see it: each file's progress and
result in Chinese, for the job page and its JSON (which the page's script polls)."""
from __future__ import annotations

from ..messages import ERROR_CN, reviews_cn, say
from ..model import Review
from .helping import help_url

STATUSES = ("imported", "replaced", "already imported", "refused")


def line(key: str, **params) -> str:
    """A line of the job page, from the Chinese catalog (messages/zh.py, keys job.*)."""
    return say(f"job.{key}", "zh", **params)


def status_cn(status: str | None) -> str:
    return line(f"status.{status}") if status in STATUSES else (status or "")


def other_cn() -> str:
    """Imported, but not the bulletin: no masthead (its id doc-…)."""
    return line("other")


def is_other(issue_id: str | None) -> bool:
    """An import that is not the bulletin: a document without its masthead (id doc-<hash>)."""
    return bool(issue_id) and issue_id.startswith("doc-")


def error_text(kind: str | None, params: dict) -> str:
    """Why a file was refused, from its kind and figures (the English line is the CLI's)."""
    say = ERROR_CN.get(kind or "")
    return say(params or {}) if say else line("unknown_error")


def progress_text(f: dict) -> str:
    """第 3/10 页 · 其中 OCR 2 页 — what a file being read shows."""
    if f["state"] == "queued":
        return line("waiting")
    if f["state"] == "reading":
        if not f.get("pages"):
            return line("checking")
        how = line("reading_ocr", ocr=f["ocr_pages"]) if f.get("ocr_pages") else line("reading_text")
        return line("reading_page", page=min(f["pages_done"] + 1, f["pages"]), pages=f["pages"], done=f["pages_done"],
                    how=how)
    r = f.get("result") or {}
    if not r.get("pages"):
        return ""
    ocr = r.get("ocr_pages") or 0
    if not ocr:
        return line("pages_text", pages=r["pages"])
    rest = line("pages_rest", text=r["pages"] - ocr) if r["pages"] > ocr else ""
    return line("pages_ocr", pages=r["pages"], ocr=ocr, rest=rest)


def result_message(r: dict) -> str:
    if r.get("status") == "refused":
        return error_text(r.get("kind"), r.get("params") or {})
    if r.get("reviews"):
        return line("needs_review", why=reviews_cn([Review.from_stored(x) for x in r["reviews"]]))
    return ""


def result_help(r: dict) -> str | None:
    """Where the staff guide says what to do about a refusal or a review reason."""
    if r.get("status") == "refused":
        return help_url(f"kind-{r.get('kind') or 'internal'}")
    if r.get("reviews"):
        kinds = [x.get("kind") if isinstance(x, dict) else None for x in r["reviews"]]
        return help_url(f"review-{kinds[0]}" if len(kinds) == 1 and kinds[0] else "needs-review")
    return None


def issue_view(r: dict) -> dict:
    """One issue a file gave: its id and what to show for it (in a bound volume, its file pages)."""
    pages = r.get("source_pages")
    where = line("file_pages", first=pages[0], last=pages[1]) if pages else ""
    return {"id": r.get("issue"), "label": f"{r.get('name') or r.get('issue') or ''}{where}",
            "status_cn": status_cn(r.get("status")) if r.get("status") in STATUSES else "",
            "message": result_message(r)}


def file_view(f: dict) -> dict:
    r = f.get("result") or {}
    parts = r.get("parts") or ([r] if r.get("status") else [])  # a bound volume: each of its issues
    status = r.get("status")
    help_at = None
    if len(parts) > 1:  # the file's outcome: imported if any of its issues was, refused if all were
        ok = [p for p in parts if p.get("status") != "refused"]
        status = ok[0]["status"] if ok else "refused"
        shown = line("list").join(line("volume_count", status=status_cn(s), n=n) for s, n in counts(parts))
        shown_status = line("volume", issues=len(parts), counts=shown)
        message = line("messages").join(f"{p.get('issue') or '?'} {result_message(p)}" for p in parts
                                        if result_message(p))
        help_at = next((h for h in map(result_help, parts) if h), None)
    elif status:
        message, help_at = result_message(r), result_help(r)
        other = status in ("imported", "replaced") and is_other(r.get("issue"))
        shown_status = other_cn() if other else status_cn(status)
    else:
        shown_status, message = line("reading" if f["state"] == "reading" else "waiting"), ""
    issues = [issue_view(p) for p in parts if p.get("issue") and p.get("status") != "refused"]
    return {"file": f["name"], "state": f["state"], "pages": f.get("pages"), "pages_done": f.get("pages_done", 0),
            "ocr_pages": f.get("ocr_pages", 0), "progress": progress_text(f), "status": status,
            "status_cn": shown_status, "issue": r.get("issue"), "issues": issues, "kind": r.get("kind"), "message": message,
            "help": help_at, "other": status in ("imported", "replaced", "already imported") and is_other(r.get("issue")),
            "issue_name": r.get("name") or r.get("issue"), "collection": r.get("collection")}


def counts(parts: list[dict]) -> list[tuple[str, int]]:
    out: dict[str, int] = {}
    for p in parts:
        out[p.get("status")] = out.get(p.get("status"), 0) + 1
    return list(out.items())


def job_view(job: dict) -> dict:
    files = [file_view(f) for f in job["files"]]
    done = sum(1 for f in files if f["state"] == "done")
    failed = sum(1 for f in files if f["status"] == "refused")
    other = sum(1 for f in files if f["other"])
    apart = line("summary_other", n=other) if other else ""
    summary = line(f"summary.{job['state']}", files=len(files), done=done, ok=len(files) - failed - other, other=apart,
                   failed=failed)
    skipped = job.get("skipped") or []
    return {"id": job["id"], "state": job["state"], "state_cn": line(f"state.{job['state']}"), "summary": summary,
            "created": job["created"], "total": len(files), "done": done, "failed": failed, "other": other,
            "skipped": skipped, "files": files}
