"""The web import's job queue and worker (archive.service.jobs): the CLI's importer in a process of its own,
with a memory cap and wall-time deadlines, writing progress page by page into the job file."""
import json
import subprocess
import sys
import time

import pytest

import hostile
from archive.service import jobs
from archive.store import DataDir
from archive.web.jobview import job_view
from conftest import FIXTURES
from webtools import NEW_ISSUE, sample_files

SCAN = FIXTURES / "real" / "SCAN_amac_disciplinary_decision.pdf"


@pytest.fixture
def queue(data_dir_sharing_ocr):
    return jobs.JobQueue(DataDir(data_dir_sharing_ocr))  # the real scan is recognised once a run (conftest)


def copy_of(path):
    return lambda dest: dest.write_bytes(path.read_bytes())


def bytes_of(data):
    return lambda dest: dest.write_bytes(data)


def test_submit_writes_the_job_whole_or_not_at_all(queue):
    job = queue.submit([("a.pdf", copy_of(NEW_ISSUE)), ("b.pdf", bytes_of(b"%PDF-"))])
    assert queue.pending() == [job["id"]]
    stored = queue.read(job["id"])
    assert [f["name"] for f in stored["files"]] == ["a.pdf", "b.pdf"]
    assert (queue.folder(job["id"]) / "files" / "001.pdf").read_bytes() == NEW_ISSUE.read_bytes()

    def broken(dest):
        raise OSError("disk full")
    with pytest.raises(OSError):
        queue.submit([("c.pdf", copy_of(NEW_ISSUE)), ("d.pdf", broken)])
    assert queue.ids() == [job["id"]] and not list(queue.root.glob(".new-*"))
    with pytest.raises(KeyError):
        queue.folder("../../etc")


def test_progress_is_written_as_the_pages_are_read(queue, monkeypatch):
    job = queue.submit([("new.pdf", copy_of(NEW_ISSUE))])
    seen = []
    write = jobs.JobQueue.write

    def recording(self, j):
        f = j["files"][0]
        seen.append((j["state"], f["state"], f["pages"], f["pages_done"]))
        write(self, j)
    monkeypatch.setattr(jobs.JobQueue, "write", recording)
    monkeypatch.setattr(jobs, "PROGRESS_EVERY_S", 0.0)  # every page, to see each one
    assert jobs.run_worker(queue.datadir, memory_mb=None) == 1
    pages = queue.read(job["id"])["files"][0]["pages"]
    reading = [s for s in seen if s[1] == "reading"]
    assert reading[0] == ("running", "reading", None, 0)  # checking the file: pages not known yet
    assert [s[3] for s in reading[1:]] == list(range(pages + 1))  # the count, then every page
    assert seen[-1][:2] == ("done", "done")
    view = job_view(queue.read(job["id"]))
    assert view["files"][0]["status_cn"] == "已导入" and view["files"][0]["progress"] == f"共 {pages} 页，均为文字层"
    assert not (queue.folder(job["id"]) / "files").exists()  # the upload is not kept once imported


def test_a_scan_shows_its_pages_read_by_ocr(queue, monkeypatch):
    job = queue.submit([("scan.pdf", copy_of(SCAN))])
    during = []
    write = jobs.JobQueue.write

    def recording(self, j):
        f = j["files"][0]
        if f["state"] == "reading" and f["pages_done"]:
            during.append(job_view(j)["files"][0]["progress"])
        write(self, j)
    monkeypatch.setattr(jobs.JobQueue, "write", recording)
    jobs.run_worker(queue.datadir, memory_mb=None)
    f = queue.read(job["id"])["files"][0]
    assert f["result"]["status"] == "imported" and f["ocr_pages"] == f["pages"] == f["result"]["ocr_pages"] >= 1
    assert during and all("其中文字识别（OCR）" in p for p in during)
    assert job_view(queue.read(job["id"]))["files"][0]["progress"].endswith(f"文字识别（OCR）{f['pages']} 页")


def test_pages_read_from_the_ocr_cache_count_as_read_by_ocr(queue):
    """Regression: a scan whose pages were recognised before (in the data folder's OCR cache: a
    re-import, a replace, a reparse) was counted by the pages sent to the engine, so the job said
    "OCR 0 pages" while reading and kept fewer than its result's ocr_pages."""
    from archive.ingest import ocr
    from archive.ingest.parse import parse_issues
    from archive.ingest.units import Registry
    if ocr.available() is not None:
        pytest.skip(f"OCR not installed: {ocr.available()}")
    parse_issues(SCAN.read_bytes(), Registry.load(), ocr_cache=queue.datadir.ocr_cache)  # every page cached
    job = queue.submit([("scan.pdf", copy_of(SCAN))])
    jobs.run_worker(queue.datadir, memory_mb=None)
    f = queue.read(job["id"])["files"][0]
    assert f["result"]["status"] == "imported" and f["ocr_pages"] == f["pages"] == f["result"]["ocr_pages"] >= 1


