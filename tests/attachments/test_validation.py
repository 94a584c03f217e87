"""Files are judged by their content, not their name (attachments/validation.py, pure)."""

import io
import re

import pytest
from PIL import Image

from attachments.validation import (
    EMPTY,
    NOT_A_PDF,
    NOT_ALLOWED,
    NOT_READABLE,
    FileRefused,
    check_file,
    display_name,
    sniff,
)
from tests.attachments.images import GPS_IFD, ORIENTATION, PDF, SCRIPT, bomb_png, gif_bytes, image_bytes

MB = 1_000_000


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (image_bytes("JPEG"), "image/jpeg"),
        (image_bytes("PNG"), "image/png"),
        (image_bytes("WEBP"), "image/webp"),
        (gif_bytes(), "image/gif"),
        (PDF, "application/pdf"),
        (SCRIPT, None),
        (b"<html><script>alert(1)</script></html>", None),
        (b"PK\x03\x04 a zip, or a .docx", None),
    ],
)
def test_the_first_bytes_say_what_a_file_is(data, expected):
    assert sniff(data[:16]) == expected


def test_a_png_named_pdf_is_kept_as_the_png_it_is():
    checked = check_file(image_bytes("PNG"), max_bytes=MB)
    assert checked.content_type == "image/png"
    assert display_name("receipt.pdf", checked.extension) == "receipt.png"


def test_a_script_named_jpg_is_refused():
    with pytest.raises(FileRefused, match=re.escape(NOT_ALLOWED)):
        check_file(SCRIPT, max_bytes=MB)


def test_a_file_that_starts_like_a_jpeg_but_is_not_one_is_refused():
    with pytest.raises(FileRefused, match=NOT_READABLE):
        check_file(b"\xff\xd8\xff\xe0" + SCRIPT, max_bytes=MB)


def test_a_file_over_the_limit_is_refused_with_both_sizes():
    with pytest.raises(FileRefused) as refused:
        check_file(image_bytes("PNG", size=(400, 400)) + b"\0" * 3000, max_bytes=2000)
    assert "(at most 2 KB)" in str(refused.value)


def test_an_empty_file_is_refused():
    with pytest.raises(FileRefused, match=EMPTY):
        check_file(b"", max_bytes=MB)


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    bomb = bomb_png()
    assert len(bomb) < 100_000  # tiny on disk: 400 million pixels inside
    with pytest.raises(FileRefused, match="too large to open"):
        check_file(bomb, max_bytes=MB, max_pixels=50_000_000)


def test_an_image_within_the_pixel_limit_is_kept():
    assert check_file(image_bytes("PNG", size=(100, 100)), max_bytes=MB, max_pixels=10_000).width == 100


def test_an_image_one_pixel_over_the_limit_is_refused():
    with pytest.raises(FileRefused, match="100 × 101"):
        check_file(image_bytes("PNG", size=(100, 101)), max_bytes=MB, max_pixels=10_000)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_gps_and_every_other_exif_tag_are_gone_after_reencoding(fmt):
    original = image_bytes(fmt, gps=True)
    assert opened(original).getexif().get_ifd(GPS_IFD)  # the test's photo does carry a location
    checked = check_file(original, max_bytes=MB)
    kept = opened(checked.data)
    assert kept.format == fmt
    assert not kept.getexif()
    assert b"Alice Moreno" not in checked.data and b"Phonecorp" not in checked.data
    assert not opened(checked.thumbnail).getexif()


def test_the_photo_is_turned_the_way_its_exif_says_before_the_exif_goes():
    # Orientation 6: the camera was held on its side; the picture is shown turned 90°.
    checked = check_file(image_bytes("JPEG", size=(64, 48), orientation=6), max_bytes=MB)
    assert (checked.width, checked.height) == (48, 64)
    assert ORIENTATION not in opened(checked.data).getexif()


def test_a_gif_keeps_its_first_frame_as_a_png():
    checked = check_file(gif_bytes(frames=3), max_bytes=MB)
    kept = opened(checked.data)
    assert checked.content_type == "image/png" and kept.format == "PNG"
    assert getattr(kept, "n_frames", 1) == 1


def test_a_pdf_is_kept_byte_for_byte_without_a_thumbnail():
    checked = check_file(PDF, max_bytes=MB)
    assert checked.data == PDF and checked.content_type == "application/pdf" and checked.thumbnail is None


def test_a_pdf_without_its_end_is_refused():
    with pytest.raises(FileRefused, match=NOT_A_PDF):
        check_file(PDF.replace(b"%%EOF", b""), max_bytes=MB)


def test_a_thumbnail_is_a_small_jpeg():
    checked = check_file(image_bytes("PNG", size=(1200, 800)), max_bytes=MB)
    thumbnail = opened(checked.thumbnail)
    assert thumbnail.format == "JPEG" and max(thumbnail.size) == 320


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("C:\\Users\\alice\\Desktop\\IMG 0001.JPG", "IMG 0001.jpg"),
        ("<b>alert(1)<b>.png", "b_alert(1)_b.jpg"),
        ("<script>alert(1)</script>.png", "script.jpg"),
        ("\x00\x1b[31mred.jpeg", "31mred.jpg"),
        (".jpg", "file.jpg"),
        ("x" * 300 + ".jpg", "x" * 100 + ".jpg"),
    ],
)
def test_the_name_sent_is_cleaned_and_given_the_real_extension(sent, shown):
    assert display_name(sent, "jpg") == shown
