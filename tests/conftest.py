import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


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


def load_truth(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


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


@pytest.fixture
def app(samples_copy):
    from archive.web import create_app
    app = create_app({"TESTING": True, "DATA_DIR": str(samples_copy), "SECRET_KEY": "test", "ADMIN_TOKEN": None})
    yield app
    app.extensions["archive.jobs"].close(kill=True)
    app.extensions["archive.renderer"].close()
    app.extensions["archive.search"].close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def app_cli(app):
    """The archive CLI on the app's data folder: app_cli("search", "党史") → click Result."""
    from archive.cli.main import cli
    cli_runner = CliRunner()

    def run(*args):
        return cli_runner.invoke(cli, ["--data", str(app.config["DATA_DIR"]), *map(str, args)],
                                 catch_exceptions=False)
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
