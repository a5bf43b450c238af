from arxiv_tui.cli import main

raise SystemExit(main())
