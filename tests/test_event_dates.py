"""Each activity's own date (store/event_dates.py): the rules from a table, the labelled sample's
accuracy (scripts/fixtures/make_dated_corpus.py sample, kept in tests/fixtures/chronicle/activities.json),
and the dates as imported, exported, migrated and read by the unit pages."""
import json
import sqlite3
from pathlib import Path

import pytest

from archive.store.event_dates import activity_date, event_date

FIXTURES = Path(__file__).parent / "fixtures" / "chronicle"


@pytest.mark.parametrize(("text", "issue", "want"), [
    # a day the text gives, in the issue's year
    ("4月15日，兰州铝业组织党员开展主题党日活动。", "2021-04-16", ("2021-04-15", "text")),
    ("兰州铝业于4月15日组织党员开展主题党日活动。", "2021-04-16", ("2021-04-15", "text")),
    ("兰州铝业在4 月 15 日组织学习。", "2021-04-16", ("2021-04-15", "text")),  # digits set apart
    ("４月１５日，兰州铝业组织学习。", "2021-04-16", ("2021-04-15", "text")),  # full-width
    ("四月十五日，兰州铝业组织学习。", "2021-04-16", ("2021-04-15", "text")),  # Chinese numerals
    ("十二月三十一日，兰州铝业组织学习。", "2022-01-05", ("2021-12-31", "text")),
    ("4月15号，兰州铝业组织学习。", "2021-04-16", ("2021-04-15", "text")),
    ("4月16日，兰州铝业组织学习。", "2021-04-16", ("2021-04-16", "text")),  # the issue's own day
    # ranges: the first day
    ("4月15日至17日，兰州铝业举办培训班。", "2021-04-20", ("2021-04-15", "text")),
    ("4月15—16日，兰州铝业举办培训班。", "2021-04-20", ("2021-04-15", "text")),
    ("3月28日至4月2日，兰州铝业举办培训班。", "2021-04-10", ("2021-03-28", "text")),
    # a month only
    ("4月上旬，兰州铝业组织学习。", "2021-04-16", ("2021-04", "text")),
    ("4月中下旬，兰州铝业组织学习。", "2021-04-30", ("2021-04", "text")),
    ("3月份，兰州铝业组织学习。", "2021-04-16", ("2021-03", "text")),
    ("兰州铝业在3月组织学习。", "2021-04-16", ("2021-03", "text")),
    ("1-3月，兰州铝业完成项目5个。", "2021-04-16", ("2021-01", "text")),
    ("截至3月底，兰州铝业完成项目5个。", "2021-04-16", ("2021-03", "text")),
    ("4月，兰州铝业组织学习。", "2021-04", ("2021-04", "text")),  # an issue dated by its month
    # the year rolls over: a December day in a January issue
    ("12月28日，兰州铝业组织学习。", "2021-01-10", ("2020-12-28", "text")),
    ("12月下旬，兰州铝业组织学习。", "2021-01-10", ("2020-12", "text")),
    ("11月20日，兰州铝业组织学习。", "2021-02-01", ("2020-11-20", "text")),
    # a year the text gives, or one it names relatively
    ("2020年12月28日，兰州铝业组织学习。", "2021-01-10", ("2020-12-28", "text")),
    ("去年12月，兰州铝业组织学习。", "2021-03-01", ("2020-12", "text")),
    ("今年3月，兰州铝业组织学习。", "2021-04-16", ("2021-03", "text")),
    # no date of its own: the issue's
    ("近日，兰州铝业组织学习。", "2021-04-16", ("2021-04-16", "issue")),
    ("日前，兰州铝业组织学习。", "2021-04-16", ("2021-04-16", "issue")),
    ("兰州铝业组织学习。", "2021-04-16", ("2021-04-16", "issue")),
    ("兰州铝业组织学习。", "2021-04", ("2021-04", "issue")),
    # never after the issue: a day still to come is no date of the activity
    ("4月20日，兰州铝业组织学习。", "2021-04-16", ("2021-04-16", "issue")),
    ("今年5月，兰州铝业组织学习。", "2021-04-16", ("2021-04-16", "issue")),
    ("2021年4月20日，兰州铝业组织学习。", "2021-04-16", ("2021-04-16", "issue")),
    ("6月15日，兰州铝业组织学习。", "2021-01-10", ("2021-01-10", "issue")),  # 2020-06-15: too far back
    # someone else's date: a speech, an instruction, a plan, a deadline, a title
    ("兰州铝业学习习近平总书记7月1日在庆祝大会上的重要讲话精神。", "2021-08-10", ("2021-08-10", "issue")),
    ("兰州铝业传达学习4月12日重要指示精神。", "2021-04-16", ("2021-04-16", "issue")),
    ("兰州铝业开展隐患排查，计划于5月底前完成整改。", "2021-04-16", ("2021-04-16", "issue")),
    ("兰州铝业开展隐患排查，确保3月31日前全部完成。", "2021-04-16", ("2021-04-16", "issue")),
    ("兰州铝业组织学习《2月20日讲话汇编》。", "2021-04-16", ("2021-04-16", "issue")),
    ("4月15日，兰州铝业开展隐患排查，计划于5月底前完成整改。", "2021-04-16", ("2021-04-15", "text")),
    # the first date of its own is the activity's
    ("4月12日，兰州铝业召开动员会；4月14日，又召开总结会。", "2021-04-16", ("2021-04-12", "text")),
    # not dates
    ("兰州铝业完成12个月的攻关。", "2021-04-16", ("2021-04-16", "issue")),
    ("兰州铝业2021年工作会议召开。", "2021-04-16", ("2021-04-16", "issue")),
    # an undated issue with a year: the text's month and day in that year
    ("4月15日，兰州铝业组织学习。", None, ("2021-04-15", "text")),
])
def test_event_date_rule(text, issue, want):
    assert event_date(text, issue, 2021) == want


