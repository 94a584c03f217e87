"""An email backend that writes each message to a file of its own, for counting what was sent.

Django's file backend appends every message one connection sends to one file
named by the second and the backend's address in memory; two worker processes
can pick the same name and interleave their writes. Here each message is written
to a temporary name and renamed into place, so a reader sees whole messages only,
and a process killed mid-write leaves no half message behind. Used by the
workers the follow-up dispatch benchmark and the real-worker tests start, which
count Message-IDs to prove nothing was sent twice.

`OneFilePerProcessBackend` appends instead, for the benchmark's many thousand messages.
"""

import os
import re
import uuid
from collections import Counter
from io import BufferedWriter
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

MESSAGE_ID = re.compile(rb"^Message-ID: (<[^>]+>)", re.MULTILINE)


class OneFilePerMessageBackend(BaseEmailBackend):
    def __init__(self, *, file_path: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.folder = Path(file_path or settings.EMAIL_FILE_PATH)  # type: ignore[misc]  # set with the file backend
        self.folder.mkdir(parents=True, exist_ok=True)

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            self.write(message.message().as_bytes())
        return len(email_messages)

    def write(self, data: bytes) -> None:
        name = f"{os.getpid()}-{uuid.uuid4().hex}"
        partial = self.folder / f".{name}.part"
        partial.write_bytes(data)
        partial.rename(self.folder / f"{name}.eml")


class OneFilePerProcessBackend(OneFilePerMessageBackend):
    """Each process appends its messages to a file of its own, opened once: creating a file a
    message costs more than building the message on a slow disk, and the dispatch benchmark
    measures sending, not the file system. Whole messages only while the process lives."""

    _streams: dict[str, BufferedWriter] = {}

    def write(self, data: bytes) -> None:
        key = f"{self.folder}:{os.getpid()}"
        stream = self._streams.get(key)
        if stream is None:
            stream = self._streams[key] = (self.folder / f"{os.getpid()}-{uuid.uuid4().hex}.eml").open("ab")
        stream.write(data + b"\n" + b"-" * 79 + b"\n")
        stream.flush()


def message_ids(folder: Path | str) -> Counter:
    """How many times each Message-ID was written to `folder`."""
    counts: Counter = Counter()
    for path in Path(folder).glob("*.eml"):
        counts.update(found.decode() for found in MESSAGE_ID.findall(path.read_bytes()))
    return counts
