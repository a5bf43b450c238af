"""The command line (no UI imported until the reader starts): `main.py` runs what was asked,
`arguments.py` parses it, `digest.py` and `library_commands.py` are the commands that print and
exit, `shell.py` their exit codes and messages. May import core and, to start the reader, tui."""


def start(argv: list[str] | None = None) -> int:
    """The `arxiv-tui` command. Its modules are imported with the cyclic collector off: they make
    many objects that live as long as the process, and collecting walked them about 20 times, 3 ms
    of every start. (The reader turns it off again until its first frame is drawn.)"""
    import gc

    gc.disable()
    try:
        from arxiv_tui.cli.main import main as run
    finally:
        gc.enable()
    return run(argv)
