"""The tests: core/ (no terminal), tui/ (Pilot), snapshots/ (SVG screens at fixed sizes), and the
command line; recorded arXiv answers served from a loopback server, never the network."""
