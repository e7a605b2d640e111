"""The command line of issue 25: a year's 大事记 (`archive chronicle`), the topic vocabulary
(`archive topics` and its changes) and the people list (`archive people`, merge and rename).
Thin over archive.report.chronicle, service.topics and the records; registered by cli/main.py."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .edit import NOTE, WHO
from .reports import _output

CHRONICLE_FORMATS = ("docx", "xlsx", "md")


@click.command("chronicle")
@click.argument("year")
@click.option("--unit", help="Only this unit's activities (canonical name or any alias).")
@click.option("--topic", help="Only activities of this topic (专题; any of its names).")
@click.option("--format", "fmt", type=click.Choice(CHRONICLE_FORMATS), help="docx (Word/WPS), xlsx (Excel) or md.")
@click.option("-o", "--output", "out", help="File to write (- for stdout: md). Default: a name from the year.")
@click.pass_obj
def chronicle_cmd(obj, year, unit, topic, fmt, out) -> None:
    """A year's 大事记: what the units did, month by month, each entry dated as its own text dates
    it (4月15日　兰州铝业组织……) with its citation; one event reported twice is one entry citing both."""
    from ..report import suggested_filename, write_report
    from ..report.chronicle import chronicle_report
    from ..store.site_topics import site_topics
    from ..store.site_units import site_registry
    n, rows, meta = chronicle_report(obj.records, site_registry(obj.records), site_topics(obj.records), year, unit,
                                     topic)
    if fmt is None and out and out != "-" and Path(out).suffix.lower().lstrip(".") not in CHRONICLE_FORMATS:
        raise click.UsageError("give --format (docx, xlsx or md), or -o FILE ending in one of them")
    fmt, path = _output(out, fmt, lambda f: suggested_filename(meta, f))
    write_report(rows, meta, fmt, path if path else sys.stdout.buffer)
    if path:
        click.echo(obj.say("chronicle.written", path=Path(path).resolve(), n=n, year=meta.date_from[:4]), err=True)


def topic_editor(obj):
    from ..service.topics import TopicEditor
    return TopicEditor(obj.records, obj.datadir)


def topics_changed(obj, key: str, issues: list[str], **names) -> None:
    cid = obj.records.site_history("topic")[0]["id"]
    click.echo(obj.say("topics.changed", what=obj.say(key, **names), n=len(issues)) + obj.say("topics.undo", id=cid))


@click.group("topics", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--by-unit", is_flag=True, help="Each unit's activities per topic (a units × topics table).")
@click.pass_context
def topics_cmd(ctx: click.Context, as_json: bool, by_unit: bool) -> None:
    """List the topics (专题) with the activities each tags; add, alias, keyword, rename, merge or
    remove topics in this data folder's vocabulary (every change revertible: archive revert N)."""
    if ctx.invoked_subcommand is not None:
        return
    from ..store.site_topics import site_topics
    obj = ctx.obj
    if by_unit:
        table = obj.records.units_by_topic()
        if as_json:
            click.echo(json.dumps({u: dict(c) for u, c in sorted(table.items())}, ensure_ascii=False))
            return
        for unit, counts in sorted(table.items(), key=lambda kv: -sum(kv[1].values())):
            click.echo(f"{unit}: " + "，".join(f"{t} {n}" for t, n in counts.most_common()))
        return
    counts = obj.records.topic_counts()
    topics = site_topics(obj.records)
    if as_json:
        click.echo(json.dumps([{**t.as_dict(), "activities": counts.get(t.name, 0)} for t in topics.topics.values()],
                              ensure_ascii=False))
        return
    click.echo(obj.say("topics.header"))
    for t in topics.topics.values():
        years = f" [{t.years[0]}–{t.years[1]}]" if t.years else ""
        click.echo(f"{counts.get(t.name, 0):6d}  {t.name}{years}: {' | '.join(t.aliases) or '-'}; "
                   f"{' | '.join(t.keywords) or '-'}")


