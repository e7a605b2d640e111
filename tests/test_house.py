"""The house's plan, checked: a folder per stage in data-flow order, no import running back up the
flow, no module much over 400 lines."""
import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "archive"
MAX_LINES = 420  # "~400"

# Where each part sits in the flow; a module may import only from its own level or lower ones.
LEVELS = {
    "archive.chars": 0, "archive.files": 0, "archive.errors": 0, "archive.model": 0, "archive.messages": 0,
    "archive.settings": 0,
    "archive.ingest": 1,
    "archive.store": 2,
    "archive.search": 3,
    "archive.report": 4, "archive.service": 4,
    "archive.web": 5,
    "archive.cli": 6,
}


def modules():
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path


def level(name: str) -> int:
    if name == "archive":  # the package's own __init__
        return 0
    for prefix in sorted(LEVELS, key=len, reverse=True):
        if name == prefix or name.startswith(prefix + "."):
            return LEVELS[prefix]
    raise AssertionError(f"{name} has no place in the flow: add it to LEVELS")


def imported(name: str, path: Path) -> set[str]:
    """The archive modules a module imports (absolute, and relative resolved against its package)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("archive"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("archive"):
                out.add(target)
    return out


@pytest.mark.parametrize(("name", "path"), list(modules()), ids=lambda v: v if isinstance(v, str) else "")
def test_no_import_runs_back_up_the_flow(name, path):
    mine = level(name)
    later = sorted(t for t in imported(name, path) if t != "archive" and level(t) > mine)
    assert later == [], f"{name} (level {mine}) imports from later stages: {later}"


@pytest.mark.parametrize(("name", "path"), list(modules()), ids=lambda v: v if isinstance(v, str) else "")
def test_no_module_is_too_long(name, path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name}: {lines} lines"


def test_the_checker_sees_a_bad_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from ..web import create_app\nimport archive.cli.main\n")
    assert imported("archive.ingest.bad", bad) == {"archive.web", "archive.cli.main"}
    assert level("archive.web") > level("archive.ingest.bad")
