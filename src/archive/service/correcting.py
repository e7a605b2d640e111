"""Stage 9, corrections: what an editor changes in the records, recorded and applied.

Every change is a row of the corrections table (who, when, what, before, after, note, anchor,
state); the issue is then written again as its parser's record with all its corrections applied
(store.correction_records), re-indexed at once (search sees it on the next query) and its
activities made again with it. `reparse` runs the current parser over the stored originals and
applies the corrections again; a correction whose anchor is gone is kept as "stale" (no longer
applies) and listed in the review queue. Errors are ArchiveErrors with kinds; the edges word them."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

from ..errors import ArchiveError, BadEdit, NotFound, StaleForm
from ..ingest.masthead import parse_date
from ..ingest.units import Registry
from ..search.indexer import drain
from ..store import DataDir, Records
from ..store.corrections import (ISSUE_EDIT_FIELDS, ITEM_EDIT_FIELDS, ITEM_KINDS, MAX_TEXT, REVERTED, STALE, anchor_for,
                                issue_version, item_version, split_spot)
from ..store.site_units import UNIT_OPS, check_name, site_registry

MAX_FIELD = 200  # characters of a heading, section title, author, source
MAX_NOTE = 500
SPLIT_MARK = "【拆分】"  # typed (or put at the caret by the item page's script) where a save splits the item


@dataclass
class Change:
    issue_id: str  # the issue's id after the change
    item_id: str | None = None  # the item's id after it (None: hidden, or an issue's change)
    corrections: list[int] = field(default_factory=list)
    state: str = "applied"


def bad(message: str, kind: str, **params) -> BadEdit:
    return BadEdit(message, kind, **params)


class Editor:
    def __init__(self, records: Records, datadir: DataDir):
        self.records, self.datadir = records, datadir
        self.registry = site_registry(records)

    # --- reading ---------------------------------------------------------------------------------

    def item(self, item_id: str) -> dict:
        it = self.records.item(item_id)
        if it is None:
            raise NotFound(f"no item {item_id}", what=item_id)
        return it

    def version(self, item_id: str) -> str:
        return item_version(self.item(item_id))

    # --- one transaction per change --------------------------------------------------------------

    def _commit(self, issue_id: str, make) -> tuple[str, list[int], dict]:
        """In one transaction: `make(key)` records corrections (their ids), the issue is written
        again; then it is re-indexed. (new issue id, correction ids, their states)."""
        with self.records.transaction():
            key = self.records.issue_key(issue_id)
            if key is None:
                raise NotFound(f"no issue {issue_id}", what=issue_id)
            ids = make(key)
            new_id, applied = self.records.write_corrected(key, self.registry, issue_id)
        drain(self.records, self.datadir)  # the issue (and its old id) was queued with the change
        states = {cid: applied.outcomes[cid].state for cid in ids if cid in applied.outcomes}
        return new_id, ids, states

    # --- items -----------------------------------------------------------------------------------

    def correct_item(self, item_id: str, op: str, value=None, *, fld: str | None = None, who: str = "editor",
                     note: str | None = None, version: str | None = None) -> Change:
        """op: set (fld one of ITEM_EDIT_FIELDS, value the new value), add_unit / remove_unit (value the
        unit), split (value the offset in the text), merge (with the next item), hide, show."""
        note = (note or "").strip()[:MAX_NOTE] or None
        if op == "show":
            return self.show(item_id, who, note)
        it = self.item(item_id)
        issue_id = it["issue"]
        suffix = item_id[len(issue_id) + 1:]
        before, after, anchor = None, None, anchor_for(it, suffix)
        if op == "set":
            if fld not in ITEM_EDIT_FIELDS:
                raise bad(f"cannot change {fld!r} of an item (one of: {', '.join(ITEM_EDIT_FIELDS)})", "bad_field")
            before, after = it[fld], clean_field(fld, value)
            if (before or None) == (after or None):
                raise bad(f"the {fld} is already that", "unchanged")
        elif op in ("add_unit", "remove_unit"):
            unit = check_name(value)
            if op == "add_unit":
                if unit in it["units"]:
                    raise bad(f"{unit} is already a unit of {item_id}", "unit_present", unit=unit)
                after = unit
            else:
                if unit not in it["units"]:
                    match = [u for u, c in it["unit_links"] if c == unit]
                    if not match:
                        raise bad(f"{unit} is not a unit of {item_id}", "unit_absent", unit=unit)
                    unit = match[0]
                before = unit
        elif op == "split":
            try:
                at = int(value)
                after = split_spot(it["text"], at)
            except (TypeError, ValueError):
                raise bad(f"split {item_id} at a character offset between 1 and {len(it['text']) - 1}", "split_at",
                          length=len(it["text"])) from None
        elif op == "merge":
            _, next_id = self.records.neighbours(issue_id, it["seq"])
            if next_id is None:
                raise bad(f"{item_id} is the last item of its issue: nothing to merge it with", "no_next")
            anchor = anchor_for(it, suffix, next_text=self.records.item(next_id)["text"])
            before = next_id
        elif op != "hide":
            raise bad(f"unknown change {op!r}", "bad_op")

        def make(key):
            self._check_version(item_id, version)
            return [self.records.add_correction(who, key, item_id, op, fld, before, after, note, anchor)]
        new_issue, ids, states = self._commit(issue_id, make)
        return Change(new_issue, self._where(ids[0]), ids, states.get(ids[0], "applied"))

    def save_item(self, item_id: str, fields: dict, units: list[str] | None = None, *, who: str = "editor",
                  note: str | None = None, version: str | None = None) -> Change:
        """One form's save: each field given (ITEM_EDIT_FIELDS) that differs from the item's, and
        each unit kept or added, is a correction of its own, all in one transaction, the text
        last; SPLIT_MARK in the text splits the item there. Nothing different: no correction."""
        note = (note or "").strip()[:MAX_NOTE] or None
        it = self.item(item_id)
        issue_id = it["issue"]
        suffix = item_id[len(issue_id) + 1:]
        anchor = anchor_for(it, suffix)
        steps = [("set", f, it[f], after, anchor) for f, after in changed_fields(it, fields)]
        if units is not None:
            wanted = list(dict.fromkeys(check_name(u) for u in units if (u or "").strip()))
            steps += [("remove_unit", None, u, None, anchor) for u in it["units"] if u not in wanted]
            steps += [("add_unit", None, None, u, anchor) for u in wanted if u not in it["units"]]
        if "text" in fields:
            text, at = split_mark(fields["text"])
            if text != it["text"]:
                steps.append(("set", "text", it["text"], text, anchor))
            if at is not None:
                try:
                    spot = split_spot(text, at)
                except ValueError:
                    raise bad(f"split {item_id} inside its text, not at its start or end", "split_at",
                              length=len(text)) from None
                steps.append(("split", None, None, spot, anchor_for({"text": text}, suffix)))
        if not steps:
            return Change(issue_id, item_id, [], "unchanged")

        def make(key):
            self._check_version(item_id, version)
            return [self.records.add_correction(who, key, item_id, op, fld, before, after, note, where)
                    for op, fld, before, after, where in steps]
        new_issue, ids, states = self._commit(issue_id, make)
        where = next((w for w in (self._where(cid) for cid in reversed(ids)) if w), None)
        stale = [cid for cid in ids if states.get(cid) == STALE]
        return Change(new_issue, where, ids, STALE if stale else "applied")

    def _check_version(self, item_id: str, version: str | None) -> None:
        """Inside the transaction: the item is as the form showed it (else StaleForm: two editors never both win)."""
        if version is None:
            return
        now = self.records.item(item_id)
        if now is None or item_version(now) != version:
            raise StaleForm(f"{item_id} was changed since the form was loaded; nothing was changed",
                            item=item_id, current=now)

    def _where(self, cid: int) -> str | None:
        c = self.records.correction(cid)
        if c is None or c["op"] == "hide" or not self.records.item(c["applied_to"] or ""):
            return None
        return c["applied_to"]

    def show(self, item_id: str, who: str, note: str | None = None) -> Change:
        """Show a hidden item again: its hide is reverted."""
        hides = [c for c in self.records.history(item_id) if c["op"] == "hide" and c["state"] != REVERTED
                 and item_id in (c["applied_to"], c["target"])]
        if not hides:
            if self.records.item(item_id) is None:
                raise NotFound(f"no item {item_id}", what=item_id)
            raise bad(f"{item_id} is not hidden", "not_hidden")
        return self.revert(hides[-1]["id"], who)

    # --- issues ----------------------------------------------------------------------------------

    def correct_issue(self, issue_id: str, changes: dict, who: str = "editor", note: str | None = None,
                      version: str | None = None) -> Change:
        """Change an issue's metadata (ISSUE_EDIT_FIELDS); a new year or number gives it a new id
        (the old one redirects). `version`: the issue_version the form was loaded with (StaleForm
        if another editor changed the issue since)."""
        current = self.records.current_id(issue_id)
        row = self.records.issue_row(current) if current else None
        if row is None:
            raise NotFound(f"no issue {issue_id}", what=issue_id)
        values = {}
        for f, v in changes.items():
            if f not in ISSUE_EDIT_FIELDS:
                raise bad(f"cannot change {f!r} of an issue (one of: {', '.join(ISSUE_EDIT_FIELDS)})", "bad_field")
            v = clean_issue_value(f, v)
            if v != row[f]:
                values[f] = v
        if not values:
            raise bad("nothing to change: every value given is what the issue has", "unchanged")
        note = (note or "").strip()[:MAX_NOTE] or None

        def make(key):
            if version is not None:  # checked inside the transaction, as for items
                now = self.records.issue_row(current)
                if now is None or issue_version(now) != version:
                    raise StaleForm(f"{current} was changed since the form was loaded; nothing was changed",
                                    item=current, current=dict(now) if now is not None else None)
            return [self.records.add_correction(who, key, current, "set_issue", f, row[f], v, note, {"issue": current})
                    for f, v in values.items()]
        new_id, ids, _ = self._commit(current, make)
        return Change(new_id, None, ids)

    def mark_reviewed(self, issue_id: str, who: str = "editor") -> str:
        current = self.records.current_id(issue_id)
        if current is None:
            raise NotFound(f"no issue {issue_id}", what=issue_id)
        with self.records.transaction():
            self.records.mark_reviewed(current, who)
        return current

    # --- reverting -------------------------------------------------------------------------------

    def revert(self, cid: int, who: str = "editor") -> Change:
        c = self.records.correction(cid)
        if c is None:
            raise NotFound(f"no correction {cid}", what=str(cid))
        if c["state"] == REVERTED:
            raise bad(f"correction {cid} is already reverted", "reverted")
        if c["issue_key"] == "":
            if not c["op"].startswith("unit_"):  # a topic's or the people list's (service/topics.py)
                from .topics import revert_site_change
                return revert_site_change(self.records, self.datadir, c, who)
            return self.revert_unit_change(c, who)
        if c["op"] == "remove_issue":  # undoing a removal restores the issue
            from .removing import restore
            if c["state"] != "applied" or self.records.removed_entry(c["target"]) is None:
                raise bad(f"correction {cid} cannot be reverted: the issue was purged", "reverted")
            return Change(restore(self.records, self.datadir, c["target"], who), None, [cid], REVERTED)
        row = self.records.parsed_row(c["issue_key"])
        if row is None:
            raise NotFound(f"the issue of correction {cid} is no longer in the records", what=str(cid))
        new_id, _, _ = self._commit(row["issue_id"], lambda key: (self.records.mark_reverted(cid, who), [])[1])
        target = c["applied_to"]
        return Change(new_id, target if target and self.records.item(target) else None, [cid], REVERTED)

    # --- reparse ---------------------------------------------------------------------------------

    def reparse(self, issue_ids: list[str] | None = None, progress=None) -> list[dict]:
        """Run the current parser again over the stored originals of these issues (all, without
        ids), keep its records as the parser's, apply the corrections again. One result each:
        {"issue", "was", "applied", "stale", "error"}."""
        from .importing import ImportOptions, apply_overrides, parse_bytes
        from ..store.rows import issue_from_json
        out = []
        targets = issue_ids or self.records.issue_ids()
        parses: dict[str, list | Exception] = {}  # a bound volume is read once for all of its issues
        for given in targets:
            current = self.records.current_id(given)
            if current is None:
                raise NotFound(f"no issue {given}", what=given)
            key = self.records.issue_key(current)
            row = self.records.parsed_row(key)
            path = self.datadir.pdf_path(row["sha256"])
            result = {"issue": current, "was": current, "applied": 0, "stale": 0, "error": None}
            if row["sha256"] not in parses:
                try:
                    parses[row["sha256"]] = parse_bytes(path.read_bytes(), self.registry, ImportOptions(),
                                                        self.datadir.ocr_cache)
                except (OSError, ArchiveError) as exc:
                    parses[row["sha256"]] = exc
            old = issue_from_json(row["record"])
            found = parses[row["sha256"]]
            issue = found if isinstance(found, Exception) else same_issue(found, key, row["sha256"], old)
            if issue is None or isinstance(issue, Exception):
                result["error"] = str(issue) if issue is not None else f"{current} is no longer found in its file"
                out.append(result)
                continue
            issue = copy.deepcopy(issue)  # stored as corrected: the parse is kept for the file's other issues
            apply_overrides(issue, ImportOptions.kept_from(old, issue))
            new_id = self.records.store_parsed(key, issue, row["sha256"], row["original_name"], self.registry,
                                               old_id=current)
            drain(self.records, self.datadir)
            states = [c["state"] for c in self.records.corrections_of(key) if c["state"] != REVERTED]
            result.update(issue=new_id, applied=states.count("applied"), stale=states.count(STALE))
            out.append(result)
            if progress:
                progress(result)
        return out

    # --- the unit registry -----------------------------------------------------------------------

    def unit_change(self, op: str, name: str, other: str | None = None, aliases: list[str] | None = None,
                    who: str = "editor", note: str | None = None) -> list[str]:
        """add NAME [aliases], alias NAME ALIAS, rename OLD NEW, merge A B, ignore NAME: recorded,
        applied to the site registry, and every issue it concerns written and indexed again. The
        issues rewritten."""
        op = f"unit_{op}"
        if op not in UNIT_OPS:
            raise bad(f"unknown registry change {op!r}", "bad_op")
        name = check_name(name)
        other = check_name(other) if op in ("unit_alias", "unit_rename", "unit_merge") else None
        aliases = [check_name(a) for a in aliases or []]
        known = set(self.registry.canonical) | {u for u, _ in self.records.unit_counts(None)}
        if op in ("unit_alias", "unit_rename", "unit_merge", "unit_ignore") and name not in known \
                and not self.records.unit_canonical(name):
            raise NotFound(f"no unit {name}", what=name)
        if op == "unit_merge" and other not in known and not self.records.unit_canonical(other):
            raise NotFound(f"no unit {other}", what=other)
        before = self.registry.copy()
        anchor = {"aliases": aliases} if aliases else {}
        with self.records.transaction():
            cid = self.records.add_correction(who, "", name, op, "unit", None, other, note, anchor)
        self.registry = site_registry(self.records)
        return self._retag(before, [name, other, *aliases], cid)

    def revert_unit_change(self, c: dict, who: str) -> Change:
        before = self.registry.copy()
        with self.records.transaction():
            self.records.mark_reverted(c["id"], who)
        self.registry = site_registry(self.records)
        names = [c["target"], c["after"], *c["anchor"].get("aliases", [])]
        done = self._retag(before, names, c["id"])
        return Change(done[0] if done else "", None, [c["id"]], REVERTED)

    def _retag(self, before: Registry, names: list, cid: int) -> list[str]:
        names = {n for n in names if n}
        canon = {before.canonical_name(n) for n in names} | {self.registry.canonical_name(n) for n in names}
        affected = self.records.issues_naming(names | canon)
        done = []
        for issue_id in affected:
            new_id, _, _ = self._commit(issue_id, lambda key: [])
            done.append(new_id)
        return done


def clean_field(fld: str, value) -> str | None:
    value = "" if value is None else str(value).replace("\r\n", "\n").strip()
    if fld == "text":
        if not value:
            raise bad("an item's text cannot be empty (hide the item instead)", "empty_text")
        if len(value) > MAX_TEXT:
            raise bad(f"an item's text is at most {MAX_TEXT} characters", "long_text", limit=MAX_TEXT)
        return value
    if fld == "kind":
        if value not in ITEM_KINDS:
            raise bad(f"kind is one of {', '.join(ITEM_KINDS)}", "bad_kind")
        return value
    if len(value) > MAX_FIELD or "\n" in value:
        raise bad(f"a {fld} is one line of at most {MAX_FIELD} characters", "long_field", limit=MAX_FIELD)
    return value or None


def changed_fields(item: dict, fields: dict) -> list[tuple[str, object]]:
    """(field, new value) for each field but the text that a form gives and that differs from the item's."""
    out = []
    for fld in ITEM_EDIT_FIELDS:
        if fld == "text" or fld not in fields:
            continue
        after = clean_field(fld, fields[fld])
        if (item[fld] or None) != (after or None):
            out.append((fld, after))
    return out


