import json
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

# The command line speaks Chinese by default; most tests read its English lines (and pass this on to
# the processes they start). tests/test_messages.py checks the Chinese default without it.
os.environ["ARCHIVE_LANG"] = "en"

import pytest
from click.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures"

# Markers (pyproject.toml registers them): `pytest -m "not slow"` is the edit–test loop (≤ 60 s);
# the whole suite runs in two processes (pytest-xdist, -n 2 in pyproject's addopts).
#   e2e   a real browser (tests/e2e)
#   ocr   runs the OCR models on a page
#   slow  either of those, or processes started, killed and waited for, or thousands of rows
OCR = {"test_scans", "test_ocr", "test_searchable_pdf", "test_real_documents::test_real_scan_is_read_and_found",
       "test_jobs::test_a_scan_shows_its_pages_read_by_ocr", "test_jobs::test_pages_read_from_the_ocr_cache",
       "test_hostile::test_a_scan_is_read_by_ocr_in_the_worker_not_the_server",
       "test_volumes::test_a_scanned_batch_is_cut_into_its_issues",
       "test_volumes::test_a_scanned_batch_issue_downloads",
       "test_outlines::test_print_shop_pdf_is_read_page_by_page", "test_photos::test_a_photographed_issue_gives",
       "test_photos::test_the_two_halves_of_a_photographed_page", "test_photos::test_a_photographed_page_keeps",
       "test_photos::test_the_page_view_draws_a_photographed_page", "test_photos::test_a_photographed_issue_downloads",
       "test_reader_parity::test_both_readers_give_the_same_records"}
