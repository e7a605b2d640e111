#!/usr/bin/env python3
"""Build src/archive/data/english_words.txt.gz, the word list behind archive.hyphenation.

Source: the English ("en", "large") frequency list bundled with the wordfreq
package, version 3.1.1 (https://github.com/rspeer/wordfreq, on PyPI as
`wordfreq`), by Robyn Speer.  Licenses: wordfreq's code is MIT; its word
frequency data is CC BY-SA 4.0, so the generated list is a derivative of that
data and is distributed under CC BY-SA 4.0 with attribution to wordfreq.

What the list is: the N most frequent entries of that list that are plain
lowercase ASCII letters, at least 2 letters long (plus the single words "a" and
"i"), minus a few run-together spellings of compounds that are normally
hyphenated (see EXCLUDE), sorted, one per line, gzip'd (deterministically:
no timestamp, no file name), so that re-running the script gives the same bytes.

The project ships only the generated .gz; nothing at run time imports wordfreq.
This script needs wordfreq only while it runs: if it can't be imported, it is
pip-installed into a temporary directory that is deleted afterwards.

Usage:
    python scripts/build_wordlist.py                # writes the default output
    python scripts/build_wordlist.py --top 70000 --out /tmp/words.txt.gz
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import io
import re
import subprocess
import sys
import tempfile
from pathlib import Path

WORDFREQ_REQUIREMENT = "wordfreq==3.1.1"
DEFAULT_TOP = 70_000
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src/archive/data/english_words.txt.gz"

_WORD = re.compile(r"[a-z]+")
_SINGLE_LETTER_WORDS = {"a", "i"}

# Run-together spellings that are frequent enough to make the list but are not
# standard words: with them in the list, "long-|term" or "up-|to-date" at a line
# break would be rejoined as "longterm" or "upto-date" instead of keeping the hyphen.
EXCLUDE = frozenset(
    """
    costeffective crossborder followup fulltime highquality hightech indepth
    largescale longterm lowcarbon lowcost parttime realtime shortterm
    stateowned wellknown worldclass
    allin alot atleast aswell eachother everytime incase infact ofcourse upto
    """.split()
)


def _import_wordfreq(tmp: Path):
    try:
        return importlib.import_module("wordfreq")
    except ImportError:
        pass
    print(f"wordfreq not importable; pip-installing {WORDFREQ_REQUIREMENT} into {tmp}", file=sys.stderr)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(tmp), WORDFREQ_REQUIREMENT],
        check=True,
    )
    sys.path.insert(0, str(tmp))
    return importlib.import_module("wordfreq")


def select_words(ranked: list[str], top: int) -> list[str]:
    """The first `top` acceptable words of `ranked` (most frequent first), minus EXCLUDE, sorted."""
    chosen: list[str] = []
    seen: set[str] = set()
    for word in ranked:
        if len(chosen) >= top:
            break
        if word in seen or not _WORD.fullmatch(word):
            continue
        if len(word) < 2 and word not in _SINGLE_LETTER_WORDS:
            continue
        seen.add(word)
        chosen.append(word)
    return sorted(set(chosen) - EXCLUDE)


def gzip_lines(words: list[str]) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(("\n".join(words) + "\n").encode("ascii"))
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=DEFAULT_TOP, help="number of words to take (default %(default)s)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output .gz (default %(default)s)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="wordfreq-") as tmp:
        wordfreq = _import_wordfreq(Path(tmp))
        ranked = wordfreq.top_n_list("en", 10**7, wordlist="large")
    words = select_words(ranked, args.top)
    data = gzip_lines(words)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"wrote {args.out}: {len(words)} words, {len(data)} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
