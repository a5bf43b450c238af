"""What comes in, and is kept: the listing to show (from feed files, the network or the library),
missed days back-filled through the API, searches of all of arXiv, each stored in the library
as it arrives. May import sources, library and every layer below them; never session."""
