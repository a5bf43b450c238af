"""arxiv-tui: read each day's arXiv in the terminal."""

__version__ = "0.1.0"
