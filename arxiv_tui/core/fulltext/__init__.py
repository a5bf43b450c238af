"""A paper's full text: the HTML arXiv builds with LaTeXML read into a document (latexml.py),
and the document as Markdown (document.py). May import base and models."""