@pytest.mark.parametrize(("text", "clause", "want"), [
    ("4月15日，兰州铝业召开大会，中州铝业组织学习。", "中州铝业组织学习。", ("2021-04-15", "text")),
    ("4月15日上午，兰州铝业召开大会，中州铝业组织学习。", "中州铝业组织学习。", ("2021-04-15", "text")),
    ("4月上旬，兰州铝业召开大会，中州铝业组织学习。", "中州铝业组织学习。", ("2021-04", "text")),
    ("4月15日，兰州铝业召开大会，中州铝业于4月12日组织学习。", "中州铝业于4月12日组织学习。", ("2021-04-12", "text")),
    ("4月15日，兰州铝业召开大会。中州铝业组织学习。", "中州铝业组织学习。", ("2021-04-16", "issue")),  # another sentence
    ("兰州铝业于4月15日召开大会，中州铝业组织学习。", "中州铝业组织学习。", ("2021-04-16", "issue")),  # no lead
    ("近日，兰州铝业召开大会，中州铝业组织学习。", "中州铝业组织学习。", ("2021-04-16", "issue")),
    ("4月15日，兰州铝业召开大会，中州铝业组织学习。", "4月15日，兰州铝业召开大会，", ("2021-04-15", "text")),
])
def test_a_date_that_leads_a_sentence_dates_its_later_clauses(text, clause, want):
    start = text.index(clause)
    assert activity_date(text, start, start + len(clause), "2021-04-16") == want


def test_an_undated_issue_without_a_year_gives_no_date():
    assert event_date("4月15日，兰州铝业组织学习。", None) == (None, "issue")


def after(date, issue):
    return bool(date and issue and date[:len(issue)] > issue[:len(date)])


def test_the_labelled_sample_is_dated_right_and_never_after_its_issue():
    """≥ 300 activities written by scripts/fixtures/make_dated_corpus.py with their truth: accuracy ≥ 0.98."""
    sample = json.loads((FIXTURES / "activities.json").read_text(encoding="utf-8"))
    assert len(sample) >= 300
    got = [activity_date(a.get("context", "") + a["text"], len(a.get("context", "")),
                         len(a.get("context", "") + a["text"]), a["issue_date"]) for a in sample]
    right = sum(g == (a["date"], a["date_source"]) for g, a in zip(got, sample))
    assert right / len(sample) >= 0.98, [(a["text"], a["issue_date"], a["date"], g) for g, a in zip(got, sample)
                                         if g[0] != a["date"]][:10]
    assert not [a for g, a in zip(got, sample) if after(g[0], a["issue_date"])]
    assert sum(a["date_source"] == "text" for a in sample) > 150  # most are dated: the sample tests something


