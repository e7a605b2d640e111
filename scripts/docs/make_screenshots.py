"""Make the README's and the guides' screenshots again: runs the browser tests (tests/e2e) with
ARCHIVE_SCREENSHOTS=docs/screenshots, so they write there instead of a temporary folder, and
ARCHIVE_A11Y_REPORT=docs/accessibility.md (axe-core's counts per page, tests/e2e/test_a11y_e2e.py).

    .venv/bin/python -m scripts.docs.make_screenshots [-k EXPR]

Needs Debian's chromium (scripts/setup.sh installs it). The tests themselves never change a
tracked file."""
from __future__ import annotations

import os
import subprocess
import sys
from scripts.common import ROOT


def main() -> int:
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "ARCHIVE_SCREENSHOTS": str(out), "ARCHIVE_A11Y_REPORT": str(ROOT / "docs" / "accessibility.md")}
    return subprocess.call([sys.executable, "-m", "pytest", "-q", "-n", "0", str(ROOT / "tests" / "e2e"),
                            *sys.argv[1:]], env=env, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
