"""What the scripts share: where the repository and ../shared are, and one percentile formula."""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the checkout (as CI has it), or ARCHIVE_SHARED
SHARED = Path(os.environ.get("ARCHIVE_SHARED") or ROOT.parent / "shared")

if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))


def pct(values, p: float) -> float:
    """The p-th percentile by the nearest-rank method (p50 of 1..4 is 2, p95 of 100 values the 95th)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), -(-p * len(ordered) // 100)))  # ceil(p/100 · n)
    return ordered[int(rank) - 1]
