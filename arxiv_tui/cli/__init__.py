"""The command line (no UI imported until the reader starts): `main.py` runs what was asked,
`arguments.py` parses it, `digest.py` and `library_commands.py` are the commands that print and
exit, `shell.py` their exit codes and messages. May import core and, to start the reader, tui."""


def start(argv: list[str] | None = None) -> int:
    """The `arxiv-tui` command. Its modules make many objects that live as long as the process:
    the collector walked them 23 times while they loaded. They are loaded with it off, then
    frozen (left out of every collection after), so no collection walks them: a start collects
    for 0.6 ms before its first frame, not 3.4. (The reader turns it off again until then.)"""
    import gc

    gc.disable()
    try:
        from arxiv_tui.cli.main import main as run
    finally:
        gc.freeze()
        gc.enable()
    return run(argv)
