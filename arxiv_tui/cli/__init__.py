"""The command line (no UI imported until the reader starts): `main.py` runs what was asked,
`arguments.py` parses it, `digest.py` and `library_commands.py` are the commands that print and
exit, `shell.py` their exit codes and messages. May import core and, to start the reader, tui."""
