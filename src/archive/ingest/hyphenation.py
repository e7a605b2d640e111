"""Repair Latin words split by a line-end hyphen in extracted PDF text.

A hyphen at the end of a line either splits a word ("predic-" / "tive") and must
go, or belongs to a compound ("energy-" / "management") and must stay.  We tell
them apart with an English word list (data/english_words.txt.gz, built by
scripts/fixtures/build_wordlist.py from wordfreq's data, CC BY-SA 4.0).

Decision order in join_hyphenated (first rule that applies wins):

1. soft hyphen (U+00AD): always join, dropping it;
2. the next line starts with a digit or with no Latin letter at all
   ("COVID-" / "19", "predictive-" / "方面"): keep the hyphen;
3. the right fragment starts with an uppercase letter ("Sino-" / "American"):
   keep, unless both fragments are ALL CAPS, which says nothing (a heading
   such as "DECARBO-" / "NIZATION" is judged like lowercase text);
4. a one-letter left fragment ("e-" / "commerce", "x-" / "ray"): keep, since
   typesetters never break a word after its first letter;
5. the two fragments joined make a word ("manage" + "ment", "in" + "formation",
   "co" + "operation"): join.  This comes before rule 6 because the list, being
   built from real text, holds many word pieces ("ment", "tion", "ing") and
   short words that begin long ones ("in", "con", "dis");
6. both fragments are words ("energy" + "management", "self" + "service"): keep;
7. otherwise ("predic" + "tive", "Deca" + "rbonization"): join.
"""

from __future__ import annotations

import functools
import gzip
import re
from importlib import resources

from ..chars import SOFT_HYPHEN

# ASCII hyphen-minus and U+2010 HYPHEN count as hard hyphens; the one found is kept as is.
_HARD_HYPHENS = "-\u2010"

_TRAILING_LETTERS = re.compile(r"[A-Za-z]+$")
_LEADING_LETTERS = re.compile(r"^[A-Za-z]+")
_ASCII_LETTERS = re.compile(r"[A-Za-z]+")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_MIN_STEM = 3  # shortest stem an inflected form may be derived from ("is" is not "i" + "s")


@functools.lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    data = resources.files("archive").joinpath("data").joinpath("english_words.txt.gz").read_bytes()
    return frozenset(gzip.decompress(data).decode("ascii").split())


def _stems(word: str) -> list[str]:
    """Candidate base forms of `word` for the suffixes -s/-es, -ed, -ing and -ly."""
    cands: list[str] = []
    if word.endswith("ies"):
        cands.append(word[:-3] + "y")  # refineries -> refinery
    if word.endswith("es"):
        cands.append(word[:-2])  # boxes -> box
    if word.endswith("s") and not word.endswith("ss"):
        cands.append(word[:-1])  # smelters -> smelter
    if word.endswith("ied"):
        cands.append(word[:-3] + "y")  # applied -> apply
    if word.endswith("ed"):
        stem = word[:-2]
        cands += [stem, stem + "e"]  # worked -> work, based -> base
        if len(stem) >= 2 and stem[-1] == stem[-2]:
            cands.append(stem[:-1])  # stopped -> stop
    if word.endswith("ing"):
        stem = word[:-3]
        cands += [stem, stem + "e"]  # working -> work, making -> make
        if len(stem) >= 2 and stem[-1] == stem[-2]:
            cands.append(stem[:-1])  # running -> run
    if word.endswith("ly"):
        stem = word[:-2]
        cands.append(stem)  # quickly -> quick
        if word.endswith("ily"):
            cands.append(word[:-3] + "y")  # easily -> easy
        if word.endswith("ally"):
            cands.append(word[:-4])  # basically -> basic
        cands.append(stem + "le")  # simply -> simple
    return [c for c in cands if len(c) >= _MIN_STEM]


def is_word(token: str) -> bool:
    """True if `token` (ASCII letters, any case) is a listed English word or a simple
    inflection of one (plural -s/-es, -ed, -ing, -ly)."""
    if not _ASCII_LETTERS.fullmatch(token):
        return False
    word = token.lower()
    words = _words()
    return word in words or any(stem in words for stem in _stems(word))


def ends_with_word_hyphen(line: str) -> bool:
    """True if join_hyphenated accepts `line` as its left part: it ends (after
    trailing whitespace) with a soft hyphen, or with a hyphen right after an
    ASCII letter."""
    text = line.rstrip()
    if text.endswith(SOFT_HYPHEN):
        return True
    return len(text) >= 2 and text[-1] in _HARD_HYPHENS and text[-2].isascii() and text[-2].isalpha()


def splits_word(left: str, right: str) -> bool:
    """Do two printed lines meet at a hyphen between Latin letters ("predic-" / "tive",
    "energy-" / "management")? Then join_hyphenated decides whether the hyphen stays."""
    return (len(left) >= 2 and left[-1] in _HARD_HYPHENS + SOFT_HYPHEN and _ASCII_LETTER.match(left[-2]) is not None
            and _ASCII_LETTER.match(right[:1]) is not None)


def join_hyphenated(left: str, right: str) -> str:
    """Join a line ending in a hyphen (`left`) with the next line (`right`).

    Trailing whitespace of `left` and leading whitespace of `right` are dropped.
    Returns the joined text, with or without the hyphen (see the module docstring
    for the rules).  Raises ValueError if `left` does not end with a soft hyphen
    or with a hyphen right after an ASCII letter (e.g. "2020-"): that is not a
    split word and not this function's business.
    """
    if not ends_with_word_hyphen(left):
        raise ValueError(f"left part does not end with a letter and a hyphen: {left[-20:]!r}")
    head = left.rstrip()
    tail = right.lstrip()
    if head.endswith(SOFT_HYPHEN):
        return head[:-1] + tail
    keep = head + tail
    drop = head[:-1] + tail

    left_frag = _TRAILING_LETTERS.search(head[:-1]).group()  # type: ignore[union-attr]
    match = _LEADING_LETTERS.match(tail)
    if match is None:  # digit, CJK, punctuation or nothing after the break
        return keep
    right_frag = match.group()

    if right_frag[0].isupper() and not (left_frag.isupper() and right_frag.isupper()):
        return keep
    if len(left_frag) == 1:
        return keep
    if is_word(left_frag + right_frag):
        return drop
    if is_word(left_frag) and is_word(right_frag):
        return keep
    return drop
