"""`python -m dashboard ...` hands over to the CLI."""
import sys

from dashboard.cli import main

sys.exit(main())
