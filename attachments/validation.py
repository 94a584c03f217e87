"""What a file is, by its content, and whether we keep it (no Django import).

A file's name and the type its browser claims say nothing: the first bytes do. Only photos
(JPEG, PNG, WebP, the first frame of a GIF) and PDFs are kept. A photo is opened with Pillow
under a pixel limit (a small file that unpacks to gigabytes is refused), turned the way its
EXIF orientation says, and written again from its pixels alone: its metadata (where it was
taken, the camera, the owner's name) does not survive. A PDF is checked by its header and
kept as it is (it is only ever downloaded, never shown inline). Anything else is refused
with a message that says what we take.

HEIC (iPhones' own format) is not taken: Pillow cannot read it without a plugin we do not
install; phones send JPEG when uploading to a web page.
"""

import hashlib
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from core.translatable import gettext_noop

# What we take, as the first bytes say.
JPEG, PNG, WEBP, GIF, PDF = "image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"
EXTENSIONS = {JPEG: "jpg", PNG: "png", WEBP: "webp", PDF: "pdf"}
# How each image is written again: (Pillow's format, content type). A GIF's first frame becomes a PNG.
REENCODE = {JPEG: ("JPEG", JPEG), PNG: ("PNG", PNG), WEBP: ("WEBP", WEBP), GIF: ("PNG", PNG)}
PILLOW_FORMATS = {"JPEG": JPEG, "PNG": PNG, "WEBP": WEBP, "GIF": GIF}

THUMBNAIL_SIZE = (320, 320)
THUMBNAIL_TYPE = JPEG
# A photo from any phone is well within this (a 200-megapixel sensor is 2e8).
DEFAULT_MAX_PIXELS = 50_000_000

EMPTY = gettext_noop("The file is empty.")
TOO_LARGE = gettext_noop("The file is too large: {size} (at most {maximum}).")
NOT_ALLOWED = gettext_noop("We take photos (JPEG, PNG, WebP or GIF) and PDF documents only; this file is neither.")
NOT_READABLE = gettext_noop(
    "This image could not be read: it may be damaged. Try saving it again or take a screenshot."
)
TOO_MANY_PIXELS = gettext_noop("This image is too large to open ({width} × {height} pixels): send a smaller one.")
NOT_A_PDF = gettext_noop("This PDF could not be read: it may be damaged.")


class FileRefused(Exception):
    """The file is not kept; str() is the message to show."""


@dataclass(frozen=True)
class CheckedFile:
    """A file fit to keep: its bytes (an image written again), what it is, and a thumbnail."""

    data: bytes
    content_type: str
    extension: str
    sha256: str
    thumbnail: bytes | None = None  # a JPEG, for images
    width: int | None = None
    height: int | None = None

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


