"""The mailbox of the workers tests start: one file a message (core.mailbox), and a way
to stop a worker in the middle of a send, deterministically.

Set in the worker's environment:
    TEST_EMAIL_BACKEND=tests.followups.mailbox.HoldingBackend
    TEST_MAIL_DIR        where the messages are written
    TEST_MAIL_HOLD_AT=N  on this process's Nth message, before writing it: write the
                         process id to TEST_MAIL_HELD, then wait for TEST_MAIL_RELEASE
                         to appear (the test kills the process, or releases it)
"""

import os
import time
from pathlib import Path

from core.mailbox import OneFilePerMessageBackend

# Never hold a worker for ever if the test that should end the hold has died.
HOLD_AT_MOST_SECONDS = 60

_sent_by_this_process = 0


class HoldingBackend(OneFilePerMessageBackend):
    def __init__(self, **kwargs):
        kwargs.setdefault("file_path", os.environ["TEST_MAIL_DIR"])
        super().__init__(**kwargs)

    def write(self, data: bytes) -> None:
        global _sent_by_this_process
        _sent_by_this_process += 1
        if _sent_by_this_process == int(os.environ.get("TEST_MAIL_HOLD_AT", "0")):
            self.hold()
        super().write(data)

    def hold(self) -> None:
        Path(os.environ["TEST_MAIL_HELD"]).write_text(str(os.getpid()))
        release = Path(os.environ.get("TEST_MAIL_RELEASE", "/nonexistent"))
        deadline = time.monotonic() + HOLD_AT_MOST_SECONDS
        while not release.exists():
            if time.monotonic() > deadline:
                raise RuntimeError("held for too long: nobody killed or released this worker")
            time.sleep(0.05)
