#!/usr/bin/env bash
# Install the runtime dependencies and run PromoLens on the embedded sample shop (http://localhost:8501).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/python_env.sh requirements.txt
exec "$PYTHON" -m streamlit run app.py "$@"
