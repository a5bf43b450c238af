"""The Textual reader: the App shell, the commands declared once, what workers post, and the
screens and widgets. A thin view of the session (core/session); it reaches the library only
through it. May import core; core never imports this."""
