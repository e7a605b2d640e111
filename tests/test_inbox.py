"""Issue 24 §2: a watched inbox — each file that appears is imported once complete (bounded as a
web import), then moved to 已导入/ or 未导入/ with a note of what became of it; restarts lose
nothing and import nothing twice."""
import shutil
import threading
import time
from pathlib import Path

import pytest

from webtools import NEW_ISSUE, sample_files

NOT_A_PDF = Path(__file__)


def issues(data) -> list[str]:
    from archive.store import DataDir
    with DataDir(data).records() as records:
        return records.issue_ids()


def test_once_imports_files_away_and_notes_why(archive, data_dir, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    good = sample_files()[0]
    shutil.copy(good, inbox / "a-期刊.pdf")
    shutil.copy(NOT_A_PDF, inbox / "b-坏文件.pdf")
    shutil.copy(good, inbox / "c-同一期.pdf")  # the same bytes under another name
    result = archive("watch", inbox, "--once", "--settle", "0.3")
    assert result.exit_code == 1, result.output  # one file refused
    assert sorted(p.name for p in inbox.iterdir()) == ["已导入", "未导入"]
    assert sorted(p.name for p in (inbox / "已导入").iterdir()) == ["a-期刊.pdf", "a-期刊.pdf.txt", "c-同一期.pdf",
                                                                  "c-同一期.pdf.txt"]
    assert sorted(p.name for p in (inbox / "未导入").iterdir()) == ["b-坏文件.pdf", "b-坏文件.pdf.txt"]
    issue = good.stem  # the samples are named by their issue
    assert (inbox / "已导入" / "a-期刊.pdf.txt").read_text(encoding="utf-8").startswith(f"a-期刊.pdf：已导入，期号 {issue}")
    assert (inbox / "已导入" / "c-同一期.pdf.txt").read_text(encoding="utf-8").startswith(
        f"c-同一期.pdf：此前已导入，期号 {issue}")
    # the refusal's note is the command line's Chinese line for it
    from archive.messages import say, ERROR_CN
    assert (inbox / "未导入" / "b-坏文件.pdf.txt").read_text(encoding="utf-8").strip() == \
        say("import.refused", "zh", path="b-坏文件.pdf", why=ERROR_CN["not_pdf"]({}))
    assert (inbox / "已导入" / "a-期刊.pdf").read_bytes() == good.read_bytes()
    assert issues(data_dir) == [issue]
    assert "imported as" in result.output and "b-坏文件.pdf: refused: not a PDF" in result.output
    # a restart: a file left in the folder is processed; the same bytes again import nothing twice
    shutil.copy(good, inbox / "a-期刊.pdf")
    shutil.copy(NEW_ISSUE, inbox / "d-新一期.pdf")
    again = archive("watch", inbox, "--once", "--settle", "0.3")
    assert again.exit_code == 0, again.output
    assert (inbox / "已导入" / "a-期刊 (2).pdf").exists()
    assert "此前已导入" in (inbox / "已导入" / "a-期刊 (2).pdf.txt").read_text(encoding="utf-8")
    assert issues(data_dir) == sorted([issue, "2024-001"])
    assert not [p for p in inbox.iterdir() if p.is_file()]


@pytest.mark.parametrize("poll", [False, True], ids=["inotify", "polling"])
def test_a_file_copied_in_slowly_is_imported_once_when_complete(data_dir, tmp_path, poll):
    from archive.service.inbox import Inbox
    from archive.service.jobs import JobQueue
    from archive.store import DataDir
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    datadir = DataDir(data_dir)
    datadir.records().close()
    seen = []
    watcher = Inbox(inbox, datadir, settle_s=1.0, poll=poll, on_result=seen.append)
    stop = threading.Event()
    thread = watcher.start(stop)
    try:
        data = NEW_ISSUE.read_bytes()
        target = inbox / "新一期.pdf"
        chunk = len(data) // 4 + 1
        with open(target, "wb") as fh:  # a slow copy: a chunk every 0.4 s (less than the settle interval)
            for k in range(0, len(data), chunk):
                fh.write(data[k:k + chunk])
                fh.flush()
                time.sleep(0.4)
                assert target.exists() and not seen and not JobQueue(datadir).ids(), "taken before it was complete"
        deadline = time.monotonic() + 120
        while not (inbox / "已导入" / "新一期.pdf.txt").exists():
            assert time.monotonic() < deadline, "not imported within 120 s"
            assert not (inbox / "未导入").exists(), list((inbox / "未导入").iterdir())
            time.sleep(0.2)
        time.sleep(1.5)  # a while longer (one and a half settle intervals): nothing is imported twice
    finally:
        stop.set()
        thread.join(timeout=30)
    assert [r.status for r in seen] == ["imported"] and seen[0].issue_id == "2024-001"
    assert not target.exists() and (inbox / "已导入" / "新一期.pdf").read_bytes() == data
    assert "已导入，期号 2024-001" in (inbox / "已导入" / "新一期.pdf.txt").read_text(encoding="utf-8")
    assert issues(data_dir) == ["2024-001"]


def test_serve_with_an_inbox_imports_beside_the_server(data_dir, tmp_path, monkeypatch):
    """`archive serve --inbox DIR`: the inbox runs in a thread of the server, its files through the
    server's own import worker; it stops with the server."""
    from click.testing import CliRunner

    from archive.cli.main import cli
    from archive.web import serving
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(NEW_ISSUE, inbox / "新一期.pdf")

    class Server:  # stands for waitress: "serves" until the inbox has filed its file
        def run(self):
            deadline = time.monotonic() + 120
            while not (inbox / "已导入" / "新一期.pdf.txt").exists():
                assert time.monotonic() < deadline, "the inbox imported nothing while the server ran"
                time.sleep(0.2)
    monkeypatch.setattr(serving, "make_server", lambda app, host, port, threads: Server())
    result = CliRunner().invoke(cli, ["--data", str(data_dir), "serve", "--inbox", str(inbox), "--poll"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert issues(data_dir) == ["2024-001"]
    assert [p.name for p in (inbox / "已导入").iterdir() if p.suffix == ".pdf"] == ["新一期.pdf"]
