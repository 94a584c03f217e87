"""A provider's multipart POST read back byte for byte, whatever the encoding of the parts."""

from hypothesis import given
from hypothesis import strategies as st

from inbox.form_data import multipart_fields

BOUNDARY = "BoUnDaRyXyZ"
CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


def form(**parts: bytes) -> bytes:
    body = b""
    for name, value in parts.items():
        body += f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value + b"\r\n"
    return body + f"--{BOUNDARY}--\r\n".encode()


@given(st.binary().filter(lambda value: BOUNDARY.encode() not in value))
def test_a_field_comes_back_as_the_bytes_posted(value):
    assert multipart_fields(CONTENT_TYPE, form(message=value, token=b"abc")) == {"message": value, "token": b"abc"}


def test_a_file_part_reads_like_a_field():
    body = (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="body-mime"; filename="m.eml"\r\n'
            "Content-Type: message/rfc822\r\n\r\n"
        ).encode()
        + b"From: a@example.com\r\n\r\nCaf\xe9\r\n"
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )
    assert multipart_fields(CONTENT_TYPE, body) == {"body-mime": b"From: a@example.com\r\n\r\nCaf\xe9\r\n"}


def test_the_first_of_a_repeated_name_is_kept():
    body = form(token=b"one").replace(f"--{BOUNDARY}--\r\n".encode(), b"") + form(token=b"two")
    assert multipart_fields(CONTENT_TYPE, body)["token"] == b"one"


def test_a_body_that_is_not_multipart_has_no_fields():
    assert multipart_fields("text/plain", b"token=abc") == {}
    assert multipart_fields("multipart/form-data", b"no boundary at all") == {}
