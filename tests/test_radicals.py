import unicodedata

import pytest

from archive.ingest.radicals import RADICAL_MAP, map_radicals


def _is_unified_ideograph(ch: str) -> bool:
    cp = ord(ch)
    return 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x3134F  # URO, extensions A, B-H


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Kangxi radicals: NFKC per character
        ("\u2f00", "一"),
        ("\u2f08", "人"),
        ("\u2f2f", "工"),
        ("\u2f1d", "口"),
        ("\u2fa6", "金"),
        ("\u2f64", "用"),
        ("\u2f45", "方"),
        # Kangxi radicals overridden to the form a Simplified-Chinese reader sees
        ("\u2f3e", "户"),
        ("\u2fad", "青"),
        ("\u2fc8", "黄"),
        # Kangxi radicals for traditional characters stay traditional
        ("\u2fa8", "門"),
        ("\u2fba", "馬"),
        # CJK Radicals Supplement
        ("\u2ea0", "民"),
        ("\u2e9f", "母"),
        ("\u2ec5", "见"),
        ("\u2ec6", "角"),
        ("\u2ec9", "贝"),
        ("\u2ecb", "车"),
        ("\u2ed0", "钅"),
        ("\u2ed3", "长"),
        ("\u2ed4", "门"),
        ("\u2ed8", "青"),
        ("\u2ed9", "韦"),
        ("\u2eda", "页"),
        ("\u2edb", "风"),
        ("\u2edc", "飞"),
        ("\u2edd", "食"),
        ("\u2ee0", "饣"),
        ("\u2ee2", "马"),
        ("\u2ee3", "骨"),
        ("\u2ee4", "鬼"),
        ("\u2ee5", "鱼"),
        ("\u2ee6", "鸟"),
        ("\u2ee7", "卤"),
        ("\u2ee8", "麦"),
        ("\u2ee9", "黄"),
        ("\u2eec", "齐"),
        ("\u2eee", "齿"),
        ("\u2ef0", "龙"),
        ("\u2ef3", "龟"),
        ("\u2ec4", "西"),
        # pure component shapes are left alone
        ("\u2e85", "\u2e85"),  # ⺅ person
        ("\u2ea1", "\u2ea1"),  # ⺡ water
        ("\u2ecc", "\u2ecc"),  # ⻌ walk
        ("\u2e80", "\u2e80"),  # ⺀ repeat (no ideograph at all)
    ],
)
def test_single_radicals(text, expected):
    assert map_radicals(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\u2f2f作", "工作"),
        ("\u2f08\u2ea0", "人民"),
        ("\u2f3e口", "户口"),
        ("\u2ed3期", "长期"),
        ("\u2ed4户", "门户"),
        ("\u2ee9\u2fa6", "黄金"),
        ("中\u2f24\u2ec9\u2f49", "中大贝月"),
        ("\u2f24\u2ed3\u2ed4\u2f1d", "大长门口"),
    ],
)
def test_words(text, expected):
    assert map_radicals(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\u2f2f作会议：（\u2f00）\u2ed3效机制，落实。", "工作会议：（一）长效机制，落实。"),
        ("“\u2f08\u2ea0”至上；全心全意！", "“人民”至上；全心全意！"),
        ("２０２４年第１期，ＡＢＣ", "２０２４年第１期，ＡＢＣ"),  # full-width forms stay full-width
        ("中铝股份党群工作", "中铝股份党群工作"),
        ("戶 靑 黃", "戶 靑 黃"),  # real ideographs are not "simplified"
        ("\u2f3e籍 ﬁ ①", "户籍 ﬁ ①"),  # ligature and circled digit untouched (no NFKC)
    ],
)
def test_mixed_text_keeps_other_characters(text, expected):
    assert map_radicals(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Decarbonization pathways, 2024-05-01 (v1.2): OK!",
        "predictive-maintenance",
        "\t  \n",
        "，。：（）、；！？“”‘’《》【】——……",
    ],
)
def test_text_without_radicals_is_unchanged(text):
    assert map_radicals(text) == text


def test_every_kangxi_radical_is_mapped():
    for cp in range(0x2F00, 0x2FD6):
        assert chr(cp) in RADICAL_MAP, hex(cp)


def test_only_radical_and_compatibility_blocks_are_keys():
    for key in RADICAL_MAP:
        cp = ord(key)
        assert 0x2F00 <= cp <= 0x2FD5 or 0x2E80 <= cp <= 0x2EF3 or 0xF900 <= cp <= 0xFAFF, hex(cp)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("２００９\uf98e第十一期", "２００９年第十一期"),  # 年 U+F98E (MuPDF's subset of WenQuanYi Micro Hei)
        ("\uf90a", "金"),
        ("\uf9b5例", "例例"),
        ("\ufa0e", "\ufa0e"),  # 﨎: a unified ideograph in the compatibility block, no canonical form
        ("\ufa11", "\ufa11"),
    ],
)
def test_compatibility_ideographs(text, expected):
    assert map_radicals(text) == expected


def test_every_value_is_one_unified_ideograph():
    for key, value in RADICAL_MAP.items():
        assert len(value) == 1, (hex(ord(key)), value)
        assert _is_unified_ideograph(value), (hex(ord(key)), hex(ord(value)))
        assert unicodedata.name(value).startswith("CJK UNIFIED IDEOGRAPH")


def test_supplement_simplified_radicals_match_their_names():
    # every C-SIMPLIFIED radical is mapped, and to a character that is not the
    # traditional Kangxi form
    simplified = [chr(cp) for cp in range(0x2E80, 0x2EF4)
                  if "C-SIMPLIFIED" in unicodedata.name(chr(cp), "")]
    assert len(simplified) >= 10  # the block has them: the check below is not empty
    assert [unicodedata.name(ch) for ch in simplified if ch not in RADICAL_MAP] == []


def test_idempotent():
    text = "".join(RADICAL_MAP)
    once = map_radicals(text)
    assert map_radicals(once) == once