# --- imported, exported, read ----------------------------------------------------------------------

@pytest.fixture
def dated(archive, data_dir):
    """The two fixture issues (2021-01-10 and 2021-01-24) imported."""
    result = archive("import", FIXTURES)
    assert result.exit_code == 0, result.output
    return data_dir


def activities_of(export):
    return [(r["id"], a) for r in export for s in r["sections"] for it in s["items"] for a in it["activities"]]


def test_an_import_dates_each_activity_and_exports_it(dated, archive):
    acts = activities_of(json.loads(archive("export").output))

    def starting(words):
        return next(a for _, a in acts if a["text"].startswith(words))
    assert starting("12月28日，兰州铝业组织党员")["date"] == "2020-12-28"  # in the issue of 2021-01-10
    assert starting("12月下旬，广西华昇")["date"] == "2020-12"
    assert (starting("近日，山西中润")["date"], starting("近日，山西中润")["date_source"]) == ("2021-01-10", "issue")
    assert starting("1月5日至6日，中州铝业")["date"] == "2021-01-05"
    speech = next(a for _, a in acts if "重要讲话" in a["text"])
    assert (speech["date"], speech["date_source"]) == ("2021-01-10", "issue")
    assert all(set(a) >= {"date", "date_source", "topics"} for _, a in acts)
    for record in json.loads(archive("export").output):
        assert not [a for s in record["sections"] for it in s["items"] for a in it["activities"]
                    if after(a["date"], record["date"])]
    original = activities_of(json.loads(archive("export", "--original").output))
    assert [(a["date"], a["date_source"], a["topics"]) for _, a in original] == \
        [(a["date"], a["date_source"], a["topics"]) for _, a in acts]


def test_a_units_page_and_its_date_filter_use_the_activitys_own_date(dated):
    from archive.store import DataDir
    with DataDir(dated).records() as records:
        acts = records.unit_activities("兰州铝业")
        assert [a["date"] for a in acts] == ["2021-01-15", "2020-12-28", "2020-12-28"]  # newest first, by own date
        assert records.unit_activity_count("兰州铝业", date_from="2021-01-01") == 1
        assert records.unit_activity_count("兰州铝业", date_to="2020-12-31") == 2
        assert records.unit_activity_count("广西华昇", date_from="2020-12-01", date_to="2020-12-31") == 1  # a month
        assert records.units_by_year()["兰州铝业"] == {2020: 2, 2021: 1}
        assert records.unit_activity_months("兰州铝业") == {(2020, 12): 2, (2021, 1): 1}


def test_a_unit_report_filtered_by_date_takes_the_activitys_date(dated, archive, tmp_path):
    out = tmp_path / "r.md"
    assert archive("report", "--unit", "兰州铝业", "--activities", "--to", "2020-12", "-o", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "2020年12月28日" in text and "带队" not in text


def test_a_schema_6_folder_gets_its_activities_dated(dated):
    """Dates, topics and people came with schema 7: an older folder's activities are made again."""
    from archive.store import DataDir, schema
    db = dated / "archive.sqlite3"
    conn = sqlite3.connect(db)
    conn.executescript("DROP TABLE activity_topics; DROP TABLE item_people; DROP TABLE activities;"
                       "CREATE TABLE activities (item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,"
                       " seq INTEGER NOT NULL, pos INTEGER NOT NULL, unit TEXT NOT NULL, canonical TEXT NOT NULL,"
                       " units TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,"
                       " page_start INTEGER NOT NULL, page_end INTEGER NOT NULL, PRIMARY KEY (item_id, seq, pos));"
                       "UPDATE meta SET value = '6' WHERE key = 'schema_version';")
    conn.commit()
    conn.close()
    with DataDir(dated).records() as records:
        assert [a["date"] for a in records.unit_activities("兰州铝业")] == ["2021-01-15", "2020-12-28", "2020-12-28"]
        assert records.topic_counts()["精益管理"] == 1
        assert any(p["name"] == "张建国" for p in records.people())
    assert sqlite3.connect(db).execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == \
        str(schema.SCHEMA_VERSION)
