"""`python -m arxiv_tui`: the command line."""

from arxiv_tui.cli.main import main

raise SystemExit(main())
