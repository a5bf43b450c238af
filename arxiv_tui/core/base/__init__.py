"""The ground floor: the project's errors, safe text, TeX to Unicode, atomic files, where things
live, arXiv's calendar and the clock. Imports nothing of ours outside base."""
