import pickle

import pytest

from archive.search.analysis import BigramAnalyzer, UnigramAnalyzer, fold, needs_chars, normalized, query_tokens, tokens


@pytest.mark.parametrize(("text", "expected"), [
    ("党史学习教育", ["党史", "史学", "学习", "习教", "教育"]),
    ("党", ["党"]),  # a lone CJK character is a unigram
    ("党，史", ["党", "史"]),
    ("云铝 文山", ["云铝", "铝文", "文山"]),  # a space inside a CJK run is a layout artefact
    ("云铝\u3000文山", ["云铝", "铝文", "文山"]),
    ("捐款51680元", ["捐款", "51680", "元"]),
    ("4月16日", ["4", "月", "16", "日"]),
    ("ＥＲＰ系统", ["erp", "系统"]),  # full-width folds to half-width, lowercase
    ("５１６８０元", ["51680", "元"]),
    ("QC小组活动", ["qc", "小组", "组活", "活动"]),
    ("Quality Management", ["quality", "management"]),
    ("“党员先锋岗”！", ["党员", "员先", "先锋", "锋岗"]),
    ("", []),
    ("，。、", []),
])
def test_bigram_tokens(text, expected):
    assert tokens(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("党史学习", ["党", "史", "学", "习"]),
    ("捐款51680元", ["捐", "款", "51680", "元"]),
    ("ＱＣ小组", ["qc", "小", "组"]),
])
def test_unigram_tokens(text, expected):
    assert tokens(text, unigrams=True) == expected


def test_positions_are_token_positions_and_offsets_point_into_the_text():
    text = "党史 学习，ＥＲＰ系统"
    toks = [(t.text, t.pos, t.startchar, t.endchar)
            for t in BigramAnalyzer()(text, positions=True, chars=True)]
    assert toks == [("党史", 0, 0, 2), ("史学", 1, 1, 4), ("学习", 2, 3, 5), ("erp", 3, 6, 9), ("系统", 4, 9, 11)]


@pytest.mark.parametrize(("query", "expected"), [
    ("党史", ("text", ["党史"])),
    ("云铝文山", ("text", ["云铝", "铝文", "文山"])),
    ("党", ("chars", ["党"])),
    ("51680元", ("chars", ["51680", "元"])),
    ("4月16日", ("chars", ["4", "月", "16", "日"])),
    ("ERP", ("text", ["erp"])),
    ("ｅｒｐ", ("text", ["erp"])),
    ("2021年度", ("text", ["2021", "年度"])),
])
def test_query_tokens(query, expected):
    assert query_tokens(query) == expected


def test_needs_chars():
    assert needs_chars("元") and needs_chars("3月") and not needs_chars("党史") and not needs_chars("ERP")


def test_fold_and_normalized_keep_offsets():
    assert fold("ＡＢｃ１２\u3000") == "abc12 "
    norm, where = normalized("使 用 ＥＲＰ 系统")
    assert norm == "使用 erp 系统" and list(where) == [0, 2, 3, 4, 5, 6, 7, 8, 9]


def test_analyzer_pickles_by_stable_import_path():
    a = BigramAnalyzer()
    data = pickle.dumps(a)
    assert b"archive.search.analysis" in data  # moved from archive.analysis with index format 5
    assert pickle.loads(data) == a
    assert pickle.loads(data) != UnigramAnalyzer()  # Whoosh's own __eq__ tells the filters apart
