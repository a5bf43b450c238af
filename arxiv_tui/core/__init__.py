"""Everything but the terminal: arXiv's feeds, the user's library, matching, output, and the
session the front ends share. No module here imports textual or rich (`lint-imports` and a test
prove it).

The subpackages are layers, each importing only those below it (pyproject's [tool.importlinter]):
base -> models -> matching -> config -> sources | library | output (siblings that never import
each other) -> incoming -> session.
"""
