"""The data layer: fetch, parse, match, config, state, archive, digest.

Nothing in this package may import textual or rich (a test enforces it).
"""
