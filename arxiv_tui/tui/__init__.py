"""The Textual reader. Imports the core; the core never imports this."""
