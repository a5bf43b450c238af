"""The morning without a terminal: the Reader (reader.py) and its parts: what is shown and which
view, marks with undo, the refresh and its state, the lookups a view needs, the saved searches,
what Semantic Scholar said. The TUI and the commands use it; none re-implements a flow. May
import every other layer of core."""
