"""A correction's before and after as a character-level difference, for the history on the item
and issue pages: what was taken out in <del>, what was put in in <ins>, the unchanged text around
each change cut to a few characters (a one-character fix in a 2,000-character paragraph shows as
that character and its neighbours, not as two paragraphs). difflib on characters: Chinese has no
spaces to diff words by."""
from __future__ import annotations

import difflib

from markupsafe import Markup, escape

CONTEXT = 12  # unchanged characters kept on each side of a change
WHOLE = 2 * CONTEXT + 6  # an unchanged stretch this short is shown whole


def char_diff(before: str | None, after: str | None, context: int = CONTEXT) -> Markup:
    """HTML: the unchanged stretches (cut to `context` characters either side of a change, with
    「…」), <del> for what went, <ins> for what came."""
    a, b = before or "", after or ""
    out: list[str] = []
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            out.append(str(escape(_trim(a[i1:i2], first=k == 0, last=k == len(ops) - 1, context=context))))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(a[i1:i2])}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(b[j1:j2])}</ins>")
    return Markup("".join(out))


def _trim(text: str, first: bool, last: bool, context: int) -> str:
    """An unchanged stretch between changes: its ends next to a change kept, its middle cut."""
    if len(text) <= WHOLE and not (first or last):
        return text
    if first and last:  # no change at all
        return text if len(text) <= 2 * context else text[:context] + "…"
    if first:
        return text if len(text) <= context else "…" + text[-context:]
    if last:
        return text if len(text) <= context else text[:context] + "…"
    return text[:context] + "…" + text[-context:]
