"""What comes from the network, made safe: HTTP a hostile server cannot stretch, arXiv's RSS and
API clients, feeds parsed (in a child process when asked), PDFs, Semantic Scholar, the bundled
demo listing. May import base, models, matching and config; never library, output or session."""
