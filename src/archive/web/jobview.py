"""A web import job (archive.service.jobs' job.json) as the editors see it: each file's progress and
result in Chinese, for the job page and its JSON (which the page's script polls)."""
from __future__ import annotations

from ..messages import ERROR_CN, reviews_cn
from ..model import Review
from .helping import help_url

STATUS_CN = {"imported": "已导入", "replaced": "已替换", "already imported": "此前已导入", "refused": "未导入"}
OTHER_CN = "导入为其他文件"  # imported, but not the bulletin: no masthead (its id doc-…)


def is_other(issue_id: str | None) -> bool:
    """An import that is not the bulletin: a document without its masthead (id doc-<hash>)."""
    return bool(issue_id) and issue_id.startswith("doc-")
STATE_CN = {"queued": "排队中", "running": "正在导入", "done": "已完成"}


def error_text(kind: str | None, params: dict) -> str:
    """Why a file was refused, from its kind and figures (the English line is the CLI's)."""
    say = ERROR_CN.get(kind or "")
    return say(params or {}) if say else "导入失败（原因未能译出，请告诉管理员）"


def progress_text(f: dict) -> str:
    """第 3/10 页 · 其中 OCR 2 页 — what a file being read shows."""
    if f["state"] == "queued":
        return "等待中"
    if f["state"] == "reading":
        if not f.get("pages"):
            return "正在检查文件"
        ocr = f"，其中文字识别（OCR）{f['ocr_pages']} 页" if f.get("ocr_pages") else "，文字层"
        return f"正在读取第 {min(f['pages_done'] + 1, f['pages'])}/{f['pages']} 页（已读 {f['pages_done']} 页{ocr}）"
    r = f.get("result") or {}
    if not r.get("pages"):
        return ""
    ocr = r.get("ocr_pages") or 0
    if not ocr:
        return f"共 {r['pages']} 页，均为文字层"
    rest = f"、文字层 {r['pages'] - ocr} 页" if r["pages"] > ocr else ""
    return f"共 {r['pages']} 页，文字识别（OCR）{ocr} 页{rest}"


def result_message(r: dict) -> str:
    if r.get("status") == "refused":
        return error_text(r.get("kind"), r.get("params") or {})
    if r.get("reviews"):
        return "需人工复核：" + reviews_cn([Review.from_stored(x) for x in r["reviews"]])
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
    where = f"（文件第 {pages[0]}–{pages[1]} 页）" if pages else ""
    return {"id": r.get("issue"), "label": f"{r.get('name') or r.get('issue') or ''}{where}",
            "status_cn": STATUS_CN.get(r.get("status"), ""), "message": result_message(r)}


def file_view(f: dict) -> dict:
    r = f.get("result") or {}
    parts = r.get("parts") or ([r] if r.get("status") else [])  # a bound volume: each of its issues
    status = r.get("status")
    help_at = None
    if len(parts) > 1:  # the file's outcome: imported if any of its issues was, refused if all were
        ok = [p for p in parts if p.get("status") != "refused"]
        status = ok[0]["status"] if ok else "refused"
        status_cn = f"{len(parts)} 期：" + "、".join(f"{STATUS_CN.get(s, s)} {n}" for s, n in counts(parts))
        message = "；".join(f"{p.get('issue') or '?'} {result_message(p)}" for p in parts if result_message(p))
        help_at = next((h for h in map(result_help, parts) if h), None)
    elif status:
        message, help_at = result_message(r), result_help(r)
        status_cn = OTHER_CN if status in ("imported", "replaced") and is_other(r.get("issue")) else STATUS_CN.get(status, status)
    else:
        status_cn, message = ("正在读取" if f["state"] == "reading" else "等待中"), ""
    issues = [issue_view(p) for p in parts if p.get("issue") and p.get("status") != "refused"]
    return {"file": f["name"], "state": f["state"], "pages": f.get("pages"), "pages_done": f.get("pages_done", 0),
            "ocr_pages": f.get("ocr_pages", 0), "progress": progress_text(f), "status": status,
            "status_cn": status_cn, "issue": r.get("issue"), "issues": issues, "kind": r.get("kind"), "message": message,
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
    apart = f"，{other} 个{OTHER_CN}" if other else ""
    summary = {"queued": f"排队中：{len(files)} 个文件等待导入",
               "running": f"正在导入：已完成 {done}/{len(files)} 个文件",
               "done": f"已完成：{len(files) - failed - other} 个文件导入成功{apart}，{failed} 个未导入"}[job["state"]]
    skipped = job.get("skipped") or []
    return {"id": job["id"], "state": job["state"], "state_cn": STATE_CN[job["state"]], "summary": summary,
            "created": job["created"], "total": len(files), "done": done, "failed": failed, "other": other,
            "skipped": skipped, "files": files}
