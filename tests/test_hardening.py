"""Issue 21.6, the smaller holes: the data folder is the owner's alone (0700, its files 0600, an
older folder mended when opened); every redirect's `next` stays on the site (one helper); an
item's correction history names its editors to editors only."""
import os
import re
import stat
from pathlib import Path

import pytest

from test_web_edit import EDITOR, PASSWORD, READER, accounts, log_in  # noqa: F401  (fixtures, as the other web tests)
from webtools import csrf, html

WEB = Path(__file__).parent.parent / "src" / "archive" / "web"


def mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def private_files(root: Path) -> list[str]:
    """What under `root` others could read or enter (a folder not 0700, a file not 0600 or less)."""
    out = []
    for dirpath, dirs, files in os.walk(root):
        for name in dirs + files:
            p = Path(dirpath) / name
            if p.is_symlink():
                continue
            if mode(p) & 0o077:
                out.append(f"{p.relative_to(root)} {oct(mode(p))}")
    return out


# --- the data folder is private -------------------------------------------------------------------

def test_a_new_data_folder_is_the_owners_alone(tmp_path, archive, data_dir):
    from webtools import sample_files
    old = os.umask(0o022)  # the usual umask: files 0644, folders 0755 unless made private
    try:
        assert archive("import", sample_files()[0]).exit_code == 0
        from archive.store import DataDir
        DataDir(data_dir).secret_key()
    finally:
        os.umask(old)
    assert mode(data_dir) == 0o700
    names = {p.name for p in data_dir.iterdir()}
    assert {"archive.sqlite3", "secret.key", "pdfs"} <= names
    for name in ("archive.sqlite3", "archive.sqlite3-wal", "archive.sqlite3-shm", "secret.key"):
        if (data_dir / name).exists():
            assert mode(data_dir / name) == 0o600, name
    pdfs = list((data_dir / "pdfs").glob("*/*.pdf"))
    assert pdfs and all(mode(p) == 0o600 for p in pdfs)


def test_a_folder_made_by_an_older_version_is_mended_when_opened(samples_copy):
    from archive.store import DataDir
    for dirpath, dirs, files in os.walk(samples_copy):  # as an older version left it
        for name in dirs:
            os.chmod(Path(dirpath) / name, 0o755)
        for name in files:
            p = Path(dirpath) / name
            if not p.is_symlink():
                os.chmod(p, 0o644)
    os.chmod(samples_copy, 0o755)
    assert private_files(samples_copy)
    with DataDir(samples_copy).records() as records:
        assert records.counts()[0] == 4
    assert mode(samples_copy) == 0o700
    assert private_files(samples_copy) == []


# --- `next` never leaves the site -----------------------------------------------------------------

HOSTILE = ["//evil.example", "//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)",
           "/\r\nSet-Cookie:x", "evil.example", "http:/evil.example"]


@pytest.mark.parametrize("target", HOSTILE)
def test_marking_reviewed_never_redirects_off_the_site(accounts, client, target):
    c = log_in(client, EDITOR)
    r = c.post("/issues/2018-002/reviewed", data={"csrf_token": csrf(c.get("/review")), "next": target})
    assert r.status_code == 303
    assert r.headers["Location"].startswith("/") and not r.headers["Location"].startswith(("//", "/\\"))
    assert "evil" not in r.headers["Location"]


def test_marking_reviewed_goes_back_to_a_page_of_the_site(accounts, client):
    c = log_in(client, EDITOR)
    r = c.post("/issues/2018-002/reviewed", data={"csrf_token": csrf(c.get("/review")), "next": "/issues/2018-002"})
    assert r.headers["Location"] == "/issues/2018-002"


def test_every_next_the_web_reads_goes_through_the_one_helper():
    """A `next` read from a request anywhere in web/ is passed to safe_next straight away."""
    reads = []
    for path in WEB.glob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in re.finditer(r"""request\.(?:form|args|values)\.get\(["']next["']""", line):
                reads.append((path.name, n, line[:m.start()].rstrip().endswith("safe_next(")))
    assert reads, "the scan found no `next` at all"
    assert all(ok for _, _, ok in reads), [r for r in reads if not r[2]]


# --- the history names editors to editors only ----------------------------------------------------

def corrected(client):
    c = log_in(client, EDITOR)
    page = c.get("/items/2021-005-003")
    version = re.search(r'name="version" value="([^"]+)"', html(page)).group(1)
    r = c.post("/items/2021-005-003/edit", data={"csrf_token": csrf(page), "op": "set", "field": "heading",
                                                 "value": "改过的标题", "version": version})
    assert r.status_code == 303
    c.post("/logout", data={"csrf_token": csrf(c.get("/login"))})


def test_the_history_names_editors_to_editors_only(accounts, app, client):
    corrected(client)
    anonymous = client.get("/api/items/2021-005-003/history")
    assert anonymous.status_code == 200
    entries = anonymous.get_json()["corrections"]
    assert entries and entries[0]["after"] == "改过的标题"
    assert EDITOR not in anonymous.get_data(as_text=True)
    assert all(e["who"] is None for e in entries)
    assert EDITOR not in html(client.get("/items/2021-005-003"))
    reader = log_in(app.test_client(), READER)
    assert EDITOR not in reader.get("/api/items/2021-005-003/history").get_data(as_text=True)
    assert EDITOR not in html(reader.get("/items/2021-005-003"))
    editor = log_in(app.test_client(), EDITOR)
    assert editor.get("/api/items/2021-005-003/history").get_json()["corrections"][0]["who"] == EDITOR
    assert EDITOR in html(editor.get("/items/2021-005-003"))


def test_who_marked_an_issue_reviewed_is_shown_to_editors_only(accounts, app, client):
    from archive.store import DataDir
    with DataDir(app.config["DATA_DIR"]).records() as records:  # an issue the importer flagged
        records.conn.execute("UPDATE issues SET needs_review = 1, review_reasons = '[{\"kind\": \"no_sections\"}]'"
                             " WHERE id = '2018-002'")
    c = log_in(app.test_client(), EDITOR)
    assert c.post("/issues/2018-002/reviewed", data={"csrf_token": csrf(c.get("/review"))}).status_code == 303
    assert "已审核" in html(c.get("/issues/2018-002")) and EDITOR in html(c.get("/issues/2018-002"))
    page = html(client.get("/issues/2018-002"))
    assert "已审核" in page and EDITOR not in page
