"""The user's library, one SQLite file: papers, listings, marks, notes, tags, saved searches and
caches, searched with FTS5; opened, checked, backed up and recovered; exported and imported.
May import base, models, matching and config; never sources, output or session."""
