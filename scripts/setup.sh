#!/usr/bin/env bash
# Sets up everything the book and the tests need, on a fresh Debian/Ubuntu machine with
# Python 3.11, or on a laptop (system packages are skipped where apt is unavailable).
# Idempotent: run it again after changing requirements.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi

# 1. System packages: Fashion-MNIST (offline data), Chromium + its driver (browser tests and
#    the book's PDF), poppler-utils (pdftotext, to test the PDF), the Noto CJK fonts (chapter 7's
#    glossary has Chinese terms; without it Chromium draws empty boxes), Node's npm (local MathJax).
if command -v apt-get >/dev/null && { [ "$(id -u)" = 0 ] || [ -n "$SUDO" ]; }; then
  want="dataset-fashion-mnist chromium chromium-driver poppler-utils fonts-noto-cjk"
  command -v npm >/dev/null || want="$want npm"
  command -v node >/dev/null || want="$want nodejs"  # the live widget's unit tests (tests/test_widget.py)
  missing=""
  for p in $want; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
  fi
else
  echo "setup: no apt-get (or no root): skipping system packages; Keras will download the data." >&2
fi

# 2. Python environment with the course's requirements and gan_utils itself (editable).
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -r requirements.txt
.venv/bin/python -m pip install -q --no-deps -e .
.venv/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null

# 3. A local MathJax 3 for the book (never a CDN).
if [ ! -f book/_static/mathjax/tex-chtml.js ]; then
  npm install --silent --no-save --no-audit --no-fund --prefix .cache/npm mathjax@3
  # Only what the CommonHTML TeX build loads: the entry file, TeX extensions, fonts, menu.
  src=.cache/npm/node_modules/mathjax/es5
  mkdir -p book/_static/mathjax/input/tex book/_static/mathjax/output
  cp "$src/tex-chtml.js" book/_static/mathjax/
  cp -r "$src/input/tex/extensions" book/_static/mathjax/input/tex/
  cp -r "$src/output/chtml" book/_static/mathjax/output/
  cp -r "$src/a11y" "$src/ui" "$src/adaptors" "$src/sre" book/_static/mathjax/
fi
echo "setup: done"
