#!/usr/bin/env bash
# Installs the Debian packages kycd and its tests need: Tesseract 5 (linked in-process for Thai
# and Devanagari lines) with its language data, the fonts the vision tests render text with, and
# headless Chromium with chromedriver for the web console's browser test.
# Skips quickly when everything is installed. Run as root (or with sudo available).
set -euo pipefail

PACKAGES=(
    tesseract-ocr          # Tesseract engine + English/OSD data
    tesseract-ocr-tha      # Thai language data
    tesseract-ocr-hin      # Hindi (Devanagari) language data
    libtesseract-dev       # libtesseract.so for linking (kycd-vision uses the C API directly)
    libleptonica-dev       # Tesseract's image library, linked by libtesseract
    fonts-ocr-b            # OCR-B, for MRZ rendering in tests
    fonts-thai-tlwg        # Thai fonts for tests
    fonts-noto-core        # Devanagari (Noto Sans Devanagari) for tests
    fonts-dejavu-core      # Latin with diacritics for tests
    fonts-liberation2
    python3-venv           # models/fetch.sh folds the face models in a throw-away venv
    python3-pip
    chromium               # the web console's end-to-end test (headless)
    chromium-driver        # chromedriver: WebDriver for that test
)

missing=()
for package in "${PACKAGES[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 ]]; then
    echo "system deps: all installed"
    exit 0
fi

SUDO=""
[[ $(id -u) -eq 0 ]] || SUDO=sudo
echo "system deps: installing ${missing[*]}"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
