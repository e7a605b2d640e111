"""What the web tests share: the editor token, a new issue to import, reading pages, and waiting
for an import job."""
import re
import time
from importlib import resources
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
NEW_ISSUE = FIXTURES / "producers" / "chromium" / "2024-001.pdf"  # not among the samples
TOKEN = "s3cret-editor-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def sample_files():
    return sorted(Path(str(resources.files("archive").joinpath("samples"))).glob("*.pdf"))


def html(resp):
    return resp.get_data(as_text=True)


def csrf(resp):
    m = re.search(r'name="csrf_token" value="([^"]+)"', html(resp))
    assert m, "no CSRF field in the form"
    return m.group(1)


def wait_job(client, url, headers=AUTH, timeout=120.0):
    """Poll a job's JSON (Flask test client) until it is done; the last answer."""
    deadline = time.monotonic() + timeout
    while True:
        r = client.get(url, headers=headers)
        assert r.status_code == 200, r.get_data(as_text=True)
        job = r.get_json()
        if job["state"] == "done":
            return job
        assert time.monotonic() < deadline, f"job not done in {timeout} s: {job}"
        time.sleep(0.2)
