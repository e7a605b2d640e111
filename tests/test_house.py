"""The house's plan, checked: a folder per stage in data-flow order, no import running back up the
flow, no module much over 400 lines."""
import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "archive"
MAX_LINES = 420  # "~400"

# Where each part sits in the flow; a module may import only from its own level or lower ones.
LEVELS = {
    "archive.chars": 0, "archive.children": 0, "archive.files": 0, "archive.errors": 0, "archive.model": 0, "archive.messages": 0,
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
    return imported_from_tree(name, path, ast.parse(path.read_text(encoding="utf-8")))


def imported_from_tree(name: str, path: Path, tree) -> set[str]:
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("archive"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("archive"):
                continue
            if node.module is None:  # from . import schema: the submodules named
                out.update(f"{target}.{a.name}" for a in node.names)
            else:
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


def test_the_kernel_holds_at_most_six_modules():
    """src/archive/ itself keeps only what every stage shares; the rest lives in its stage's room."""
    kernel = sorted(p.name for p in SRC.glob("*.py") if p.name != "__init__.py")
    assert len(kernel) <= 6, kernel


SQL = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE)\b", re.I | re.S)


@pytest.mark.parametrize(("name", "path"), list(modules()), ids=lambda v: v if isinstance(v, str) else "")
def test_sql_lives_only_in_the_store(name, path):
    """One SQL door: every statement is in store/ (Records and its repositories, schema, accounts)."""
    if name.startswith("archive.store"):
        return
    strings = [n.value for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert not [s for s in strings if SQL.search(s)], name


def test_no_circle_between_modules_at_import_time():
    """Module-level imports form no circle (store.records ↔ store.correction_records was one)."""
    graph = {}
    for name, path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
        mod = ast.Module(body=top, type_ignores=[])  # imports inside functions run later: no circle
        graph[name] = {t for t in imported_from_tree(name, path, mod) if t != name}
    seen, stack = set(), []

    def visit(n):
        if n in stack:
            raise AssertionError("import circle: " + " → ".join(stack[stack.index(n):] + [n]))
        if n in seen:
            return
        stack.append(n)
        for m in graph.get(n, ()):
            visit(m)
        stack.pop()
        seen.add(n)
    for n in graph:
        visit(n)


def test_the_stage_table_names_every_module():
    """docs/architecture.md's stage table names every module (issue 19: a newcomer finds each one)."""
    src = Path(__file__).parents[1] / "src" / "archive"
    table = (Path(__file__).parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    modules = sorted(str(p.relative_to(src)) for p in src.rglob("*.py")
                     if p.name != "__init__.py" and "docs" not in p.relative_to(src).parts)
    assert modules and [m for m in modules if f"`{m}`" not in table] == []


def test_scripts_import_their_own_modules_by_package():
    """scripts/ runs as modules (`python -m scripts.fixtures.render_shapes`): a script's own modules are
    imported as scripts.… or relatively, never by a bare name that only resolved when the script's folder
    was on sys.path (`from shapes.office import …` inside a function broke every producer but one)."""
    scripts = Path(__file__).resolve().parent.parent / "scripts"
    own = {p.stem for p in scripts.rglob("*.py")} | {p.name for p in scripts.rglob("*") if p.is_dir()}
    bare = []
    for path in scripts.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else [])
            bare += [f"{path.relative_to(scripts)}:{node.lineno} {n}" for n in names if n.split(".")[0] in own - {"scripts"}]
    assert bare == []
