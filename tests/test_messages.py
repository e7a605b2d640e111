"""One message catalog (archive/messages: zh and en, the same keys): the command line speaks
Chinese by default and English with --lang en; no library's English reaches a user; an unknown
failure is one Chinese line with a reference the log holds with its traceback."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli.main import cli
from archive.messages import en, say, zh

CJK = re.compile(r"[\u4e00-\u9fff]")
FIXTURES = Path(__file__).parent / "fixtures"


def test_both_catalogs_hold_the_same_keys():
    assert set(zh.LINES) == set(en.LINES) and set(zh.ERRORS) == set(en.ERRORS) and set(zh.REVIEWS) == set(en.REVIEWS)


@pytest.mark.parametrize("key", sorted(zh.LINES))
def test_every_line_formats_in_both_languages(key):
    fields = set(re.findall(r"{(\w+)", zh.LINES[key])) | set(re.findall(r"{(\w+)", en.LINES[key]))
    params = {f: "x" for f in fields}
    assert say(key, "zh", **params) and say(key, "en", **params)
    assert set(re.findall(r"{(\w+)", zh.LINES[key])) == set(re.findall(r"{(\w+)", en.LINES[key])), key


@pytest.fixture
def cli_zh(monkeypatch, tmp_path):
    monkeypatch.delenv("ARCHIVE_LANG", raising=False)

    def run(*args):
        return CliRunner().invoke(cli, ["--data", str(tmp_path / "data"), *map(str, args)])
    return run


def test_the_command_line_speaks_chinese_by_default_and_english_when_asked(cli_zh, tmp_path):
    (tmp_path / "x.pdf").write_bytes(b"not a pdf at all")
    r = cli_zh("import", tmp_path / "x.pdf")
    assert r.exit_code == 1 and "未导入" in r.output and "不是 PDF 文件" in r.output and "refused" not in r.output
    r = cli_zh("--lang", "en", "import", tmp_path / "x.pdf")
    assert r.exit_code == 1 and "refused: not a PDF" in r.output
    r = cli_zh("check")
    assert r.exit_code == 0 and r.output.startswith("正常：")
    r = cli_zh("search", "year:20x")
    assert r.exit_code == 2 and "错误：年份“20x”无法识别" in r.output


@pytest.mark.parametrize(("args", "expected"), [
    (["--nope"], "没有这个选项：--nope"),
    (["import"], "缺少参数"),
    (["report", "x", "--format", "pdf"], "--format 的值“pdf”无效，可选：docx、xlsx、csv、md"),
    (["import", "--jobs", "x", "a"], "--jobs 应为整数"),
    (["searc"], "没有这个命令：searc（是否要找 search"),
])
def test_usage_errors_are_worded_in_chinese(cli_zh, args, expected):
    r = cli_zh(*args)
    assert r.exit_code == 2 and "用法有误：" in r.output and expected in r.output, r.output


@pytest.mark.parametrize(("make", "english"), [
    (lambda p: p.write_bytes((FIXTURES / "newsletter" / "2021-005.pdf").read_bytes()[:4000]),
     ("Stream has ended", "EOF marker", "startxref")),
])
def test_a_broken_file_is_refused_without_the_librarys_english(cli_zh, tmp_path, make, english):
    """Seen: a truncated PDF refused with 「(Stream has ended unexpectedly)」."""
    bad = tmp_path / "cut.pdf"
    make(bad)
    r = cli_zh("import", bad)
    assert r.exit_code == 1 and "未导入" in r.output and not any(e in r.output for e in english), r.output


def test_an_unknown_unit_suggests_the_closest_names(cli_zh):
    """Seen: `--unit 兰州` said no such unit with no suggestion."""
    from archive.errors import ReportError
    from archive.messages import error_text
    from archive.report.build import known_unit
    from archive.ingest.units import Registry
    with pytest.raises(ReportError) as exc:
        known_unit(_NoItems(), Registry.load(), "兰州")
    assert "兰州铝业" in exc.value.params["suggestions"]
    assert "是否要找：兰州铝业" in error_text(exc.value, "zh")
    assert "did you mean 兰州铝业" in en.ERRORS["unknown_unit"](exc.value.params)


class _NoItems:
    def unit_canonical(self, name):
        return None

    def unit_counts(self):
        return []


def test_report_without_o_writes_a_named_file_here_and_says_where(cli_zh, tmp_path, monkeypatch):
    """Seen: `report` without -o failed though its help said the name defaults."""
    monkeypatch.chdir(tmp_path)
    r = cli_zh("report", "党史")
    assert r.exit_code == 0, r.output
    written = list(tmp_path.glob("*.docx"))
    assert [p.name for p in written] == ["党史-检索结果.docx"] and str(written[0]) in r.output
    assert cli_zh("report", "党史").exit_code == 0
    assert sorted(p.name for p in tmp_path.glob("*.docx")) == ["党史-检索结果 (2).docx", "党史-检索结果.docx"]


def test_an_unknown_failure_is_one_chinese_line_with_a_reference_in_the_log(tmp_path):
    code = ("import sys; from archive.cli import main as m; from archive.service import checking\n"
            "checking.check = lambda *a: 1 / 0\n"
            "sys.argv = ['archive', '--data', sys.argv[1], 'check']; m.main()")
    env = {k: v for k, v in __import__("os").environ.items() if k != "ARCHIVE_LANG"}
    (tmp_path / "data").mkdir()
    r = subprocess.run([sys.executable, "-c", code, str(tmp_path / "data")], capture_output=True, text=True, env=env)
    assert r.returncode == 1
    ref = re.search(r"错误编号 ([0-9a-f]{8})", r.stderr)
    assert ref and "Traceback" not in r.stderr and "ZeroDivisionError" not in r.stderr, r.stderr
    log = (tmp_path / "data" / "logs" / "archive.log").read_text(encoding="utf-8")
    assert ref.group(1) in log and "ZeroDivisionError" in log and "Traceback" in log


def test_a_bad_date_on_a_unit_page_shows_the_form_again_with_the_field_marked(client):
    """Seen: a unit page with date 2021-13 gave a bare 「400」 page."""
    r = client.get("/units/云铝文山?from=2021-13&to=2021-12")
    page = r.get_data(as_text=True)
    assert r.status_code == 400 and 'id="date-error"' in page and "2021-13" in page
    assert 'name="from" value="2021-13"' in page and page.count('aria-invalid="true"') == 1
    assert "活动" in page  # the unit's page, not an error page
    r = client.get("/units/云铝文山?from=2021-06&to=2021-01")  # each a date, running backwards: both marked
    assert r.status_code == 400 and r.get_data(as_text=True).count('aria-invalid="true"') == 2


def test_the_conflict_page_words_the_change():
    """Seen: the 409 page showed 「set · heading」."""
    from archive.messages import change_words
    assert change_words("set", "heading") == "修改 标题" and change_words("merge") == "与下一条合并"
    assert change_words("set", "heading", "en") == "set heading"


def test_an_english_browser_gets_the_errors_in_english(client):
    r = client.get("/api/search?q=year:20x", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert r.status_code == 400 and r.get_json()["error"].startswith("bad year")
    r = client.get("/api/search?q=year:20x", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert "年份" in r.get_json()["error"]