SLOW = {"test_hostile", "test_jobs", "test_reliability", "test_real_documents", "test_pageimages",
        "test_report_writers::test_streaming_writers_hold_no_list", "test_report_writers::test_docx_converts_to_pdf",
        "test_query_bounds::test_fuzzed",
        "test_chronicle::test_the_chronicle_docx_as_libreoffice_draws_it",
        "test_web_import", "test_corrections::test_corrections_survive", "test_search::test_cli_",
        "test_ingest::test_parallel_import", "test_web::test_demo",
        "test_uploads_early::test_a_gigabyte", "test_uploads_early::test_a_refused_upload",
        "test_uploads_early::test_a_chunked_body", "test_uploads_early::test_the_server",
        "test_proxy::test_the_session", "test_proxy::test_redirects", "test_proxy::test_the_login_limit",
        "test_proxy::test_an_", "test_proxy::test_another_name", "test_render_failures::test_a_stored", "test_render_failures::test_a_failure",
        "test_backup::test_a_backup_during", "test_soak", "test_office_import", "test_inbox",
        "test_volumes::test_the_web_job_lists_each_issue", "test_volumes::test_parallel_import"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        module = Path(str(item.fspath)).stem
        name = f"{module}::{item.name}"
        if "e2e" in Path(str(item.fspath)).parts:
            item.add_marker("e2e")
            item.add_marker("slow")
        if any(name == k or name.startswith(k) or module == k for k in OCR):
            item.add_marker("ocr")
            item.add_marker("slow")
        elif any(name.startswith(k) or module == k for k in SLOW):
            item.add_marker("slow")
    # the longest modules first: xdist hands out files in this order, so the longest (the readers'
    # parity, which OCRs every scanned fixture for the run's shared cache; the browser's; the soak)
    # run beside the rest instead of alone at the end
    items.sort(key=lambda item: FIRST.index(Path(str(item.fspath)).stem) if Path(str(item.fspath)).stem in FIRST
               else len(FIRST))


FIRST = ("test_reader_parity", "test_a11y_e2e", "test_soak", "test_scans", "test_searchable_pdf", "test_jobs", "test_real_documents")


CHEAP_HASH = "pbkdf2:sha256:1000"  # scrypt costs ~0.1 s a hash, and hundreds of tests add accounts and log in


@pytest.fixture(autouse=True)
def cheap_password_hashes(request, monkeypatch):
    """Password hashes made cheaply in this process, but in tests marked `strong_hashes` (which see
    the real method: tests/test_cli_users.py). Processes a test starts hash as the product does."""
    if "strong_hashes" not in request.keywords:
        from archive.store import accounts
        monkeypatch.setattr(accounts, "HASH_METHOD", CHEAP_HASH)


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


# ---- one OCR cache for the run -------------------------------------------------------------------
# Several modules import the same scans (the real scan, scans/2016-006, the photo, the outlined and
# volume fixtures) to test what comes after OCR: records, downloads, jobs, readers. OCR results are
# cached per page image and settings (ingest/ocr.py: a hit gives what the engine gave), so those
# modules share one cache folder and a page is recognised once a run, not once a module (~1 s a page).
# Tests of OCR itself (test_ocr, the worker-placement test in test_hostile) keep their own caches.
# A test that fakes the engine (a monkeypatched recognise or reading) must not use it: what it
# wrote would be read back by every later module as the real page's text.

def shared_ocr_folder(tmp_path_factory) -> Path:
    """The run's OCR cache folder, the same for every xdist worker (their base folders' parent);
    module-scoped fixtures ask for it by this function."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "ocr-cache-shared"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def shared_ocr_cache(tmp_path_factory):
    return shared_ocr_folder(tmp_path_factory)


def share_ocr_cache(data: Path, shared: Path) -> Path:
    """Make data folder `data` (not yet made) keep its OCR results in `shared` (its ocr-cache a link)."""
    data.mkdir(parents=True, exist_ok=True)
    (data / "ocr-cache").symlink_to(shared, target_is_directory=True)
    return data


@pytest.fixture
def data_dir_sharing_ocr(tmp_path, shared_ocr_cache):
    """A data folder whose OCR cache is the run's (a module's `data_dir` where it imports scans)."""
    return share_ocr_cache(tmp_path / "data", shared_ocr_cache)


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def archive(runner, data_dir):
    """Run the CLI on a temporary data folder: archive("import", path) → click Result."""
    from archive.cli.main import cli

    def run(*args):
        return runner.invoke(cli, ["--data", str(data_dir), *map(str, args)], catch_exceptions=False)
    return run


def squash(text):
    return re.sub(r"\s+", "", (text or "").replace("\u00ad", ""))


def truth_items(truth):
    for section in truth["sections"]:
        for item in section["items"]:
            yield section["title"], item


def items_match(record, truth, max_cer):
    """One item per printed paragraph, each within `max_cer` of the truth's text (OCR's errors) and
    on its pages: the (found, truth) pairs."""
    from rapidfuzz.distance import Levenshtein
    got = [it for s in record["sections"] for it in s["items"]]
    want = [it for _, it in truth_items(truth)]
    assert len(got) == len(want)
    for g, t in zip(got, want):
        cer = Levenshtein.distance(squash(g["text"]), squash(t["text"])) / max(1, len(squash(t["text"])))
        assert cer <= max_cer, (t["text"][:20], g["text"][:40])
        assert (g["page_start"], g["page_end"]) == (t["page_start"], t["page_end"]), t["text"][:20]
    return list(zip(got, want))


def masthead_matches(record, truth):
    """The masthead's fields and the section titles are the truth's."""
    for field in ("year", "number", "total_number", "date", "publisher", "collection_period"):
        assert record[field] == truth[field], field
    assert [s["title"] for s in record["sections"]] == [s["title"] for s in truth["sections"]]


def load_truth(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def import_matches_truth(archive, pdf: Path) -> dict:
    """Import one fixture PDF into an empty data folder; its export matches the truth beside it."""
    truth = load_truth(pdf.with_name(pdf.stem + ".truth.json"))
    result = archive("import", pdf)
    assert result.exit_code == 0, result.output
    assert f"imported as {truth['id']}" in result.output, result.output
    [record] = json.loads(archive("export").output)
    assert_matches_truth(record, truth)
    return record


def assert_matches_truth(record, truth):
    """Every field the bulletin prints, as the truth has it (text compared without white space;
    number_end, special and an item's kind where the truth has them)."""
    for field in ("publication", "year", "number", "total_number", "date", "publisher", "collection_period",
                  "distribution", "cc", "email", "number_end", "special"):
        if field in truth or field not in ("number_end", "special"):
            assert squash(str(record[field])) == squash(str(truth.get(field))), field
    assert [s["title"] for s in record["sections"]] == [s["title"] for s in truth["sections"]]
    got = [(s["title"], it) for s in record["sections"] for it in s["items"]]
    want = list(truth_items(truth))
    assert len(got) == len(want)
    for (g_title, g), (t_title, t) in zip(got, want):
        assert g_title == t_title
        assert squash(g["text"]) == squash(t["text"])
        assert (g["page_start"], g["page_end"]) == (t["page_start"], t["page_end"]), t["text"][:20]
        for key in ("heading", "source", "author") + (("kind",) if "kind" in t else ()):
            assert squash(g[key]) == squash(t.get(key)), (key, t["text"][:20])
        units = set(t.get("units") or []) | ({t["unit"]} if t.get("unit") else set())
        assert set(g["units"]) == units, t["text"][:20]


# --- the web: the samples imported once, each test on a copy --------------------------------------

@pytest.fixture(scope="session")
def samples_data(tmp_path_factory):
    """The bundled samples imported once per session; tests get a copy."""
    from archive.messages import result_line
    from archive.service.importing import Importer
    from archive.store import DataDir
    from webtools import sample_files
    data = DataDir(tmp_path_factory.mktemp("web-samples") / "data")
    with data.records() as records:
        results = list(Importer(records, data).import_paths(sample_files()))
    assert [r.status for r in results] == ["imported"] * 4, [result_line(r) for r in results]
    return data.root


@pytest.fixture
def samples_copy(tmp_path, samples_data):
    dest = tmp_path / "data"
    shutil.copytree(samples_data, dest, symlinks=True)
    return dest


@contextmanager
def app_on(data: Path):
    """The web app on a data folder, closed after the block (its job supervisor, renderers, index)."""
    from archive.web import create_app
    app = create_app({"TESTING": True, "DATA_DIR": str(data), "SECRET_KEY": "test", "ADMIN_TOKEN": None})
    try:
        yield app
    finally:
        app.extensions["archive.jobs"].close(kill=True)
        app.extensions["archive.renderer"].close()
        app.extensions["archive.search"].close()


@pytest.fixture
def app(samples_copy):
    with app_on(samples_copy) as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def app_cli(app):
    """The archive CLI on the app's data folder: app_cli("search", "党史") → click Result."""
    return cli_on(app.config["DATA_DIR"])


def cli_on(data):
    """The archive CLI on a data folder, in this process: cli_on(folder)("search", "党史") → click Result."""
    from archive.cli.main import cli
    cli_runner = CliRunner()

    def run(*args):
        return cli_runner.invoke(cli, ["--data", str(data), *map(str, args)], catch_exceptions=False)
    return run


@pytest.fixture
def run(samples_copy):
    """The CLI on a copy of the samples, checking the exit code: run("history", ITEM, code=0)."""
    from archive.cli.main import cli
    runner = CliRunner()

    def go(*args, code=0):
        r = runner.invoke(cli, ["--data", str(samples_copy), *map(str, args)], catch_exceptions=False)
        assert r.exit_code == code, r.output
        return r
    return go


@pytest.fixture
def editor_app(app):
    from webtools import TOKEN
    app.config["ADMIN_TOKEN"] = TOKEN
    return app
