"""The site's unit registry: the shipped units.json (ingest.units.Registry) with the additions staff
made in this data folder (add, alias, rename, merge, ignore), each recorded in the corrections table
(issue_key '', op unit_*), replayed in order, so a change can be reverted like any correction."""
from __future__ import annotations

import threading
from functools import lru_cache

from ..ingest.units import Registry
from .corrections import MAX_UNIT

UNIT_OPS = ("unit_add", "unit_alias", "unit_rename", "unit_merge", "unit_ignore")


def apply_unit_op(reg: Registry, op: str, target: str, after: str | None, anchor: dict) -> None:
    if op == "unit_add":
        reg.canonical[target] = target
        reg.site_names.add(target)
        for alias in anchor.get("aliases", []):
            reg.canonical[alias] = target
            reg.site_names.add(alias)
        reg.ignored.discard(target)
    elif op == "unit_alias":
        reg.canonical.setdefault(target, target)
        reg.canonical[after] = reg.canonical_name(target)
        reg.site_names.add(after)
    elif op in ("unit_rename", "unit_merge"):
        old, new = reg.canonical_name(target), reg.canonical_name(after) if op == "unit_merge" else after
        for name, canon in list(reg.canonical.items()):
            if canon == old:
                reg.canonical[name] = new
        reg.canonical[target] = new
        reg.canonical.setdefault(new, new)
        reg.site_names.update((target, new))
    elif op == "unit_ignore":
        reg.ignored.add(target)
    reg._pattern = None


@lru_cache(maxsize=1)
def shipped() -> Registry:
    """The shipped registry, read once (callers get copies)."""
    return Registry.load()


_site: dict[str, tuple[tuple, Registry]] = {}  # database → (stamp, the registry it gave)
_site_lock = threading.Lock()


def site_registry(records) -> Registry:
    """The one way to the unit registry: this data folder's (the shipped one with the site's
    changes replayed), made again only when a change was made or reverted since (from any
    process: the stamp is read each time, one small query). A copy of its own for the caller."""
    stamp = records.registry_stamp()
    key = records.database
    with _site_lock:
        cached = _site.get(key)
    if cached is None or cached[0] != stamp:
        reg = shipped().copy()
        for change in records.unit_changes():
            apply_unit_op(reg, change["op"], change["target"], change["after"], change["anchor"])
        cached = (stamp, reg)
        with _site_lock:
            _site[key] = cached
    return cached[1].copy()


def check_name(name: str | None) -> str:
    from ..errors import BadEdit
    name = (name or "").strip()
    if not name:
        raise BadEdit("a unit's name cannot be empty", "empty_unit")
    if len(name) > MAX_UNIT or any(c in name for c in "\n\r\t,，、"):
        raise BadEdit(f"a unit's name is at most {MAX_UNIT} characters, on one line, without commas",
                      "long_unit", limit=MAX_UNIT)
    return name


def retag(issue, registry: Registry) -> None:
    """Tag the site's names where an item's text has them and the parser did not (an editor's
    remove_unit, applied after, still wins), and drop names staff said are not units."""
    site = [n for n in registry.site_names if n and n not in registry.ignored]
    for section in issue.sections:
        for item in section.items:
            if site:
                for name in site:
                    if name in (item.text or "") and name not in item.units \
                            and not any(name in u for u in item.units if u != name):
                        item.units.append(name)
            if registry.ignored:
                item.units = [u for u in item.units if u not in registry.ignored
                              and registry.canonical_name(u) not in registry.ignored]
