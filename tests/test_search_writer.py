"""writer.FastWriter writes the very index Whoosh's SegmentWriter writes: every term and posting
(ids, weights, values, term statistics), stored field, column and field length — for a rebuild in
one commit and for one in several commits merged at the end (the path of a large archive). And
analysis.index_terms gives the analyzers' terms."""
import random

import pytest
from whoosh import index as windex

from archive.search import index
from archive.search.analysis import index_terms, tokens
from archive.store import DataDir
from tests.test_search_arrays import synthetic_issue, write


@pytest.mark.parametrize("text", [
    "", "党", "党史学习教育", "党 史", "党\u00ad史\u200b学习", "ＥＲＰ系统 QC小组", "投入51680元，4月16日", "İstanbul 党史",
    "Ｆｕｌｌ－ｗｉｄｔｈ　全角　空格", "ABC", "一、二、三", "x" * 3, "中铝 股份 2021年 第5期 （总第55期）",
])
@pytest.mark.parametrize("unigrams", [False, True])
def test_index_terms_are_the_analyzers_terms(text, unigrams):
    assert index_terms(text, unigrams) == tokens(text, unigrams)


def contents(folder) -> dict:
    ix = windex.open_dir(str(folder))
    try:
        r = ix.reader()
        n = r.doc_count_all()
        out = {"docs": n, "stored": list(r.all_stored_fields()), "terms": {}, "lengths": {}, "columns": {},
               "field_lengths": {f: r.field_length(f) for f in ix.schema.names()}}
        for fieldname, text in r.all_terms():
            m = r.postings(fieldname, text)
            postings = []
            while m.is_active():
                postings.append((m.id(), m.weight(), m.value()))
                m.next()
            ti = r.term_info(fieldname, text)
            out["terms"][(fieldname, text)] = (postings, ti.weight(), ti.doc_frequency(), ti.min_length(),
                                                ti.max_length(), ti.max_weight())
        for f in ix.schema.names():
            if ix.schema[f].scorable:
                out["lengths"][f] = [r.doc_field_length(d, f) for d in range(n)]
            if r.has_column(f):
                col = r.column_reader(f, translate=False)
                out["columns"][f] = [col[d] for d in range(n)]
        r.close()
        return out
    finally:
        ix.close()


def plain_writer(ix, timeout=index.WRITE_TIMEOUT, **kwargs):
    return ix.writer(timeout=timeout, **kwargs)


@pytest.mark.parametrize("batch", [100000, 60])
def test_fast_writer_writes_the_same_index(tmp_path, monkeypatch, batch):
    dd = DataDir(tmp_path / "data")
    rng = random.Random(11)
    with dd.records() as records:
        for k in range(8):
            write(records, synthetic_issue(rng, k))
        monkeypatch.setattr(index, "BATCH_ITEMS", batch)  # 60: several commits, merged at the end
        fast, plain = tmp_path / "fast", tmp_path / "plain"
        fast.mkdir()
        plain.mkdir()
        assert index._build(records, fast) == 8 * 18
        monkeypatch.setattr(index, "open_writer", plain_writer)
        index._build(records, plain)
    a, b = contents(fast), contents(plain)
    assert a["terms"] and a["columns"]["mtext"]
    assert a == b


@pytest.mark.parametrize("ram_mb, cap_mb, expected", [
    (4096, None, 512),     # a small machine: the floor
    (8192, None, 1024),    # an eighth of its memory
    (65536, None, 2048),   # a large one: the ceiling
    (65536, 1024, 256),    # under an address-space cap (the import worker's): a quarter of it
])
def test_a_rebuild_buffers_by_the_machines_memory(monkeypatch, ram_mb, cap_mb, expected):
    import os
    import resource
    monkeypatch.setattr(os, "sysconf", lambda name: {"SC_PAGE_SIZE": 4096, "SC_PHYS_PAGES": ram_mb * 256}[name])
    cap = resource.RLIM_INFINITY if cap_mb is None else cap_mb * 2**20
    monkeypatch.setattr(resource, "getrlimit", lambda which: (cap, cap))
    assert index.rebuild_limit_mb() == expected


def test_a_rebuild_tells_its_progress_as_it_goes(tmp_path, monkeypatch):
    dd = DataDir(tmp_path / "data")
    rng = random.Random(5)
    with dd.records() as records:
        for k in range(4):
            write(records, synthetic_issue(rng, k))
        monkeypatch.setattr(index, "PROGRESS_ITEMS", 10)
        seen = []
        assert index.rebuild(records, dd, progress=seen.append) == 4 * 18
    assert seen == list(range(10, 4 * 18, 10)) + [4 * 18]