def test_the_memory_cap_refuses_a_file_and_the_worker_goes_on(queue):
    """A worker capped at 160 MB of address space: a content stream of 60 MB (within the inflate
    limit) cannot be read in it, is refused for its memory, and the next file is imported."""
    big = hostile.one_page(hostile.stream(hostile.deflate_bomb_stream(60), b"/Filter /FlateDecode"))
    job = queue.submit([("big.pdf", bytes_of(big)), ("new.pdf", copy_of(NEW_ISSUE))])
    run = subprocess.run([sys.executable, "-m", "archive.service.jobs", "--data", str(queue.datadir.root), "--memory-mb",
                          "160"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    files = job_view(queue.read(job["id"]))["files"]
    assert [(f["status"], f["kind"]) for f in files] == [("refused", "memory"), ("imported", None)]
    assert files[0]["message"] == "读取此文件所需的内存超过了导入进程的上限，已放弃"


def stuck_job(queue, deadline):
    """A job as a worker leaves it when it is killed while reading its first file."""
    job = queue.submit([("slow.pdf", copy_of(NEW_ISSUE)), ("next.pdf", copy_of(sample_files()[0]))])
    job = queue.read(job["id"])
    job["state"] = "running"
    job["files"][0].update(state="reading", pages=4, limit_s=140, deadline=deadline)
    queue.write(job)
    return job


def test_the_supervisor_kills_a_worker_past_the_deadline_and_the_next_one_says_why(queue):
    job = stuck_job(queue, time.time() - 1)
    supervisor = jobs.Supervisor(queue.datadir)
    stand_in = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])  # a worker stuck in C code
    try:
        assert supervisor.stop_overdue(stand_in)
    finally:
        stand_in.kill()
    assert stand_in.poll() is not None
    assert json.loads((queue.folder(job["id"]) / "stopped.json").read_text()) == {"file": 0, "kind": "timeout",
                                                                                 "seconds": 140}
    jobs.run_worker(queue.datadir, memory_mb=None)  # the worker started again
    files = job_view(queue.read(job["id"]))["files"]
    assert [(f["status"], f["kind"]) for f in files] == [("refused", "timeout"), ("imported", None)]
    assert files[0]["message"] == "读取超过 140 秒仍未完成，已放弃"


def test_a_worker_gone_without_a_word_reads_the_file_again_once(queue):
    """Killed from outside (kill -9, a restart): the upload is not lost, the file is read again."""
    job = stuck_job(queue, time.time() + 600)
    assert not jobs.Supervisor(queue.datadir).stop_overdue(subprocess.Popen(["true"]))  # not overdue: left alone
    jobs.run_worker(queue.datadir, memory_mb=512)
    files = job_view(queue.read(job["id"]))["files"]
    assert [(f["status"], f["kind"]) for f in files] == [("imported", None), ("imported", None)]


def test_a_file_that_takes_its_worker_down_twice_is_reported(queue):
    job = stuck_job(queue, time.time() + 600)
    job["files"][0]["attempts"] = jobs.ATTEMPTS  # its second reading, too, ended with the worker
    queue.write(job)
    jobs.run_worker(queue.datadir, memory_mb=512)
    f = job_view(queue.read(job["id"]))["files"][0]
    assert f["kind"] == "worker_stopped" and "内存上限 512 MB" in f["message"]


@pytest.mark.parametrize("why", ["timeout", "twice"])
def test_a_file_stored_before_its_worker_was_stopped_is_reported_stored(queue, why):
    """Stopped between its commit and the job's record of it (the soak's one lost issue): the issue
    is in the archive, so the result says so, not a refusal that hides what was kept."""
    from archive.service.importing import Importer, ImportOptions
    job = stuck_job(queue, time.time() - 1 if why == "timeout" else time.time() + 600)
    if why == "timeout":
        (queue.folder(job["id"]) / "stopped.json").write_text(json.dumps({"file": 0, "kind": "timeout", "seconds": 140}))
    else:
        job["files"][0]["attempts"] = jobs.ATTEMPTS
        queue.write(job)
    with queue.datadir.records() as records:  # what the stopped worker had committed
        [stored] = Importer(records, queue.datadir, ImportOptions()).import_bytes(NEW_ISSUE.read_bytes(), "slow.pdf")
    jobs.run_worker(queue.datadir, memory_mb=512)
    files = job_view(queue.read(job["id"]))["files"]
    assert [(f["status"], f["issue"]) for f in files][0] == ("already imported", stored.issue_id)
    assert not (queue.folder(job["id"]) / "stopped.json").exists()


