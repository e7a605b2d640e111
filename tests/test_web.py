"""The web interface (Flask test client): every page and API route, its errors, and the rules that
keep it safe (escaping, CSP, editor token, CSRF, upload limits, one import at a time)."""
import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from archive.cli.main import cli
from archive.web import CSP, create_app
from webtools import html

# --- search ----------------------------------------------------------------------------------------

def test_home_without_query_lists_issues_years_units(client):
    r = client.get("/")
    assert r.status_code == 200
    page = html(r)
    assert "最近的期刊" in page and "/issues/2021-005" in page and "/years/2016" in page
    assert "广西分公司" in page


def test_search_page_shows_hits_with_everything_a_reader_needs(client):
    r = client.get("/?q=党史")
    assert r.status_code == 200
    page = html(r)
    assert "<mark>党史</mark>" in page
    assert re.search(r"共 <strong>\d+</strong> 条结果", page)
    # issue, page span, both citations with a copy button, links to item, issue and page view
    assert "2021年第5期（总第5期）" in page and "2021-04-16" in page
    assert "《中铝股份党群工作》2021年第5期（总第5期），第" in page
    assert "[J]. 中铝股份党群工作, 2021(5)" in page
    assert 'class="copy" data-copy="《中铝股份党群工作》' in page
    assert re.search(r'href="/items/2021-005-\d{3}\?q=', page)
    assert re.search(r'href="/issues/2021-005/pages/\d+\?item=2021-005-\d{3}&amp;q=', page)
    # filters with counts
    assert 'data-facet="unit"' in page and 'data-facet="year"' in page and 'data-facet="section"' in page
    assert re.search(r'<a href="/\?q=%E5%85%9A%E5%8F%B2&amp;year=2021">2021</a> <span class="count">\d+</span>', page)


def test_unit_filter_narrows_and_counts_agree(client, app_cli):
    full = client.get("/api/search?q=党史&facets=1").get_json()
    units = dict(full["facets"]["unit"])
    assert units, "a query for 党史 names units"
    unit, n = next(iter(units.items()))
    narrowed = client.get("/api/search", query_string={"q": "党史", "unit": unit, "limit": 100}).get_json()
    assert narrowed["total"] == n
    page = html(client.get("/", query_string={"q": "党史", "unit": unit}))
    assert f"单位：{unit} ×" in page  # a chip to take the filter off
    assert f'<input type="hidden" name="unit" value="{unit}">' in page


def test_api_search_is_the_cli_json(client, app_cli):
    for args, qs in [(["党史"], {"q": "党史"}),
                     (["安全", "--unit", "中铝山东", "--sort", "date"], {"q": "安全", "unit": "中铝山东", "sort": "date"}),
                     (["--year", "2016", "--limit", "5"], {"year": "2016", "limit": 5}),
                     (["党课", "OR", "报告会", "--from", "2016-01", "--to", "2021-12-31"],
                      {"q": "党课 OR 报告会", "from": "2016-01", "to": "2021-12-31"})]:
        cli_out = json.loads(app_cli("search", *args, "--json").output)
        api = client.get("/api/search", query_string=qs)
        assert api.status_code == 200
        assert api.get_json() == cli_out, args
    hit = client.get("/api/search?q=党史").get_json()["hits"][0]
    assert {"id", "issue", "year", "number", "total_number", "date", "section", "heading", "snippet", "citation",
            "citation_gbt", "page_start", "page_end", "units"} <= hit.keys()


def test_paging(app, client):
    app.config["PAGE_SIZE"] = 5
    first = html(client.get("/?year=2016..2021"))
    assert "第 1/" in first and 'rel="next"' in first and "page=2" in first
    second = html(client.get("/?year=2016..2021&page=2"))
    ids1 = set(re.findall(r'href="/items/([\w-]+)"', first))
    ids2 = set(re.findall(r'href="/items/([\w-]+)"', second))
    assert ids1 and ids2 and not ids1 & ids2
    api1 = client.get("/api/search?year=2016..2021&limit=5").get_json()
    api2 = client.get("/api/search?year=2016..2021&limit=5&offset=5").get_json()
    assert not {h["id"] for h in api1["hits"]} & {h["id"] for h in api2["hits"]}


@pytest.mark.parametrize("qs", [{"q": '"党史'}, {"q": "OR"}, {"q": "党史", "from": "2021-13-01"},
                                {"q": "党史", "from": "2021-06", "to": "2021-01"}, {"q": "year:20x1"},
                                {"q": "党史", "sort": "popular"}, {"q": "党史", "year": "next"}])
