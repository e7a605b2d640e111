import json
import re
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
    from archive.cli import cli

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
