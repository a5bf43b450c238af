"""Pictures from outside, bounded before they are decoded: figures (Pillow) and PDF pages
(pypdfium2), on a real 4-page arXiv PDF from ../shared when it is there and on PDFs made here."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pytest

from arxiv_tui.core.fulltext.pictures import MAX_PAGE_WIDTH, PdfPages, decode_image

REAL_PDF = (
    Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "fulltext" / "arxiv-pdf-2304.02623v1.pdf"
)


def png(width: int, height: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


def bomb(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height: a few KB that would decode to gigabytes."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 10_000)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def test_a_figure_is_decoded_and_what_is_no_picture_or_too_large_is_refused():
    assert decode_image(png(30, 20)).size == (30, 20)
    with pytest.raises(ValueError, match="not a picture that can be shown"):
        decode_image(b"<html>404</html>")
    with pytest.raises(ValueError, match=r"too large|not a picture"):
        decode_image(bomb(60_000, 60_000))


def test_a_pdf_made_here_is_rendered_a_page_at_a_time(tmp_path):
    from PIL import Image

    pages = [Image.new("RGB", (100, 140), colour) for colour in ("red", "blue")]
    pages[0].save(tmp_path / "two.pdf", "PDF", save_all=True, append_images=pages[1:])
    pdf = PdfPages(str(tmp_path / "two.pdf"))
    try:
        assert pdf.count == 2
        first, second = pdf.render(0, 400), pdf.render(1, 10_000)
        red, _, blue = first.getpixel((200, 200))
        assert first.width == 400 and red > 240 and blue < 15  # Pillow writes the page as a JPEG
        red, _, blue = second.getpixel((10, 10))
        assert second.width == MAX_PAGE_WIDTH and blue > 240 and red < 15
    finally:
        pdf.close()
    (tmp_path / "not.pdf").write_bytes(b"%PDF-1.4 broken")
    with pytest.raises(ValueError, match="cannot be read as a PDF"):
        PdfPages(str(tmp_path / "not.pdf"))


def test_the_real_arxiv_pdf_has_its_four_pages():
    if not REAL_PDF.exists():
        pytest.skip("../shared/fixtures is not here")
    pdf = PdfPages(str(REAL_PDF))
    try:
        assert pdf.count == 4
        page = pdf.render(0, 800)
        assert page.width == 800 and page.height > 800  # a portrait page
        assert len(page.resize((40, 50)).getcolors(maxcolors=4_000) or ()) > 2  # text and white, not blank
    finally:
        pdf.close()
