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