def split_mark(value) -> tuple[str, int | None]:
    """A text as a form sends it → (the text, where SPLIT_MARK stood in it, or None); more than one
    mark is refused."""
    raw = "" if value is None else str(value).replace("\r\n", "\n").strip()
    if raw.count(SPLIT_MARK) > 1:
        raise bad(f"one {SPLIT_MARK} at a time: an item is split in one place per save", "split_marks")
    at = raw.find(SPLIT_MARK)
    text = clean_field("text", raw.replace(SPLIT_MARK, ""))
    if at < 0:
        return text, None
    return text, at


def clean_issue_value(fld: str, value):
    value = "" if value is None else str(value).strip()
    if value == "":
        if fld in ("year", "number", "publication"):
            raise bad(f"an issue's {fld} cannot be empty", "empty_field", field=fld)
        return None
    if fld in ("year", "number", "number_end"):
        try:
            n = int(value)
        except ValueError:
            raise bad(f"{fld} must be a whole number", "not_number", field=fld) from None
        lo, hi = (1900, 2100) if fld == "year" else (1, 999)
        if not lo <= n <= hi:
            raise bad(f"{fld} must be between {lo} and {hi}", "out_of_range", field=fld, lo=lo, hi=hi)
        return n
    if fld == "date":
        iso = parse_date(value) or (value if len(value) in (7, 10) and value[:4].isdigit() else None)
        if iso is None:
            raise bad("date must be YYYY-MM-DD (or YYYY-MM)", "bad_issue_date")
        return iso
    if len(value) > MAX_FIELD or "\n" in value:
        raise bad(f"a {fld} is one line of at most {MAX_FIELD} characters", "long_field", limit=MAX_FIELD)
    return value


def same_issue(issues: list, key: str, sha: str, old):
    """Of a file's issues as parsed now, the one an issue stored from it is (`key`: its parser's id,
    `old`: its parser's record then): the only one of a lone file; else the one the parser gives the
    same id, or the one found at the same file pages."""
    if len(issues) == 1 and not old.source_pages:
        return issues[0]
    return (next((i for i in issues if i.issue_id(sha) == key), None)
            or next((i for i in issues if old.source_pages and i.source_pages
                     and i.source_pages[0] == old.source_pages[0]), None))