def test_one_worker_per_data_folder(queue):
    job = queue.submit([("a.pdf", copy_of(NEW_ISSUE))])
    with jobs.worker_lock(queue.root, 1.0) as mine:
        assert mine
        assert jobs.run_worker(queue.datadir, memory_mb=None, lock_wait_s=0.2) == 0  # another holds it
    assert queue.read(job["id"])["state"] == "queued"
    assert jobs.run_worker(queue.datadir, memory_mb=None) == 1


def test_the_supervisor_runs_the_worker_only_while_there_is_work(queue):
    supervisor = jobs.Supervisor(queue.datadir, poll_s=0.1)
    job = queue.submit([("a.pdf", copy_of(NEW_ISSUE))])
    supervisor.wake()
    deadline = time.monotonic() + 60
    while queue.pending() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert queue.read(job["id"])["files"][0]["result"]["status"] == "imported"
    supervisor.proc.wait(timeout=20)  # the queue is empty: the worker (and any OCR model) is gone
    assert supervisor.proc.returncode == 0
    supervisor.close()


def test_old_jobs_are_pruned(queue):
    for n in range(4):
        queue.submit([(f"{n}.pdf", bytes_of(b"x"))])
    jobs.run_worker(queue.datadir, memory_mb=None)
    assert len(queue.ids()) == 4
    queue.prune(keep=2)
    assert len(queue.ids()) == 2 and all(j["state"] == "done" for j in queue.recent())


def test_the_workers_import_has_the_clis_time_limit(queue, monkeypatch):
    """A web import ran in a server thread, where SIGALRM cannot fire: no time limit at all. The
    worker runs the importer in its main thread, so the CLI's limit applies (and the supervisor's
    deadline behind it)."""
    from archive.service import importing as importer
    monkeypatch.setattr(importer, "TIME_BASE_S", 0.3)
    monkeypatch.setattr(importer, "TIME_PER_PAGE_S", 0.0)
    monkeypatch.setattr(importer, "parse_issues", lambda *a, **k: time.sleep(30))
    job = queue.submit([("slow.pdf", copy_of(NEW_ISSUE))])
    jobs.run_worker(queue.datadir, memory_mb=None)
    f = job_view(queue.read(job["id"]))["files"][0]
    assert (f["status"], f["kind"]) == ("refused", "timeout") and "秒仍未完成" in f["message"]


def test_the_worker_reads_with_the_reader_it_is_given(queue, monkeypatch):
    """ARCHIVE_PDF_READER reaches web imports too: main() passes settings.pdf_reader to run_worker."""
    import archive.service.importing as importing
    seen, real = [], importing.parse_issues
    monkeypatch.setattr(importing, "parse_issues", lambda *a, **k: seen.append(k.get("reader")) or real(*a, **k))
    job = queue.submit([("new.pdf", copy_of(NEW_ISSUE))])
    jobs.run_worker(queue.datadir, memory_mb=None, reader="pdfplumber")
    assert seen == ["pdfplumber"] and queue.read(job["id"])["files"][0]["result"]["status"] == "imported"


def test_a_stored_file_that_stops_its_worker_again_is_refused_in_the_end(queue):
    """`committed` lets a stopped file be read once more; stopped again after that, it is refused."""
    from archive.service.importing import Importer, ImportOptions
    job = stuck_job(queue, time.time() + 600)
    job["files"][0]["attempts"] = jobs.ATTEMPTS + 1  # read again after it was found stored, and stopped again
    queue.write(job)
    with queue.datadir.records() as records:
        Importer(records, queue.datadir, ImportOptions()).import_bytes(NEW_ISSUE.read_bytes(), "slow.pdf")
    jobs.run_worker(queue.datadir, memory_mb=512)
    f = job_view(queue.read(job["id"]))["files"][0]
    assert (f["status"], f["kind"]) == ("refused", "worker_stopped")
