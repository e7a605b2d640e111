#!/usr/bin/env bash
# Install everything archive needs into ./.venv (and, as root on Debian, the system packages).
# Idempotent: run it again after a pull. ARCHIVE_SKIP_APT=1 skips the apt step.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(poppler-utils fonts-wqy-zenhei chromium libreoffice-writer-nogui fonts-noto-cjk nginx openssl ghostscript mupdf-tools)  # chromium: the web end-to-end test (Playwright drives it); LibreOffice + Noto CJK: a Word report is opened and rendered as Word would (tests/test_report_writers.py); nginx + openssl: the app behind a TLS proxy (tests/test_proxy.py); Ghostscript and mutool: print-shop variants with text as outlines (scripts/fixtures/make_outlines.py)
if [[ "${ARCHIVE_SKIP_APT:-0}" != 1 ]] && command -v apt-get >/dev/null && [[ $(id -u) == 0 ]]; then
    missing=()
    for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    if (( ${#missing[@]} )); then
        apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
fi

PYTHON=${PYTHON:-python3}
[[ -x .venv/bin/python ]] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
