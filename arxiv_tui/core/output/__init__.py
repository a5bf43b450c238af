"""Papers written out for people and for other tools: Markdown, JSON, BibTeX, RIS, CSV.
May import base, models and matching; never sources, library or session."""
