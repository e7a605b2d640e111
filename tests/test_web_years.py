"""/years and /years/<year> (issue 22, §7): missing numbers marked in the year's calendar, a
总第N期 printed twice listed under every year it belongs to, and 待审核 that agrees with the
review queue (an issue marked reviewed is no longer counted as waiting)."""
import re

from test_web_edit import accounts, editor_client  # noqa: F401  (fixtures)
from webtools import csrf, html


def test_a_years_calendar_marks_its_missing_numbers(client):
    """Seen: the calendar showed the issues held and nothing of those missing. 2021 holds 第5期
    (16 April): 第1–4期 are missing, marked in January–March where they would have fallen."""
    page = html(client.get("/years/2021"))
    assert "缺第 1、2、3、4 期" in page
    captions = dict(re.findall(r"<caption>(\d+) 月.*?(?:<span class=\"missing\">缺第 ([^<]+) 期</span>)?</caption>", page))
    assert captions["1"] == "1" and captions["2"] == "2" and captions["3"] == "3、4" and captions["4"] == ""
    assert len(re.findall(r'<td class="missing-day"', page)) == 4
    full = html(client.get("/years/2018"))  # 第2期 only: 第1期 between 1 January and its date
    assert "缺第 1 期" in full and 'class="missing-day"' in full


def test_a_total_printed_twice_shows_under_each_year_it_belongs_to(client, app):
    from archive.store import DataDir
    with DataDir(app.config["DATA_DIR"]).records() as records:
        total = records.conn.execute("SELECT total_number FROM issues WHERE id = '2016-006'").fetchone()[0]
        records.conn.execute("UPDATE issues SET total_number = ? WHERE id = '2021-005'", (total,))
    page = html(client.get("/years"))
    rows = dict(re.findall(r'<tr>\s*<td><a href="/years/(\d+)">(.*?)</tr>', page, re.S))
    clash = f"总第{total}期 印在 2 期上"
    assert clash in rows["2016"] and clash in rows["2021"] and clash not in rows["2018"]
    assert clash in html(client.get("/years/2021"))


def test_waiting_for_review_agrees_with_the_queue(editor_client, app):
    """Seen: /years listed an issue marked reviewed under 待审核 while the queue did not. Now the
    column lists only those still waiting, and for an editor the queue's count for the year, which
    /review?year= lists."""
    c = editor_client
    from archive.store import DataDir
    with DataDir(app.config["DATA_DIR"]).records() as records:
        records.conn.execute("UPDATE issues SET needs_review = 1, review_reasons = '[{\"kind\": \"no_sections\"}]'"
                             " WHERE id IN ('2016-002', '2016-006')")
    c.post("/issues/2016-002/reviewed", data={"csrf_token": csrf(c.get("/review"))})
    page = html(c.get("/years"))
    row = re.search(r'<td><a href="/years/2016">.*?</tr>', page, re.S).group(0)
    cell = row.split("<td>")[-1]
    assert "2016-006" in cell.split("已审核")[0] and "2016-002" not in cell.split("已审核")[0]
    assert "已审核：" in cell and "2016-002" in cell.split("已审核")[1]
    n = int(re.search(r"审核队列 (\d+) 项", cell).group(1))
    queue = html(c.get("/review?year=2016"))
    assert len(re.findall(r'<li class="review-', queue)) == n >= 1
    assert "issue:2016-006" in queue and "issue:2016-002" not in queue
    assert "审核队列" not in html(app.test_client().get("/years"))  # a reader sees no queue counts
