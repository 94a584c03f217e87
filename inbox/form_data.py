"""A provider's multipart/form-data POST read into its fields, as bytes (stdlib `email` for the
headers; no Django import). Django's own parser holds a text field to DATA_UPLOAD_MAX_MEMORY_SIZE
(2.5 MB), which suits forms people fill in; a raw message posted as a text field (Mailgun's
`body-mime`) carries the customer's photos and may be ten times that. The caller bounds the body's
length first. Parts are cut at the boundary, not parsed as mail: a message posted as a
message/rfc822 file comes back byte for byte."""

from email import policy
from email.parser import BytesHeaderParser


def _param(headers: bytes, header: str, name: str) -> str | None:
    value = BytesHeaderParser(policy=policy.HTTP).parsebytes(headers).get_param(name, header=header)
    return value if isinstance(value, str) else None


def multipart_fields(content_type: str, body: bytes) -> dict[str, bytes]:
    """Each named part's content as posted, text field or file alike (the first of a repeated
    name). Not multipart, or no boundary: no fields."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1", errors="replace")
    boundary = _param(head, "content-type", "boundary")
    if not content_type.lower().startswith("multipart/") or not boundary:
        return {}
    fields: dict[str, bytes] = {}
    delimiter = b"\r\n--" + boundary.encode("latin-1", errors="replace")
    for chunk in (b"\r\n" + body).split(delimiter)[1:]:
        if chunk.startswith(b"--"):  # the close delimiter: what follows is the epilogue
            break
        headers, separator, content = chunk.partition(b"\r\n\r\n")
        name = _param(headers.lstrip(b" \t").removeprefix(b"\r\n") + b"\r\n\r\n", "content-disposition", "name")
        if separator and name is not None and name not in fields:
            fields[name] = content
    return fields