def sniff(head: bytes) -> str | None:
    """The content type the first bytes say, among those we take; None otherwise."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    return None


# A size's words, in decimal units (a megabyte is 1,000,000 bytes, as the limit is set). Marked
# for translation so a customer reads "10,0 Mo": the portal reads a size back against these and
# writes its number the way their language does (portal.languages.customer_words).
MEGABYTES = gettext_noop("{megabytes} MB")
KILOBYTES = gettext_noop("{kilobytes} KB")
BYTES = gettext_noop("{bytes} bytes")


def size_words(size: int) -> str:
    """1234567 -> '1.2 MB'; 2048 -> '2 KB' (in English; see MEGABYTES)."""
    if size >= 1_000_000:
        return MEGABYTES.format(megabytes=f"{size / 1_000_000:.1f}")
    if size >= 1000:
        return KILOBYTES.format(kilobytes=size // 1000)
    return BYTES.format(bytes=size)


def check_file(data: bytes, *, max_bytes: int, max_pixels: int = DEFAULT_MAX_PIXELS) -> CheckedFile:
    """The file as we keep it, or FileRefused with the reason. Judged by content alone."""
    if not data:
        raise FileRefused(EMPTY)
    if len(data) > max_bytes:
        raise FileRefused(TOO_LARGE.format(size=size_words(len(data)), maximum=size_words(max_bytes)))
    kind = sniff(data[:16])
    if kind is None:
        raise FileRefused(NOT_ALLOWED)
    if kind == PDF:
        return _checked_pdf(data)
    return _checked_image(data, kind, max_pixels)


def _checked_pdf(data: bytes) -> CheckedFile:
    # A PDF ends with %%EOF (possibly followed by a line end or some padding).
    if b"%%EOF" not in data[-1024:]:
        raise FileRefused(NOT_A_PDF)
    return CheckedFile(data=data, content_type=PDF, extension="pdf", sha256=hashlib.sha256(data).hexdigest())


def _checked_image(data: bytes, kind: str, max_pixels: int) -> CheckedFile:
    pillow_format, content_type = REENCODE[kind]
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb check only warns below twice its limit: refuse instead.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            formats = [name for name, value in PILLOW_FORMATS.items() if value == kind]
            with Image.open(io.BytesIO(data), formats=formats) as opened:
                width, height = opened.size
                if width * height > max_pixels:
                    raise FileRefused(TOO_MANY_PIXELS.format(width=f"{width:,}", height=f"{height:,}"))
                opened.seek(0)  # a GIF's first frame
                turned = ImageOps.exif_transpose(opened)
                pixels = _pixels_only(turned, pillow_format)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise FileRefused(TOO_MANY_PIXELS.format(width="?", height="?")) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise FileRefused(NOT_READABLE) from error
    clean = _encode(pixels, pillow_format)
    return CheckedFile(
        data=clean,
        content_type=content_type,
        extension=EXTENSIONS[content_type],
        sha256=hashlib.sha256(clean).hexdigest(),
        thumbnail=_thumbnail(pixels),
        width=pixels.width,
        height=pixels.height,
    )


def _pixels_only(image: Image.Image, pillow_format: str) -> Image.Image:
    """A new image holding the pixels and nothing else: no EXIF, no XMP, no ICC, no comments.
    In a mode the format writes (a JPEG is RGB or grey; palette images become RGBA)."""
    mode = image.mode
    if pillow_format == "JPEG":
        mode = "L" if mode in ("1", "L") else "RGB"
    elif mode not in ("RGB", "RGBA", "L", "LA"):
        mode = "RGBA"
    image.load()
    converted = image.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())


def _encode(image: Image.Image, pillow_format: str) -> bytes:
    out = io.BytesIO()
    options: dict[str, object] = {"quality": 88} if pillow_format in ("JPEG", "WEBP") else {"optimize": True}
    image.save(out, format=pillow_format, **options)
    return out.getvalue()


def _thumbnail(image: Image.Image) -> bytes:
    small = image.copy()
    small.thumbnail(THUMBNAIL_SIZE)
    if small.mode in ("RGBA", "LA"):
        background = Image.new("RGB", small.size, "white")
        background.paste(small, mask=small.getchannel("A"))
        small = background
    elif small.mode != "RGB":
        small = small.convert("RGB")
    return _encode(small, "JPEG")


_UNSAFE = re.compile(r"[^\w .()+,\-]", re.UNICODE)


def sent_name(original: str) -> str:
    """The name as sent, cleaned like display_name but keeping the extension it came with: to
    name a refused file in the message ("evil.jpg was not attached")."""
    tail = original.replace("\\", "/").rsplit("/", 1)[-1]
    extension = tail.rsplit(".", 1)[1] if "." in tail else ""
    extension = _UNSAFE.sub("", extension)[:10]
    cleaned = display_name(original, extension or "x")
    return cleaned if extension else cleaned.removesuffix(".x")


def display_name(original: str, extension: str) -> str:
    """The name a person gave the file, fit to show and to offer as a download's name: its last
    path part, no control or odd characters, at most 100 characters, with the extension of what
    the file is ("receipt.pdf" that is a PNG shows as "receipt.png")."""
    name = unicodedata.normalize("NFC", original).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = _UNSAFE.sub("_", stem).strip(" ._") or "file"
    return f"{stem[:100]}.{extension}"
