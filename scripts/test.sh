#!/usr/bin/env bash
# Install what the tests need (pinned Python packages, Debian's Chromium) and run every test layer:
# core (tests/unit), app (tests/app, Streamlit AppTest) and real browser (tests/e2e, Playwright).
# Extra arguments go to pytest, e.g. `bash scripts/test.sh tests/unit -x`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/python_env.sh requirements-dev.txt

# Chromium for the browser tests, a CJK font and an emoji font so that their screenshots show
# Chinese text and the emoji in reviews.
if [ ! -x /usr/bin/chromium ] || ! fc-list :lang=zh 2>/dev/null | grep -q . || ! fc-list | grep -qi "color emoji"; then
  _as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive _as_root apt-get install -y -qq chromium fonts-wqy-zenhei fonts-noto-color-emoji >/dev/null
fi

exec "$PYTHON" -m pytest "$@"
