"""Bounds on what a file may make the import inflate and draw (archive.ingest.limits), checked
before pdfminer reads a page, in the CLI import as in the web's."""
import io
import json
import zlib

import pytest
from pypdf import PdfReader

import hostile
from archive.service import importing as importer
from archive.errors import RefusedPDF
from archive.ingest import limits, pdf
from conftest import FIXTURES


def check(data: bytes):
    limits.check(PdfReader(io.BytesIO(data), strict=False))


def kind_of(data: bytes) -> str:
    with pytest.raises(RefusedPDF) as exc:
        check(data)
    return exc.value.kind


@pytest.fixture
def parse_must_not_run(monkeypatch):
    """The refusal comes from the check, before pdfminer is asked to read anything."""
    def boom(*a, **k):
        raise AssertionError("parse_issues ran on a file the limits should have refused")
    monkeypatch.setattr(importer, "parse_issues", boom)


def test_deflate_bomb_is_refused_by_the_cli_before_pdfminer(archive, tmp_path, parse_must_not_run):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(hostile.deflate_bomb(1024))  # 1 MB that inflates to 1 GB
    assert path.stat().st_size < 2 * 2**20
    result = archive("import", path)
    assert result.exit_code == 1
    assert "refused: a stream (object 4) inflates to more than 64 MB: a decompression bomb" in result.output
    assert json.loads(archive("export").output) == []


def test_the_bomb_stream_really_is_one():
    data = hostile.deflate_bomb_stream(80)
    assert len(zlib.decompress(data)) == 80 * 2**20  # valid zlib, checksum and all
    assert limits.flate_size(data, limits.MAX_STREAM_BYTES) > limits.MAX_STREAM_BYTES
    assert limits.flate_size(hostile.deflate_bomb_stream(3), limits.MAX_STREAM_BYTES) == 3 * 2**20


def test_huge_page_box_refused_before_parse(archive, tmp_path, parse_must_not_run):
    path = tmp_path / "poster.pdf"
    path.write_bytes(hostile.huge_page(200000))
    result = archive("import", path)
    assert result.exit_code == 1 and "page 1 has an impossible size 200000x200000 pt" in result.output


def test_user_unit_counts_in_the_page_size():
    data = hostile.text_page(width=1000, height=1000).replace(b"/MediaBox", b"/UserUnit 75 /MediaBox")
    assert kind_of(data) == "page_size"
    check(hostile.text_page(width=1000, height=1000))


def test_image_pixels_capped_whatever_its_data():
    assert kind_of(hostile.image_page(20000, 20000, b"\xff" * 100)) == "image_pixels"
    check(hostile.image_page(100, 100, b"\x80" * 10000))


def test_an_image_may_inflate_to_what_it_declares_and_no_more():
    ok = zlib.compress(b"\x80" * (3000 * 3000), 9)  # 9 MB of grey, as declared
    check(hostile.image_page(3000, 3000, ok, b"/Filter /FlateDecode"))
    bomb = hostile.deflate_bomb_stream(80)  # a 100×100 image whose data inflates to 80 MB
    assert kind_of(hostile.image_page(100, 100, bomb, b"/Filter /FlateDecode")) == "inflate_bomb"


def test_run_length_and_chained_filters_are_measured(monkeypatch):
    monkeypatch.setattr(limits, "MAX_STREAM_BYTES", 2**20)
    rle = (b"\x81A" * 20000) + b"\x80"  # each pair: 128 bytes → 2.4 MB
    assert kind_of(hostile.one_page(hostile.stream(rle, b"/Filter /RunLengthDecode"))) == "inflate_bomb"
    hexed = hostile.deflate_bomb_stream(3).hex().encode() + b">"
    chained = hostile.stream(hexed, b"/Filter [/ASCIIHexDecode /FlateDecode]")
    assert kind_of(hostile.one_page(chained)) == "inflate_bomb"
    fine = hostile.stream(zlib.compress(b"0 0 m 1 1 l S\n" * 100).hex().encode() + b">",
                          b"/Filter [/AHx /Fl]")
    check(hostile.one_page(fine))


def test_all_streams_together_are_capped(monkeypatch):
    monkeypatch.setattr(limits, "MAX_TOTAL_BYTES", 3 * 2**20)
    two_mb = hostile.stream(hostile.deflate_bomb_stream(2), b"/Filter /FlateDecode")
    assert kind_of(hostile.one_page(two_mb, extra_objects=[two_mb])) == "inflate_total"
    check(hostile.one_page(two_mb))


def test_object_count_capped(monkeypatch):
    monkeypatch.setattr(limits, "MAX_OBJECTS", 100)
    assert kind_of(hostile.many_pages(200)) == "too_many_objects"


def test_a_damaged_stream_counts_what_it_gives():
    data = zlib.compress(b"x" * 100000)[:-30]
    assert 0 < limits.flate_size(data, 10**9) <= 100000
    assert limits.flate_size(b"not zlib at all", 10**9) == 0


def test_every_bundled_and_shared_pdf_is_within_the_limits():
    files = sorted(FIXTURES.rglob("*.pdf"))
    assert len(files) > 8
    for path in files:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            reader.decrypt("")
        limits.check(reader)


def test_limits_agree_with_the_parser():
    assert limits.MAX_PAGE_SIDE_PT == pdf.MAX_PAGE_SIDE_PT


def test_encrypted_files_are_measured_after_decryption():
    from test_bad_input import SEED, encrypted

    def sizes(reader):
        return sorted(limits.inflated_size(s, 10**9) for _, s in limits.stream_objects(reader))
    locked = PdfReader(io.BytesIO(encrypted("pw")))
    locked.decrypt("pw")
    plain = sizes(PdfReader(SEED))
    assert sum(plain) > 100000 and sizes(locked) == plain  # deciphered, then inflated as usual
