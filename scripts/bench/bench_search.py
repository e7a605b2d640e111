"""Search benchmark: a synthetic archive (no PDFs) of N items, index build time, and in-process
query latency (p50/p95) over a fixed mix, side by side with SQLite FTS5 over the same bigram text.

    .venv/bin/python -m scripts.bench.bench_search [--sizes 20000 100000] [--work /tmp/archive-bench] [--reps 5]

Item text comes from ../shared/corpus/make_corpus.py (synth_issue). Records are written with
Records.write_issue; the Whoosh index is built with index.rebuild (what `archive reindex` does).
Whoosh queries go through search.Searcher (parse, query, top 20, records, snippets, citations;
and once more with titles=False, without the second search for title hits);
FTS5 queries return the top 20 ids by bm25 and count all matches.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

from scripts.common import SHARED, load_make_corpus
from tests.servers import pct


from archive.ingest.units import Registry
from archive.model import Issue, Item, Section
from archive.search import index
from archive.search.analysis import query_tokens, tokens
from archive.search.query import date_range, parse, year_range
from archive.search.searcher import Searcher
from archive.store import DataDir
from archive.search.spec import SearchSpec

# The fixed mix: (kind, query, filters)
MIX = [
    ("2-char", "党史", {}), ("2-char", "安全", {}), ("2-char", "隐患", {}), ("2-char", "捐款", {}),
    ("2-char", "初心", {}), ("2-char", "党课", {}), ("2-char", "宣誓", {}), ("2-char", "家书", {}),
    ("unit name", "中州铝业", {}), ("unit name", "抚顺铝业", {}), ("unit name", "广西华昇", {}),
    ("unit name", "青海分公司", {}), ("unit name", "山西中润", {}),
    ("phrase", '"主题党日活动"', {}), ("phrase", '"技能比武"', {}), ("phrase", "降本增效", {}),
    ("phrase", '"党员先锋岗"', {}), ("phrase", "专题宣讲报告会", {}),
    ("filter", "", {"unit": "中州铝业"}), ("filter", "安全", {"unit": "抚顺铝业"}),
    ("filter", "党史 year:2005", {}), ("filter", "捐款", {"date_from": "2003-01-01", "date_to": "2004-06-30"}),
    ("filter", "section:践·铝之行 隐患", {}), ("filter", "知识竞赛 -unit:中州铝业", {}),
]


def synth_items(n_items: int, seed: int = 7):
    make_corpus = load_make_corpus(SHARED / "corpus")
    rng = random.Random(seed)
    year, number, total = 2000, 1, 1
    date = dt.date(2000, 1, 8)
    count = 0
    while count < n_items:
        raw = make_corpus.synth_issue(rng, year, number, total, date)
        sections = []
        for s in raw["sections"]:
            items = [Item(it["text"], 1, 1, heading=it.get("heading"), source=it.get("source"),
                          author=it.get("author"), units=list(it.get("units") or ([it["unit"]] if it.get("unit") else [])))
                     for s_it in [s] for it in s_it["items"]]
            sections.append(Section(s["title"], items))
            count += len(items)
        yield Issue(publication=raw["publication"], year=year, number=number, total_number=total,
                    date=raw["date"], publisher=raw["publisher"], pages=4, sections=sections)
        date += dt.timedelta(days=rng.choice([7, 7, 14]))
        total += 1
        if date.year != year:
            year, number = date.year, 1
        else:
            number += 1


def build_records(data: Path, n_items: int) -> int:
    reg = Registry.load()
    n = 0
    with DataDir(data).records() as records:
        for iss in synth_items(n_items):
            sha = f"{iss.year}{iss.number:03d}{iss.total_number:08d}".ljust(64, "0")
            canonical = {u: reg.canonical_name(u) for s in iss.sections for it in s.items for u in it.units}
            records.write_issue(iss.issue_id(sha), iss, sha, "synthetic.pdf", canonical)
            n += sum(len(s.items) for s in iss.sections)
    return n


# ---------------------------------------------------------------------------------------------
# FTS5 over the same bigram-split text

def build_fts(data: Path) -> float:
    conn = DataDir(data).records().conn
    t = time.perf_counter()
    conn.execute("DROP TABLE IF EXISTS fts")
    conn.execute("CREATE VIRTUAL TABLE fts USING fts5(text, chars, section, tokenize='unicode61')")
    conn.execute("BEGIN")
    rows = conn.execute("SELECT i.rowid, i.text, s.title FROM items i LEFT JOIN sections s"
                        " ON s.issue_id = i.issue_id AND s.seq = i.section_seq")
    conn.executemany("INSERT INTO fts(rowid, text, chars, section) VALUES (?, ?, ?, ?)",
                     ((r[0], " ".join(tokens(r[1])), " ".join(tokens(r[1], unigrams=True)),
                       " ".join(tokens(r[2] or ""))) for r in rows))
    conn.execute("COMMIT")
    conn.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    elapsed = time.perf_counter() - t
    conn.close()
    return elapsed


def fts_match(value: str, column: str = "text") -> str:
    kind, toks = query_tokens(value)  # bigrams (or chars and words) as an FTS5 phrase
    return ("chars" if kind == "chars" and column == "text" else column) + ' : "' + " ".join(toks) + '"'


def fts_query(conn, reg, q: str, filters: dict) -> tuple[int, list]:
    parsed = parse(q)
    match, where, args = [], [], []
    for group in parsed.groups:
        leaf = group[0]
        if leaf.field is None:
            match.append(("NOT " if leaf.negated else "") + fts_match(leaf.value))
        elif leaf.field == "section":
            match.append('section : "' + " ".join(tokens(leaf.value)) + '"')
        elif leaf.field == "unit":
            names = reg.names_for(leaf.value)
            where.append(("NOT " if leaf.negated else "") + "EXISTS (SELECT 1 FROM item_units u WHERE u.item_id = i.id"
                         f" AND u.canonical IN ({','.join('?' * len(names))}))")
            args += names
        elif leaf.field == "year":
            lo, hi = year_range(leaf.value)
            where.append("iss.year BETWEEN ? AND ?")
            args += [lo, hi]
    if filters.get("unit"):
        names = reg.names_for(filters["unit"])
        where.append(f"EXISTS (SELECT 1 FROM item_units u WHERE u.item_id = i.id AND u.canonical IN "
                     f"({','.join('?' * len(names))}))")
        args += names
    if filters.get("date_from"):
        lo, hi = date_range(f"{filters['date_from']}..{filters.get('date_to', '')}")
        where.append("iss.date BETWEEN ? AND ?")
        args += [lo, hi or "9999"]
    # FTS5 cannot start with NOT: put positive terms first
    match.sort(key=lambda m: m.startswith("NOT "))
    expr = " ".join(match) if match else None
    sql_from = "items i JOIN issues iss ON iss.id = i.issue_id"
    if expr:
        sql_from = "fts JOIN items i ON i.rowid = fts.rowid JOIN issues iss ON iss.id = i.issue_id"
        where.insert(0, "fts MATCH ?")
        args.insert(0, expr)
    cond = " WHERE " + " AND ".join(where) if where else ""
    total = conn.execute(f"SELECT COUNT(*) FROM {sql_from}{cond}", args).fetchone()[0]
    order = " ORDER BY bm25(fts)" if expr else " ORDER BY iss.date DESC, i.id"
    top = conn.execute(f"SELECT i.id FROM {sql_from}{cond}{order} LIMIT 20", args).fetchall()
    return total, [r[0] for r in top]


# ---------------------------------------------------------------------------------------------

def bench(size: int, work: Path, reps: int) -> dict:
    data = work / f"data-{size}"
    if data.exists():
        shutil.rmtree(data)
    t = time.perf_counter()
    n = build_records(data, size)
    t_records = time.perf_counter() - t
    datadir = DataDir(data)
    records = datadir.records()
    t = time.perf_counter()
    index.rebuild(records, datadir)
    t_index = time.perf_counter() - t
    t_fts = build_fts(data)
    size_ix = sum(f.stat().st_size for f in datadir.index_link.resolve().iterdir())
    out = {"items": n, "records_s": round(t_records, 1), "whoosh_build_s": round(t_index, 1),
           "fts5_build_s": round(t_fts, 1), "whoosh_mb": round(size_ix / 2**20, 1), "kinds": {}}
    reg = Registry.load()
    fconn = sqlite3.connect(datadir.db_path)
    with Searcher(datadir, records) as s:
        for kind, q, f in MIX:  # warm up: open segments, caches
            s.search(SearchSpec(q, **f), limit=20)
            fts_query(fconn, reg, q, f)
        w_all, f_all, n_all = [], [], []
        for kind in dict.fromkeys(k for k, _, _ in MIX):
            w_times, f_times, n_times, totals = [], [], [], []
            for _ in range(reps):
                for k, q, f in MIX:
                    if k != kind:
                        continue
                    t = time.perf_counter()
                    r = s.search(SearchSpec(q, **f), limit=20)
                    w_times.append((time.perf_counter() - t) * 1000)
                    t = time.perf_counter()
                    s.search(SearchSpec(q, **f), limit=20, titles=False)  # without the title hits' second search
                    n_times.append((time.perf_counter() - t) * 1000)
                    t = time.perf_counter()
                    ft, _ = fts_query(fconn, reg, q, f)
                    f_times.append((time.perf_counter() - t) * 1000)
                    totals.append((q, r.total, ft))
            w_all += w_times
            f_all += f_times
            n_all += n_times
            out["kinds"][kind] = {"whoosh_p50": round(statistics.median(w_times), 1),
                                  "whoosh_p95": round(pct(w_times, 95), 1),
                                  "notitles_p50": round(statistics.median(n_times), 1),
                                  "notitles_p95": round(pct(n_times, 95), 1),
                                  "fts5_p50": round(statistics.median(f_times), 1),
                                  "fts5_p95": round(pct(f_times, 95), 1),
                                  "totals_agree": all(a == b for _, a, b in totals),
                                  "disagree": sorted({(q, a, b) for q, a, b in totals if a != b})[:3]}
        out["all"] = {"whoosh_p50": round(statistics.median(w_all), 1), "whoosh_p95": round(pct(w_all, 95), 1),
                      "notitles_p50": round(statistics.median(n_all), 1), "notitles_p95": round(pct(n_all, 95), 1),
                      "fts5_p50": round(statistics.median(f_all), 1), "fts5_p95": round(pct(f_all, 95), 1)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[20000, 100000])
    ap.add_argument("--work", type=Path, default=Path("/tmp/archive-bench"))
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--keep", action="store_true", help="keep the data folders")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        r = bench(size, args.work, args.reps)
        print(f"\n== {r['items']} items: records {r['records_s']} s, Whoosh index {r['whoosh_build_s']} s "
              f"({r['whoosh_mb']} MB), FTS5 index {r['fts5_build_s']} s")
        print(f"{'kind':10} {'whoosh p50':>11} {'p95':>7} {'no titles':>10} {'p95':>7} {'fts5 p50':>9} {'p95':>7}"
              "  same totals")
        for kind, k in list(r["kinds"].items()) + [("all", r["all"])]:
            agree = "" if kind == "all" else ("yes" if k["totals_agree"] else f"no {k['disagree']}")
            print(f"{kind:10} {k['whoosh_p50']:>9.1f}ms {k['whoosh_p95']:>5.1f}ms {k['notitles_p50']:>8.1f}ms "
                  f"{k['notitles_p95']:>5.1f}ms {k['fts5_p50']:>7.1f}ms {k['fts5_p95']:>5.1f}ms  {agree}")
        sys.stdout.flush()
        if not args.keep:
            shutil.rmtree(args.work / f"data-{size}", ignore_errors=True)


if __name__ == "__main__":
    main()
