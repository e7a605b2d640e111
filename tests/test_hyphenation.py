import gzip
from importlib import resources

import pytest

from archive.ingest.hyphenation import ends_with_word_hyphen, is_word, join_hyphenated


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        # a hyphen that split a word goes
        ("predic-", "tive", "predictive"),
        ("Deca-", "rbonization", "Decarbonization"),
        ("Decarbo-", "nization pathways", "Decarbonization pathways"),
        ("refi-", "neries and", "refineries and"),
        ("the aluminium smel-", "ters", "the aluminium smelters"),
        # ... even where both pieces happen to be listed ("ment", "in", "con")
        ("manage-", "ment", "management"),
        ("in-", "formation", "information"),
        ("con-", "firm", "confirm"),
        # co-operation / cooperation: both spellings are correct, and a line break
        # can't tell which one the author used; the solid form is in the list, so
        # we join (same as re-|search -> research).
        ("co-", "operation", "cooperation"),
        # a hyphen inside a compound stays
        ("energy-", "management", "energy-management"),
        ("electrolysis-", "based smelters”", "electrolysis-based smelters”"),
        ("predictive-", "maintenance 方面", "predictive-maintenance 方面"),
        ("state-", "of-the-art", "state-of-the-art"),
        ("state-of-the-", "art", "state-of-the-art"),
        ("up-", "to-date", "up-to-date"),
        # self-service: "selfservice" is not a word, "self" and "service" are
        ("self-", "service", "self-service"),
        ("long-", "term", "long-term"),
        ("low-", "carbon", "low-carbon"),
        ("non-", "ferrous metals", "non-ferrous metals"),
        # one-letter left piece: typesetters never split a word after one letter
        ("e-", "commerce", "e-commerce"),
        # uppercase or digit after the break: keep
        ("Sino-", "American", "Sino-American"),
        ("COVID-", "19", "COVID-19"),
        ("COVID-", "19 pandemic", "COVID-19 pandemic"),
        ("Level-", "3 alarm", "Level-3 alarm"),
        # ... but in ALL CAPS text the capital says nothing
        ("DECARBO-", "NIZATION", "DECARBONIZATION"),
        ("ENERGY-", "MANAGEMENT", "ENERGY-MANAGEMENT"),
        # nothing Latin after the break: keep
        ("predictive-", "（维护）", "predictive-（维护）"),
        ("well-", "", "well-"),
        # soft hyphen always joins, without a hyphen
        ("predic\u00ad", "tive", "predictive"),
        ("energy\u00ad", "management", "energymanagement"),
        ("2020\u00ad", "21", "202021"),
        # U+2010 HYPHEN is a hard hyphen and is kept as it is
        ("energy\u2010", "management", "energy\u2010management"),
        ("predic\u2010", "tive", "predictive"),
        # surrounding whitespace of the two lines is dropped
        ("predic-  ", "  tive models", "predictive models"),
        ("采用 predic-", "tive 模型", "采用 predictive 模型"),
    ],
)
def test_join_hyphenated(left, right, expected):
    assert join_hyphenated(left, right) == expected


@pytest.mark.parametrize(
    "left",
    [
        "2020-",  # numbers: a range or date, not a split word
        "CO2-",
        "no hyphen",
        "",
        "-",
        "中-",
        "café-",  # the letter before the hyphen must be ASCII
        "word--",
        "predic- tive",  # the hyphen must end the line
    ],
)
def test_join_hyphenated_rejects_lines_not_ending_in_a_split(left):
    assert not ends_with_word_hyphen(left)
    with pytest.raises(ValueError):
        join_hyphenated(left, "tive")


@pytest.mark.parametrize(
    ("line", "expected"),
    [("predic-", True), ("predic- ", True), ("x\u00ad", True), ("\u00ad", True), ("a\u2010", True), ("1-", False)],
)
def test_ends_with_word_hyphen(line, expected):
    assert ends_with_word_hyphen(line) is expected


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("energy", True),
        ("Energy", True),
        ("ENERGY", True),
        ("a", True),
        ("I", True),
        ("management", True),
        ("predictive", True),
        ("refineries", True),
        # inflections of listed words
        ("smelters", True),  # -s
        ("boxes", True),  # -es
        ("based", True),  # -ed (base + d)
        ("worked", True),
        ("stopped", True),
        ("working", True),
        ("quickly", True),  # -ly
        # not words
        ("predic", False),
        ("rbonization", False),
        ("nization", False),
        ("decarbo", False),
        ("x", False),
        ("", False),
        ("co-operation", False),
        ("état", False),
        ("42", False),
        ("longterm", False),  # excluded run-together spelling
    ],
)
def test_is_word(token, expected):
    assert is_word(token) is expected


def test_word_list_is_sorted_lowercase_and_sized():
    data = resources.files("archive").joinpath("data").joinpath("english_words.txt.gz").read_bytes()
    assert len(data) <= 400_000
    words = gzip.decompress(data).decode("ascii").split("\n")
    assert words[-1] == ""  # trailing newline
    words = words[:-1]
    assert words == sorted(set(words))
    assert 50_000 <= len(words) <= 80_000
    assert all(w.isalpha() and w.islower() and (len(w) >= 2 or w in ("a", "i")) for w in words)
