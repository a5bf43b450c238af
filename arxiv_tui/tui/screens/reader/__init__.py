"""The reader screen (screen.py): one Textual Screen whose commands are grouped in classes by what
they act on, each in its own module and built on base.py (the state and how it is drawn).
May import core (through the session) and the TUI's widgets, messages and dialogs."""

from arxiv_tui.tui.screens.reader.screen import ReaderScreen

__all__ = ["ReaderScreen"]
