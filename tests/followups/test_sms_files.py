"""The development text-message backend (`AMENDS_SMS_BACKEND=file`): one file a message, and two
processes writing at once overwrite none of each other's."""

import json
import multiprocessing
import sys
from datetime import UTC, datetime

import time_machine
from django.conf import settings

from followups.channels import OutgoingMessage, send_sms

# Both processes write in the same frozen microsecond: a name made of the time alone collides.
FROZEN = datetime(2026, 12, 3, 18, 0, tzinfo=UTC)
EACH = 200


def write_messages(sender: str, folder: str, start) -> None:
    """In a process of its own: wait for the other, then write EACH messages."""
    settings.AMENDS_SMS_BACKEND, settings.VAR_DIR = "file", folder
    start.wait(timeout=30)
    with time_machine.travel(FROZEN, tick=False):
        for number in range(EACH):
            send_sms(OutgoingMessage(to="+447700900123", subject="", text=f"{sender} {number}"))


def test_two_processes_writing_text_messages_at_once_overwrite_none(tmp_path):
    context = multiprocessing.get_context("fork")
    start = context.Barrier(2)
    processes = [
        context.Process(target=write_messages, args=(sender, str(tmp_path), start)) for sender in ("one", "two")
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
    assert [process.exitcode for process in processes] == [0, 0]
    texts = [json.loads(path.read_text())["text"] for path in (tmp_path / "sms").iterdir()]
    written = {f"{sender} {number}" for sender in ("one", "two") for number in range(EACH)}
    lost, duplicated = len(written - set(texts)), len(texts) - len(set(texts))
    sys.stdout.write(
        f"\nSMS drill: {len(texts)} files of {len(written)} messages, lost {lost}, duplicated {duplicated}\n"
    )
    assert (lost, duplicated) == (0, 0)
