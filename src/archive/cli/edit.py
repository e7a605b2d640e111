"""The command line of corrections: correct, correct-issue, history, revert, reparse, review,
mark-reviewed and the unit registry's changes (archive units add|alias|rename|merge|ignore). Thin
over archive.service.correcting and store.review; errors are the core's ArchiveErrors (cli.ArchiveGroup)."""
from __future__ import annotations

import json

import click

from ..messages import change_line

WHO = click.option("--who", callback=lambda ctx, param, value: value or ctx.obj.settings.editor or "cli",
                   show_default="$ARCHIVE_EDITOR or $USER", help="The editor's name, recorded with the change.")
NOTE = click.option("--note", help="Why (kept with the change).")


def editor(obj):
    from ..service.correcting import Editor
    return Editor(obj.records, obj.datadir)


@click.command("correct")
@click.argument("item")
@click.option("--text", help="The item's text as printed.")
@click.option("--heading", help="Its heading ('' clears it).")
@click.option("--section", help="The title of its section.")
@click.option("--kind", type=click.Choice(["paragraph", "caption", "table"]))
@click.option("--author", help="Its author ('' clears it).")
@click.option("--source", help="Its source ('' clears it).")
@click.option("--add-unit", multiple=True, help="A unit it names (may be given more than once).")
@click.option("--remove-unit", multiple=True, help="A unit it does not name.")
@click.option("--split-at", type=int, help="Split it into two at this character of its text.")
@click.option("--merge-next", is_flag=True, help="Merge it with the next item.")
@click.option("--hide", is_flag=True, help="Hide it (a running header that slipped through).")
@click.option("--show", is_flag=True, help="Show a hidden item again.")
@NOTE
@WHO
@click.pass_obj
def correct_cmd(obj, item, text, heading, section, kind, author, source, add_unit, remove_unit, split_at, merge_next,
                hide, show, note, who) -> None:
    """Correct an item: its text, heading, section, kind, author, source or units; split, merge,
    hide or show it. Each change is recorded (archive history ITEM) and can be reverted."""
    steps = [("set", v, f) for f, v in (("text", text), ("heading", heading), ("section", section), ("kind", kind),
                                        ("author", author), ("source", source)) if v is not None]
    steps += [("add_unit", u, None) for u in add_unit] + [("remove_unit", u, None) for u in remove_unit]
    steps += [("split", split_at, None)] if split_at is not None else []
    steps += [("merge", None, None)] if merge_next else []
    steps += [("hide", None, None)] if hide else []
    steps += [("show", None, None)] if show else []
    if not steps:
        raise click.UsageError("say what to change: --text, --heading, --add-unit, --hide, … (see --help)")
    ed = editor(obj)
    target = item
    for op, value, fld in steps:
        change = ed.correct_item(target, op, value, fld=fld, who=who, note=note)
        click.echo(change_line(f"{op} {fld or ''}".strip(), change))
        target = change.item_id or target


@click.command("correct-issue")
@click.argument("issue")
@click.option("--publication")
@click.option("--year", help="A new year changes the issue's id (the old one redirects).")
@click.option("--number", help="A new number changes the issue's id (the old one redirects).")
@click.option("--number-end", help="The last number of a combined issue (合刊); '' clears it.")
@click.option("--special", help="增刊, 特刊…; '' clears it.")
@click.option("--date", help="YYYY-MM-DD or YYYY-MM.")
@click.option("--publisher")
@NOTE
@WHO
@click.pass_obj
def correct_issue_cmd(obj, issue, publication, year, number, number_end, special, date, publisher, note, who) -> None:
    """Correct an issue's metadata."""
    changes = {k: v for k, v in (("publication", publication), ("year", year), ("number", number),
                                 ("number_end", number_end), ("special", special), ("date", date),
                                 ("publisher", publisher)) if v is not None}
    if not changes:
        raise click.UsageError("say what to change: --year, --number, --date, … (see --help)")
    change = editor(obj).correct_issue(issue, changes, who=who, note=note)
    click.echo(change_line("issue", change) + (f" (was {issue})" if change.issue_id != issue else ""))


def history_line(c: dict) -> str:
    what = c["op"] + (f" {c['field']}" if c["field"] and c["op"] in ("set", "set_issue") else "")
    change = " → ".join(repr(v)[:60] for v in (c["before"], c["after"]) if v is not None)
    state = {"applied": "", "stale": "  [no longer applies]", "reverted": f"  [reverted by {c['reverted_by']}]"}
    return (f"{c['id']:>5}  {c['at']}  {c['who']}  {c['applied_to'] or c['target']}  {what}  {change}"
            f"{state.get(c['state'], '')}{'  # ' + c['note'] if c['note'] else ''}")


@click.command("history")
@click.argument("target")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def history_cmd(obj, target, as_json) -> None:
    """The corrections of an item or an issue, oldest first."""
    from ..errors import NotFound
    found = obj.records.history(target)
    if not found and obj.records.item(target) is None and obj.records.current_id(target) is None:
        raise NotFound(f"no item or issue {target}", what=target)
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False))
        return
    if not found:
        click.echo(f"{target}: no corrections")
    for c in found:
        click.echo(history_line(c))


