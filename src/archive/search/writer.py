"""Whoosh's SegmentWriter, writing the very same index faster (a rebuild, an import's drain).

Whoosh spends its time per posting in Python. Three of those costs are avoidable without changing
a byte that matters (tests/test_search_writer.py compares every term, posting, stored field, column
and length of an index written both ways):

* our text fields (analysis.BigramAnalyzer / UnigramAnalyzer into a Frequency format) are analysed
  by `analysis.index_terms`: the same terms in the same order, without a Token object per term;
* the posting pool is fed a document's postings (or a merged segment's) at once (the same size
  accounting, no asserts);
* writing the segment, each posting's field length is looked up in a list read once per field,
  not in the length column through a file read per posting, and the postings writer's add_posting
  is inlined (add_postings).
"""
from __future__ import annotations

from collections import Counter

from whoosh import formats
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.system import emptybytes
from whoosh.util.numeric import byte_to_length
from whoosh.writing import PostingPool, SegmentWriter

from .analysis import CJKBigramFilter, index_terms


def fast_unigrams(field) -> bool | None:
    """For a field our analysis.index_terms can analyse (a Frequency format over BigramAnalyzer or
    UnigramAnalyzer): whether it wants unigrams; else None (Whoosh's own field.index)."""
    if type(field.format) is not formats.Frequency or field.format.field_boost != 1.0:
        return None
    items = getattr(field.analyzer, "items", None)
    if not items or len(items) != 4 or type(items[-1]) is not CJKBigramFilter:
        return None
    from .analysis import LowercaseFilter, ScriptTokenizer, WidthFoldFilter
    if [type(x) for x in items[:3]] != [ScriptTokenizer, WidthFoldFilter, LowercaseFilter]:
        return None
    return items[-1].unigrams


class FastPool(PostingPool):
    """PostingPool taking a document's postings at once (the same size bookkeeping as add())."""

    def add_many(self, posts) -> None:
        current = self.current
        for item in posts:
            self.fieldnames.add(item[0])
            self.currentsize += 28 + 4 * 5 + 21 + len(item[0]) + 26 + len(item[1]) * 2 + 18 + 16 + 21 + len(item[4] or "")
            if self.currentsize > self.limit:
                self.save()
                current = self.current
            current.append(item)


class Lengths:
    """The per-document reader's doc_field_length(docnum, fieldname), from lists read once per field."""

    def __init__(self, pdr):
        self.pdr = pdr
        self.lists: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        values = self.lists.get(fieldname)
        if values is None:
            values = self.lists[fieldname] = self._read(fieldname)
        if values is False:
            return default
        return values[docnum]  # None for a zero length byte, as Whoosh's own lookup gives

    def _read(self, fieldname: str):
        reader = self.pdr._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if reader is None:
            return False
        count = self.pdr.doc_count_all()
        return [byte_to_length(b) if b else None for b in (reader[d] for d in range(count))]


class FastWriter(SegmentWriter):
    """SegmentWriter with FastPool, index_terms for our text fields and Lengths when it writes."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        self.pool = FastPool(self._tempstorage, self.newsegment, limitmb=kwargs.get("limitmb", 128))
        self._fast = {name: fast_unigrams(self.schema[name]) for name in self.schema.names()
                      if self.schema[name].indexed}

    def add_document(self, **fields):
        """SegmentWriter.add_document (no spelling or vector fields in our schema: those go to it)."""
        self._check_state()
        schema = self.schema
        if any(schema[n].separate_spelling() or schema[n].vector for n in fields if n in schema):
            return super().add_document(**fields)
        perdocwriter = self.perdocwriter
        docnum = self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        posts = []
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    unigrams = self._fast.get(fieldname)
                    items = field.index(value) if unigrams is None or not isinstance(value, str) \
                        else frequency_items(value, unigrams)
                    scorable = field.scorable
                    for tbytes, freq, weight, vbytes in items:
                        weight *= fieldboost
                        if scorable:
                            length += freq
                        posts.append((fieldname, tbytes, docnum, weight, vbytes))
                customval = fields.get("_stored_%s" % fieldname, value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        self.pool.add_many(posts)
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def add_postings_to_pool(self, reader, startdoc, docmap):
        """A merged segment's postings (commit(optimize=True)), pooled through add_many."""
        self.pool.add_many(self._process_posts(reader.iter_postings(), startdoc, docmap))

    def _flush_segment(self):
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        add_postings(self.fieldwriter, self.schema, Lengths(pdr) if pdr else None, self.pool.iter_postings())
        self.fieldwriter.close()
        if pdr:
            pdr.close()


def add_postings(fw, schema, lengths, items) -> None:
    """codec.base.FieldWriter.add_postings for the W3 codec's field writer, its postings writer's
    add_posting inlined (the same lists and statistics, without its type asserts)."""
    from whoosh.codec.base import OutOfOrderError
    from whoosh.codec.whoosh3 import W3FieldWriter
    if type(fw) is not W3FieldWriter:
        return fw.add_postings(schema, lengths, items)
    dfl = lengths.doc_field_length if lengths else (lambda docnum, fieldname: 0)
    lastfn = lasttext = pw = None
    for fieldname, btext, docnum, weight, value in items:
        if fieldname != lastfn:
            if lastfn is not None and fieldname < lastfn:
                raise OutOfOrderError("Field %r .. %r" % (lastfn, fieldname))
            if lasttext is not None:
                fw.finish_term()
            if lastfn is not None:
                fw.finish_field()
            fw.start_field(fieldname, schema[fieldname])
            pw = fw._postwriter
            lastfn, lasttext = fieldname, None
        elif lasttext and btext < lasttext:
            raise OutOfOrderError("Term %s:%r .. %s:%r" % (lastfn, lasttext, fieldname, btext))
        if docnum == -1:  # a spelling word: Whoosh skips these here too
            continue
        if btext != lasttext:
            if lasttext is not None:
                fw.finish_term()
            fw.start_term(btext)
            lasttext = btext
        length = dfl(docnum, fieldname)
        if value is None:
            value = emptybytes
        if len(pw._ids) >= pw._blocklimit:
            pw._write_block()
        pw._ids.append(docnum)
        pw._weights.append(weight)
        if weight > pw._maxweight:
            pw._maxweight = weight
        if value:
            pw._values.append(value)
        if length:
            if pw._minlength is None or length < pw._minlength:
                pw._minlength = length
            if length > pw._maxlength:
                pw._maxlength = length
    if lasttext is not None:
        fw.finish_term()
    if lastfn is not None:
        fw.finish_field()


def frequency_items(value: str, unigrams: bool):
    """What formats.Frequency.word_values and FieldType.index give for our analyzers:
    (term as UTF-8, frequency, weight, packed frequency) per distinct term, in first-seen order."""
    freqs = Counter(index_terms(value, unigrams))  # counted in C, in first-seen order as a dict is
    pack = formats.pack_uint
    return [(w.encode("utf-8"), f, float(f), pack(f)) for w, f in freqs.items()]


__all__ = ["FastWriter", "frequency_items", "emptybytes"]
