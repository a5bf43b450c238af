"""Pictures for the terminal: a figure's image decoded, and a PDF's pages rendered (pypdfium2).
Both libraries are imported when a picture is first asked for, never at start.

Everything here comes from outside (a figure from arXiv, a PDF from the disk), so sizes are
bounded before decoding: an image's pixels (a decompression bomb is refused, not decoded), a
page's rendered size, and a PDF's number of pages shown. What cannot be read is a ValueError
with the reason, fit to show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

MAX_PIXELS = 40_000_000  # a figure or a rendered page: 40 megapixels at most
MAX_PAGE_WIDTH = 2_400  # pixels a page is rendered at, at most (a terminal shows far fewer)


def decode_image(data: bytes) -> Image:
    """An image file's pixels (PNG, JPEG, GIF…), converted to RGB; ValueError when it is not
    one, or larger than MAX_PIXELS."""
    import io
    import warnings

    from PIL import Image as PILImage

    PILImage.MAX_IMAGE_PIXELS = MAX_PIXELS  # beyond it Pillow refuses instead of decoding
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            picture = PILImage.open(io.BytesIO(data))
            if picture.width * picture.height > MAX_PIXELS:
                raise ValueError(f"the picture is {picture.width}x{picture.height}: too large to show")
            picture.load()
            return picture.convert("RGB")
    except (
        OSError,
        SyntaxError,
        PILImage.DecompressionBombError,
        PILImage.DecompressionBombWarning,
    ) as error:
        raise ValueError(f"not a picture that can be shown ({type(error).__name__})") from None


class PdfPages:
    """A PDF file's pages, rendered one at a time. Close it when done."""

    def __init__(self, path: str) -> None:
        import pypdfium2

        try:
            self.document = pypdfium2.PdfDocument(path)
        except (pypdfium2.PdfiumError, OSError) as error:
            raise ValueError(f"{path} cannot be read as a PDF ({error})") from None
        self.count = len(self.document)

    def render(self, number: int, width: int) -> Image:
        """Page `number` (0-based) as an RGB image `width` pixels wide (at most MAX_PAGE_WIDTH)."""
        import pypdfium2

        page = self.document[number]
        try:
            page_width, page_height = page.get_size()
            scale = min(max(width, 16), MAX_PAGE_WIDTH) / max(page_width, 1.0)
            if page_width * page_height * scale * scale > MAX_PIXELS:
                scale = (MAX_PIXELS / max(page_width * page_height, 1.0)) ** 0.5
            return page.render(scale=scale).to_pil().convert("RGB")
        except pypdfium2.PdfiumError as error:
            raise ValueError(f"page {number + 1} cannot be rendered ({error})") from None
        finally:
            page.close()

    def close(self) -> None:
        self.document.close()