@click.command("revert")
@click.argument("correction", type=int)
@WHO
@click.pass_obj
def revert_cmd(obj, correction, who) -> None:
    """Revert a correction (by its number, see archive history)."""
    change = editor(obj).revert(correction, who)
    click.echo(f"reverted correction {correction}" + (f": {change.item_id or change.issue_id}" if change.issue_id else ""))


@click.command("reparse")
@click.argument("issues", nargs=-1)
@click.pass_obj
def reparse_cmd(obj, issues) -> None:
    """Run the current parser again over the stored originals (all issues, or those given) and
    apply their corrections again; those that no longer apply are listed by archive review."""
    failed = 0
    for r in editor(obj).reparse(list(issues) or None):
        if r["error"]:
            failed += 1
            click.echo(f"{r['was']}: not reparsed: {r['error']}", err=True)
            continue
        moved = f" (now {r['issue']})" if r["issue"] != r["was"] else ""
        click.echo(f"{r['was']}: reparsed{moved}; corrections applied {r['applied']}, no longer applying {r['stale']}")
    if failed:
        raise SystemExit(1)


def review_line(e: dict) -> str:
    from ..messages import reviews_en
    from ..model import Review
    k = e["kind"]
    if k == "stale_correction":
        return f"correction {e['correction']} ({e['op']} {e['field'] or ''}) of {e['item']} no longer applies"
    if k == "needs_review":
        return f"issue {e['issue']} needs review: {reviews_en([Review.from_stored(r) for r in e['reviews']])}"
    if k == "low_confidence":
        return f"item {e['item']} read by OCR with confidence {e['confidence']}: {e['detail']}"
    if k == "suspicious":
        why = {"very_short": "very short", "very_long": "very long", "crosses_title": "runs over a section title"}
        return f"item {e['item']} is {why[e['reason']]}: {e['detail']}"
    examples = " | ".join(x["text"] for x in e["examples"])
    return f"unit {e['unit']} is not in the registry ({e['count']} items): {examples}"


@click.command("review")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def review_cmd(obj, as_json) -> None:
    """What needs a person's eye, most urgent first."""
    from ..store.review import review_queue
    from ..store.site_units import site_registry
    queue = review_queue(obj.records, site_registry(obj.records))
    if as_json:
        click.echo(json.dumps(queue, ensure_ascii=False))
        return
    if not queue:
        click.echo("nothing to review")
    for e in queue:
        click.echo(review_line(e))


@click.command("mark-reviewed")
@click.argument("issues", nargs=-1, required=True)
@WHO
@click.pass_obj
def mark_reviewed_cmd(obj, issues, who) -> None:
    """Mark issues reviewed (they leave the review queue; /years shows them reviewed)."""
    ed = editor(obj)
    for issue in issues:
        click.echo(f"{ed.mark_reviewed(issue, who)}: reviewed")


def unit_changed(what: str, issues: list[str]) -> None:
    click.echo(f"{what}; {len(issues)} issue(s) re-tagged and re-indexed")


@click.command("add")
@click.argument("name")
@click.option("--alias", multiple=True, help="Another name it is printed under.")
@NOTE
@WHO
@click.pass_obj
def units_add(obj, name, alias, note, who) -> None:
    """Add a unit to this site's registry."""
    unit_changed(f"added {name}", editor(obj).unit_change("add", name, aliases=list(alias), who=who, note=note))


@click.command("alias")
@click.argument("name")
@click.argument("alias")
@NOTE
@WHO
@click.pass_obj
def units_alias(obj, name, alias, note, who) -> None:
    """Another name a unit is printed under."""
    unit_changed(f"{alias} is now {name}", editor(obj).unit_change("alias", name, alias, who=who, note=note))


@click.command("rename")
@click.argument("old")
@click.argument("new")
@NOTE
@WHO
@click.pass_obj
def units_rename(obj, old, new, note, who) -> None:
    """Give a unit a new canonical name (the old one stays an alias)."""
    unit_changed(f"renamed {old} to {new}", editor(obj).unit_change("rename", old, new, who=who, note=note))


@click.command("merge")
@click.argument("a")
@click.argument("b")
@NOTE
@WHO
@click.pass_obj
def units_merge(obj, a, b, note, who) -> None:
    """Merge unit A into unit B (A's names become B's)."""
    unit_changed(f"merged {a} into {b}", editor(obj).unit_change("merge", a, b, who=who, note=note))


@click.command("ignore")
@click.argument("name")
@NOTE
@WHO
@click.pass_obj
def units_ignore(obj, name, note, who) -> None:
    """Not a unit (a discovery's mistake): no item is tagged with it."""
    unit_changed(f"ignoring {name}", editor(obj).unit_change("ignore", name, who=who, note=note))


COMMANDS = (correct_cmd, correct_issue_cmd, history_cmd, revert_cmd, reparse_cmd, review_cmd, mark_reviewed_cmd)
UNIT_COMMANDS = (units_add, units_alias, units_rename, units_merge, units_ignore)
