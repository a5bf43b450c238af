"""The morning without a terminal: the Reader (reader.py) and its parts. It gets listings (feed
files, the network, the library), catches up on missed days, and keeps what is shown, the
marks with undo, and the refresh's state. The TUI and the commands use it; none re-implements
a flow. May import every other layer of core."""
