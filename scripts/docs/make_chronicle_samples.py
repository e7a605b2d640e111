"""Make the 大事记 samples under docs/reports/ (Word, Excel, Markdown) from the bundled sample issues
and the two dated fixture issues (tests/fixtures/chronicle), and a picture of the Word one as
LibreOffice draws it (docs/screenshots/chronicle-docx.png).

    .venv/bin/python -m scripts.docs.make_chronicle_samples [--out docs] [--year 2021]

The same code as `archive chronicle` and /years/<year>/chronicle.docx (archive.report.chronicle),
with a fixed generation time. The picture needs LibreOffice (`soffice`)."""
from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path

from scripts.common import ROOT

from archive.report import write_report
from archive.report.chronicle import chronicle_report
from archive.service.importing import Importer
from archive.store import DataDir
from archive.store.site_topics import site_topics
from archive.store.site_units import site_registry

GENERATED = dt.datetime(2026, 12, 1, 9, 0)


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
    ap.add_argument("--year", type=int, default=2021)
    args = ap.parse_args(argv)
    files = sorted(Path(str(resources.files("archive").joinpath("samples"))).glob("*.pdf"))
    files += sorted((ROOT / "tests" / "fixtures" / "chronicle").glob("*.pdf"))
    (args.out / "reports").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        data = DataDir(Path(tmp) / "data")
        with data.records() as records:
            if any(r.failed for r in Importer(records, data).import_paths(files)):
                sys.exit("import failed")
            for fmt in ("docx", "xlsx", "md"):
                n, rows, meta = chronicle_report(records, site_registry(records), site_topics(records), args.year,
                                                 generated=GENERATED)
                path = args.out / "reports" / f"chronicle-{args.year}.{fmt}"
                write_report(rows, meta, fmt, path)
                print(f"{path}: {n} entries, {path.stat().st_size:,} bytes")
    if shutil.which("soffice"):
        png = args.out / "screenshots" / "chronicle-docx.png"
        screenshot(args.out / "reports" / f"chronicle-{args.year}.docx", png)
        print(f"{png}: the Word 大事记 as LibreOffice draws it")


if __name__ == "__main__":
    main()
