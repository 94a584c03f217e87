"""The corpus of realistic messages (tests/inbox/mail/*.eml), with their placeholders filled in:
TOKEN (the reply token of a case), FOLLOWUP (a follow-up's id), PNGBASE64 (a real PNG)."""

import base64
import io
from pathlib import Path

from PIL import Image

MAIL = Path(__file__).resolve().parent / "mail"


def png_base64() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return base64.encodebytes(buffer.getvalue()).decode()


def load(name: str, **values: str) -> bytes:
    raw = (MAIL / f"{name}.eml").read_bytes()
    for key, value in values.items():
        raw = raw.replace(key.encode(), value.encode())
    if b"PNGBASE64" in raw:
        raw = raw.replace(b"PNGBASE64", png_base64().encode())
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
