#!/usr/bin/env bash
# Install the project into .venv and start the dashboard on the bundled sample corpus (data/raw).
# The app builds data/processed from data/raw on first start.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e .
exec .venv/bin/streamlit run streamlit_app.py "$@"