def test_bad_search_parameters_are_400(client, qs):
    r = client.get("/", query_string=qs)
    assert r.status_code == 400
    assert "检索式有误" in html(r)
    api = client.get("/api/search", query_string=qs)
    assert api.status_code == 400
    assert api.get_json()["error"]


@pytest.mark.parametrize("url", ["/?q=党史&page=x", "/?q=党史&page=0", "/api/search?q=党史&limit=0",
                                 "/api/search?q=党史&limit=abc", "/api/search?q=党史&offset=-1", "/api/search"])
def test_bad_paging_or_empty_api_query_is_400(client, url):
    assert client.get(url).status_code == 400


def test_query_and_pdf_text_are_escaped(client):
    evil = '<script>alert(1)</script>"><img src=x>'
    page = html(client.get("/", query_string={"q": evil}))
    assert "<script>alert(1)" not in page and "<img src=x>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # no inline script anywhere, only the static file
    for url in ["/", "/?q=党史", "/items/2021-005-003", "/issues/2021-005", "/issues/2021-005/pages/1?item=2021-005-003",
                "/units", "/units/广西分公司", "/years/2016"]:
        scripts = re.findall(r"<script\b[^>]*>", html(client.get(url)))
        assert scripts == ['<script src="/static/app.js" defer>'], url
        assert " style=" not in html(client.get(url)), url  # style-src 'self' forbids style attributes too


def test_security_headers_on_every_response(client):
    for url in ["/", "/?q=党史", "/api/search?q=党史", "/nowhere", "/static/app.css", "/issues/2021-005/pages/1.png"]:
        r = client.get(url)
        assert r.headers["Content-Security-Policy"] == CSP, url
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["X-Frame-Options"] == "DENY"
        assert r.headers["Referrer-Policy"]
    # what the browser is told, read from a response: no inline script, no plugins, no framing
    sent = dict(d.strip().split(" ", 1) for d in client.get("/").headers["Content-Security-Policy"].split(";"))
    assert sent["script-src"] == "'self'" and sent["object-src"] == "'none'" and sent["frame-ancestors"] == "'none'"


# --- items, issues, pages --------------------------------------------------------------------------

def test_item_page_and_api(client):
    r = client.get("/items/2021-005-006")
    assert r.status_code == 200
    page = html(r)
    api = client.get("/api/items/2021-005-006").get_json()
    assert api["id"] == "2021-005-006" and api["issue"] == "2021-005"
    assert api["citation"] in page and api["citation_gbt"] in page
    assert api["text"][:20] in page
    assert all(len(b) == 5 for b in api["boxes"])
    assert api["canonical_units"]
    for name in api["canonical_units"]:
        assert f'href="/units/{quote(name)}"' in page, name
    assert 'href="/issues/2021-005/pdf"' in page
    hl = html(client.get("/items/2021-005-006?q=" + api["text"][2:4]))
    assert "<mark>" in hl


def test_item_units_are_linked(client):
    hit = client.get("/api/search?unit=广西分公司&limit=1").get_json()["hits"][0]
    page = html(client.get(f"/items/{hit['id']}"))
    assert 'href="/units/%E5%B9%BF%E8%A5%BF%E5%88%86%E5%85%AC%E5%8F%B8"' in page


def test_unknown_ids_are_404(client):
    for url in ["/items/2099-001-001", "/api/items/nope", "/issues/2099-001", "/api/issues/2099-001",
                "/issues/2099-001/pdf", "/issues/2099-001/pages/1", "/issues/2099-001/pages/1.png",
                "/issues/2021-005/pages/99", "/issues/2021-005/pages/0.png", "/issues/2021-005/pages/1?item=2016-002-001",
                "/units/没有这个单位", "/years/1999", "/years/abc", "/nowhere"]:
        r = client.get(url)
        assert r.status_code == 404, url
        if url.startswith("/api/"):
            assert r.get_json()["error"]
        else:
            assert "404" in html(r)


def test_issue_page_as_printed(client):
    rec = client.get("/api/issues/2021-005").get_json()
    page = html(client.get("/issues/2021-005"))
    assert rec["id"] == "2021-005" and rec["sections"]
    titles = [s["title"] for s in rec["sections"] if s["title"]]
    positions = [page.index(t) for t in titles]
    assert positions == sorted(positions), "sections in printed order"
    for p in range(1, rec["pages"] + 1):
        assert f'id="p{p}"' in page or p > max(it["page_end"] for s in rec["sections"] for it in s["items"])
    assert 'href="/issues/2021-005/pdf"' in page
    for s in rec["sections"]:
        for it in s["items"]:
            assert f'id="{it["id"]}"' in page


def test_api_issue_is_the_export_record(client, app_cli):
    exported = {r["id"]: r for r in json.loads(app_cli("export").output)}
    for issue_id, record in exported.items():
        assert client.get(f"/api/issues/{issue_id}").get_json() == record


