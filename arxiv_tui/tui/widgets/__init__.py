"""The reader's widgets: the paper list (draws only the visible rows), the detail pane, the status
and views lines, the search bar, the download bar. Each shows what it is given and talks upward
by message. May import core (models, matching, session) and tui's messages and render."""
