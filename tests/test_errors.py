"""Error kinds are data: one closed list (errors.Kind) with each kind's HTTP status and exit code,
every kind raised in the code is on it, and every kind has its wording in the catalog."""
import ast
import inspect
from pathlib import Path

import pytest

from archive import errors
from archive.errors import ArchiveError, Kind
from archive.messages import ERROR_CN, error_cn

SRC = Path(__file__).resolve().parent.parent / "src" / "archive"
ERROR_CLASSES = {name for name, cls in inspect.getmembers(errors, inspect.isclass) if issubclass(cls, ArchiveError)}


def raised_kinds():
    """(where, kind) for every ArchiveError made in the code with a kind written out."""
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name not in ERROR_CLASSES | {"bad"}:
                continue
            kinds = [a for a in node.args[1:2]] + [k.value for k in node.keywords if k.arg == "kind"]
            for k in kinds:
                if isinstance(k, ast.Constant) and isinstance(k.value, str):
                    yield f"{path.relative_to(SRC)}:{node.lineno}", k.value


def test_the_code_raises_only_listed_kinds():
    found = list(raised_kinds())
    assert len(found) > 60  # the scan sees the raise sites
    unknown = [(where, k) for where, k in found if k not in Kind._value2member_map_]
    assert unknown == []


@pytest.mark.parametrize("kind", list(Kind), ids=str)
def test_every_kind_is_worded_in_chinese(kind):
    assert kind.value in ERROR_CN
    text = error_cn(ArchiveError("x", kind))
    assert any("\u4e00" <= c <= "\u9fff" for c in text) and "请求未能完成" not in text


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        ArchiveError("x", "no_such_kind")


@pytest.mark.parametrize(("kind", "status", "code"), [
    ("not_pdf", 422, 1), ("duplicate", 409, 1), ("not_found", 404, 2), ("stale_form", 409, 1),
    ("bad_year", 400, 2), ("index_unavailable", 503, 1), ("render_busy", 503, 1), ("too_large", 413, 1),
])
def test_each_kind_carries_its_status_and_exit_code(kind, status, code):
    exc = ArchiveError("x", kind)
    assert (exc.status, exc.exit_code, exc.kind == kind) == (status, code, True)


def test_the_catalog_has_no_stale_keys():
    assert set(ERROR_CN) == set(Kind._value2member_map_)