def test_issue_pdf_download(client, samples_copy):
    r = client.get("/issues/2016-006/pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.data.startswith(b"%PDF-")
    assert "2016-006.pdf" in r.headers["Content-Disposition"]
    assert r.data == (Path(__file__).parent / "fixtures" / "newsletter" / "2016-006.pdf").read_bytes()


def test_page_image_rendered_and_cached(client, samples_copy):
    r = client.get("/issues/2016-006/pages/2.png")
    assert r.status_code == 200 and r.mimetype == "image/png"
    assert r.data[:8] == b"\x89PNG\r\n\x1a\n"
    cached = list((samples_copy / "cache" / "pages").rglob("*.png"))
    assert len(cached) == 1 and cached[0].read_bytes() == r.data
    assert client.get("/issues/2016-006/pages/2.png").data == r.data


def test_page_view_draws_boxes_of_item_and_query(client):
    item = client.get("/api/items/2021-005-003").get_json()
    n = item["page_start"]
    r = client.get(f"/issues/2021-005/pages/{n}?item=2021-005-003")
    page = html(r)
    assert r.status_code == 200
    assert re.search(rf'href="/issues/2021-005/pages/{n}\.png\?v=[0-9a-f]{{12}}"', page)
    chosen = re.search(r'<g class="boxes chosen[^"]*" data-item="2021-005-003">(.*?)</g>', page, re.S)
    assert chosen and chosen.group(1).count("<rect") == len([b for b in item["boxes"] if b[0] == n])
    # the query's matches: the items of this page that contain the word
    hit = client.get("/api/search?q=党史 year:2021").get_json()["hits"][0]
    q = client.get(f"/issues/{hit['issue']}/pages/{hit['page_start']}?q=党史")
    assert f'<g class="boxes match" data-item="{hit["id"]}">' in html(q)
    assert client.get(f"/issues/2021-005/pages/{n}?q=%22open").status_code == 400


# --- units and years -------------------------------------------------------------------------------

def test_units_pages_and_api(client, app_cli):
    api = client.get("/api/units").get_json()
    assert api == json.loads(app_cli("units", "--json").output)
    page = html(client.get("/units"))
    for u in api:
        assert u["unit"] in page
    top = api[0]["unit"]
    unit_page = html(client.get(f"/units/{top}"))
    assert '<svg class="chart"' in unit_page and '<rect class="bar"' in unit_page
    assert f"{api[0]['items']} 条条目提到该单位" in unit_page
    dates = re.findall(r"(\d{4}年第\d+期（总第\d+期）) · (\d{4}-\d\d-\d\d)", unit_page)
    assert dates and [d for _, d in dates] == sorted((d for _, d in dates), reverse=True), "newest first"


def test_years(client):
    assert "/years/2016" in html(client.get("/years"))
    page = html(client.get("/years/2016"))
    assert 'class="issue-day"' in page
    assert 'href="/issues/2016-002"' in page and 'href="/issues/2016-006"' in page
    assert "2021-005" not in page


def test_empty_data_folder(tmp_path):
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "empty")})
    c = app.test_client()
    assert "还没有导入任何期刊" in html(c.get("/"))
    assert c.get("/api/search?q=党史").get_json() == {"total": 0, "hits": [], "title_total": 0, "title_hits": []}
    assert c.get("/?q=党史").status_code == 200
    assert c.get("/api/units").get_json() == []


# --- commands --------------------------------------------------------------------------------------

def test_demo_imports_the_samples_without_serving(tmp_path):
    result = CliRunner().invoke(cli, ["--data", str(tmp_path / "d"), "demo", "--no-serve"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "2021-005" in result.output and "Serving" not in result.output


def test_serve_command(app_cli, monkeypatch):
    calls = {}
    import archive.web as webapp
    monkeypatch.setattr(webapp, "serve", lambda data, **kw: calls.update(data=data, **kw))
    result = app_cli("serve", "--port", "8765")
    assert result.exit_code == 0, result.output
    assert calls["host"] == "127.0.0.1" and calls["port"] == 8765
    assert "http://127.0.0.1:8765/" in result.output


def test_facet_counts_add_up(client):
    out = client.get("/api/search?q=党史&facets=1&limit=100").get_json()
    assert sum(n for _, n in out["facets"]["section"]) == out["total"]  # every item has one section
    assert sum(n for _, n in out["facets"]["year"]) == out["total"]
    for unit, n in out["facets"]["unit"]:
        assert n == sum(1 for h in out["hits"] if unit in client.get(f"/api/items/{h['id']}").get_json()["canonical_units"])
