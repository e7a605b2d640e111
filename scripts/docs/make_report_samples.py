"""Make the sample reports under docs/reports/ from the bundled sample issues, and pictures of
the Word report as LibreOffice draws it (docs/screenshots/report-docx.png, and its table layout
report-docx-table.png: the 公文 house style of report/docx_style.py).

    .venv/bin/python -m scripts.docs.make_report_samples [--out docs]

Every file is made by the same code as `archive report` and the web's download buttons
(archive.report.build), with a fixed generation time so the samples only change when the
reports do. The picture needs LibreOffice (`soffice`, installed by scripts/setup.sh)."""
from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path

from archive.service.importing import Importer
from archive.report import write_report
from archive.report.build import ReportSpec, search_report, unit_report
from archive.report.tables import units_table, write_units_table
from archive.search.searcher import Searcher
from archive.search.spec import SearchSpec
from archive.store import DataDir

GENERATED = dt.datetime(2026, 12, 1, 9, 0)
SEARCH = ReportSpec(SearchSpec("党史"))
UNIT = "兰州铝业"


def import_samples(root: Path) -> DataDir:
    data = DataDir(root)
    samples = sorted(Path(str(resources.files("archive").joinpath("samples"))).glob("*.pdf"))
    with data.records() as records:
        results = list(Importer(records, data).import_paths(samples))
    bad = [r for r in results if r.status != "imported"]
    if bad:
        sys.exit(f"sample import failed: {bad}")
    return data


def write_samples(data: DataDir, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    made = []
    with data.records() as records, Searcher(data, records) as searcher:
        for fmt in ("docx", "xlsx", "csv", "md"):
            _, rows, meta = search_report(searcher, SEARCH, generated=GENERATED)
            made.append(out / f"search-党史.{fmt}")
            write_report(rows, meta, fmt, made[-1])
        _, rows, meta = search_report(searcher, ReportSpec(SearchSpec("党史"), layout="table"), generated=GENERATED)
        made.append(out / "search-党史-table.docx")
        write_report(rows, meta, "docx", made[-1])
        _, rows, meta = search_report(searcher, ReportSpec(SearchSpec("党史"), activities=True), generated=GENERATED)
        made.append(out / "activities-党史.xlsx")
        write_report(rows, meta, "xlsx", made[-1])
        for fmt in ("docx", "xlsx"):
            _, rows, meta = unit_report(records, searcher.registry, UNIT, generated=GENERATED)
            made.append(out / f"unit-{UNIT}.{fmt}")
            write_report(rows, meta, fmt, made[-1])
        made.append(out / "units-by-year.xlsx")
        write_units_table(units_table(records.units_by_year()), "xlsx", made[-1])
    return made


def screenshot(docx: Path, png: Path, page: int = 0, scale: float = 1.5) -> None:
    """The DOCX converted by headless LibreOffice, its first page drawn by PDFium."""
    import pypdfium2
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to",
                        "pdf", "--outdir", tmp, str(docx)], check=True, capture_output=True, timeout=180)
        pdf = pypdfium2.PdfDocument(str(Path(tmp) / (docx.stem + ".pdf")))
        try:
            pdf[page].render(scale=scale).to_pil().save(png)
        finally:
            pdf.close()


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("docs"))
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data = import_samples(Path(tmp) / "data")
        made = write_samples(data, args.out / "reports")
    for path in made:
        print(f"{path}: {path.stat().st_size:,} bytes")
    if shutil.which("soffice"):
        for name, png in (("search-党史", "report-docx.png"), ("search-党史-table", "report-docx-table.png")):
            screenshot(args.out / "reports" / f"{name}.docx", args.out / "screenshots" / png)
            print(f"{args.out / 'screenshots' / png}: the Word report as LibreOffice draws it")
    else:
        print("soffice not found: no picture of the Word report (scripts/setup.sh installs LibreOffice)")


if __name__ == "__main__":
    main()
