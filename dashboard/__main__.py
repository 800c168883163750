"""`python -m dashboard ...` hands over to the CLI."""
from dashboard.cli import run

run()
