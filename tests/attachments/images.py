"""Files made here, byte by byte or with Pillow, for the attachment tests: no fixtures on disk."""

import io

from PIL import Image

# A PDF small enough to read: one empty page.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
SCRIPT = b"#!/bin/sh\necho 'not a photo'\nrm -rf ~\n"
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def image_bytes(
    fmt: str = "JPEG", size=(64, 48), color=(200, 30, 30), *, gps: bool = False, orientation: int = 0
) -> bytes:
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    if gps:
        # 51°30'N 0°7'W, the camera, and who owns it: all of it must go.
        exif[GPS_IFD] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
        exif[0x010F] = "Phonecorp"
        exif[0x013B] = "Alice Moreno"
    if orientation:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    options = {"exif": exif.tobytes()} if len(exif) else {}
    image.save(out, format=fmt, **options)
    return out.getvalue()


def gif_bytes(frames: int = 3) -> bytes:
    images = [Image.new("P", (20, 10), index) for index in range(frames)]
    out = io.BytesIO()
    images[0].save(out, format="GIF", save_all=True, append_images=images[1:], duration=100, loop=0)
    return out.getvalue()


def bomb_png(width: int = 20_000, height: int = 20_000) -> bytes:
    """A PNG that claims a huge picture in a tiny file (the pixels compress to almost nothing)."""
    image = Image.new("1", (width, height))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