def parse_years(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    from ..search.query import year_range
    lo, hi = year_range(value)
    return (lo or hi, hi or lo)


@topics_cmd.command("add")
@click.argument("name")
@click.option("--alias", multiple=True, help="Another name of the topic (a text naming it is about it).")
@click.option("--keyword", multiple=True, help="A word that marks the topic (within its years).")
@click.option("--years", help="The years it ran: 2021 or 2021..2022 (its keywords count only then).")
@NOTE
@WHO
@click.pass_obj
def topics_add(obj, name, alias, keyword, years, note, who) -> None:
    """Add a topic."""
    done = topic_editor(obj).change("add", name, aliases=list(alias), keywords=list(keyword), years=parse_years(years),
                                    who=who, note=note)
    topics_changed(obj, "topics.added", done, name=name)


def _pair(op: str, key: str, first: str, second: str):
    @topics_cmd.command(op)
    @click.argument(first)
    @click.argument(second)
    @NOTE
    @WHO
    @click.pass_obj
    def command(obj, note, who, **names) -> None:
        a, b = names[first], names[second]
        done = topic_editor(obj).change(op, a, b, who=who, note=note)
        topics_changed(obj, key, done, name=a, alias=b, word=b, old=a, new=b, a=a, b=b)
    command.__doc__ = {"alias": "Another name of a topic.", "keyword": "A word that marks a topic.",
                       "exclude": "A phrase that holds a keyword without being about the topic (精益求精).",
                       "rename": "Give a topic a new name (the old one stays a name of it).",
                       "merge": "Merge topic A into topic B (A's names and keywords become B's)."}[op]
    return command


topics_alias = _pair("alias", "topics.aliased", "name", "alias")
topics_keyword = _pair("keyword", "topics.keyword", "name", "word")
topics_exclude = _pair("exclude", "topics.excluded", "name", "phrase")
topics_rename = _pair("rename", "topics.renamed", "old", "new")
topics_merge = _pair("merge", "topics.merged", "a", "b")


@topics_cmd.command("remove")
@click.argument("name")
@NOTE
@WHO
@click.pass_obj
def topics_remove(obj, name, note, who) -> None:
    """Remove a topic (no activity is tagged with it any more)."""
    topics_changed(obj, "topics.removed", topic_editor(obj).change("remove", name, who=who, note=note), name=name)


@click.group("people", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def people_cmd(ctx: click.Context, as_json: bool) -> None:
    """List the people items are signed by or name with their unit (items, units); merge or rename
    spellings (revertible: archive revert N)."""
    if ctx.invoked_subcommand is not None:
        return
    people = ctx.obj.records.people()
    if as_json:
        click.echo(json.dumps(people, ensure_ascii=False))
        return
    if not people:
        click.echo(ctx.obj.say("people.none"))
    for p in people:
        also = f" ({'、'.join(s for s in p['spellings'] if s != p['name'])})" if len(p["spellings"]) > 1 else ""
        click.echo(f"{p['items']:6d}  {p['name']}{also}  {'、'.join(p['units'][:4])}  {p['first'] or ''}–{p['last'] or ''}")


def _people_change(op: str, key: str):
    @people_cmd.command(op)
    @click.argument("a")
    @click.argument("b")
    @NOTE
    @WHO
    @click.pass_obj
    def command(obj, a, b, note, who) -> None:
        from ..service.topics import PeopleEditor
        cid = PeopleEditor(obj.records).change(op, a, b, who=who, note=note)
        click.echo(obj.say("people.changed", what=obj.say(key, a=a, b=b), id=cid))
    command.__doc__ = {"merge": "A is another spelling of B (A's items become B's).",
                       "rename": "Call person A by the name B."}[op]
    return command


people_merge = _people_change("merge", "people.merged")
people_rename = _people_change("rename", "people.renamed")

COMMANDS = (chronicle_cmd, topics_cmd, people_cmd)
