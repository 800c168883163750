#!/usr/bin/env bash
# The shared instance without Docker: install into .venv and serve on all interfaces (port 8501 by default).
# Requires .streamlit/secrets.toml (see .streamlit/secrets.example.toml), so nobody reaches it without signing in.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f .streamlit/secrets.toml ] && [ -z "${DASHBOARD_VIEWER_PASSWORD:-}${DASHBOARD_EDITOR_PASSWORD:-}" ]; then
  echo "error: no sign-in configured: create .streamlit/secrets.toml from .streamlit/secrets.example.toml" >&2
  exit 2
fi
python3 -m venv .venv
.venv/bin/pip install --quiet -e .
exec .venv/bin/streamlit run streamlit_app.py --server.address 0.0.0.0 --server.port "${PORT:-8501}"
