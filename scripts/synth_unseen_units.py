#!/usr/bin/env python3
"""Render issues in the seed's shape whose units and people the unit registry has never heard of,
to check that units are discovered, not looked up.

Usage: python scripts/synth_unseen_units.py OUT_DIR [--count 10] [--seed 91] [--shared ../shared]
Odd issues are two-column, even ones single-column; all with running headers and page numbers."""
import argparse
import sys
from pathlib import Path

from benchlib import SHARED

UNSEEN_UNITS = ["华北铝业", "江苏分公司", "西北研究院", "海南能源", "青岛物流中心", "安徽华盛", "甘肃新材料",
                "河南铝电", "湖南分公司", "辽宁轻合金", "天津国贸", "内蒙古华云", "云铝绿源", "四川铝业",
                "检验检测中心", "企业文化部", "纪检监察部", "科技创新部", "党委办公室", "审计部", "财务部"]
UNSEEN_PEOPLE = ["欧阳明", "司马青", "李白", "杜甫", "王安石", "苏轼"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir")
    ap.add_argument("--count", type=int, default=10)
    ap.add_argument("--seed", type=int, default=91)
    ap.add_argument("--start-year", type=int, default=2024)
    ap.add_argument("--shared", type=Path, default=SHARED)
    args = ap.parse_args()
    sys.path.insert(0, str(args.shared / "corpus"))
    import make_corpus as mc
    mc.UNITS, mc.PEOPLE = UNSEEN_UNITS, UNSEEN_PEOPLE  # synth_issue draws units from UNITS[:-3]
    for i, issue in enumerate(mc.synth(args.count, args.seed, args.start_year), 1):
        print(mc.render(issue, args.out_dir, "two-column" if i % 2 else "single", True, True))


if __name__ == "__main__":
    main()
