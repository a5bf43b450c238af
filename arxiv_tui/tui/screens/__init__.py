"""The screens: the reader (a package of its own), the keyword editor, the first run's setup, the
help, and the dialogs, each returning its answer with `dismiss`. May import core and the
widgets; no screen imports the App."""
