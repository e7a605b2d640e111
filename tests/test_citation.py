from archive.store.citation import citation, citation_gbt, for_hit


def test_citation_single_page():
    assert citation("中铝股份党群工作", 2021, 5, 5, 3, 3) == "《中铝股份党群工作》2021年第5期（总第5期），第3页"


def test_citation_span_uses_en_dash():
    assert citation("中铝股份党群工作", 2021, 5, 5, 3, 4) == "《中铝股份党群工作》2021年第5期（总第5期），第3–4页"


def test_citation_without_total_number_and_other_publication():
    assert citation("中铝党建", 2016, 2, None, 1, 1) == "《中铝党建》2016年第2期，第1页"


def test_citation_without_publication_falls_back():
    assert citation(None, 2016, 2, None, 1, 2).startswith("《中铝股份党群工作》2016年第2期，第1–2页")


def test_gbt_span():
    assert (citation_gbt("中铝股份党群工作", 2021, 5, 3, 4, section="践·铝之行", heading="党史学习教育进行篇",
                         publisher="党群工作部")
            == "党群工作部. 践·铝之行：党史学习教育进行篇[J]. 中铝股份党群工作, 2021(5): 3-4.")


def test_gbt_single_page_without_heading():
    assert (citation_gbt("中铝股份党群工作", 2021, 5, 3, 3, section="悟·心之语", publisher="党群工作部")
            == "党群工作部. 悟·心之语[J]. 中铝股份党群工作, 2021(5): 3.")


def test_gbt_signed_author_wins_and_many_authors_are_cut():
    assert citation_gbt("中铝股份党群工作", 2021, 5, 2, 2, section="悟·心之语", author="林涛",
                        publisher="党群工作部").startswith("林涛. 悟·心之语[J].")
    assert citation_gbt("P", 2021, 5, 2, 2, section="S", author="甲、乙、丙、丁").startswith("甲, 乙, 丙, 等. S[J]. P")


def test_for_hit():
    hit = {"publication": "中铝股份党群工作", "year": 2021, "number": 5, "total_number": 5, "page_start": 3,
           "page_end": 4, "section": "践·铝之行", "heading": "党史学习教育进行篇", "author": None,
           "publisher": "党群工作部", "text": "…"}
    assert for_hit(hit) == ("《中铝股份党群工作》2021年第5期（总第5期），第3–4页",
                            "党群工作部. 践·铝之行：党史学习教育进行篇[J]. 中铝股份党群工作, 2021(5): 3-4.")


import pytest  # noqa: E402


@pytest.mark.parametrize(("fields", "cn", "gbt"), [
    ({"number": 5, "number_end": 6}, "《中铝股份党群工作》2021年第5-6期合刊，第2页", "2021(5/6): 2."),
    ({"number": 5, "number_end": 6, "total_number": 40}, "《中铝股份党群工作》2021年第5-6期合刊（总第40期），第2页",
     "2021(5/6): 2."),
    ({"special": "增刊"}, "《中铝股份党群工作》2021年增刊，第2页", "2021(增刊): 2."),
    ({"special": "特刊", "number": 2}, "《中铝股份党群工作》2021年特刊第2期，第2页", "2021(2): 2."),
])
def test_combined_issues_and_supplements(fields, cn, gbt):
    hit = {"publication": "中铝股份党群工作", "year": 2021, "page_start": 2, "page_end": 2, "section": "践·铝之行",
           "publisher": "党群工作部", **fields}
    got_cn, got_gbt = for_hit(hit)
    assert got_cn == cn and got_gbt.endswith(gbt)
