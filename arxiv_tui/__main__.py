"""`python -m arxiv_tui`: the command line."""

from arxiv_tui.cli import start

raise SystemExit(start())
