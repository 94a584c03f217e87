"""The sweep of stored files no attachment names: a rolled-back upload leaves its file behind
(it is stored before its row is written); the daily sweep deletes it once the grace period is
past, and never touches a file an attachment names, nor anything in the storage not of ours."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from attachments.models import Attachment, attachment_storage
from attachments.services import attachment_add, attachments_sweep
from attachments.tasks import attachments_sweep_task
from tests.attachments.images import PDF, image_bytes
from tests.factories import CaseFactory

STAFF = Attachment.Source.STAFF
DAY = timedelta(days=1)

pytestmark = pytest.mark.django_db


class RequestFailed(Exception):
    pass


@pytest.fixture(params=["files", "memory"])
def storage(request, settings, tmp_path):
    """A storage of this test's own: a folder on disk, and Django's in-memory storage (which has
    no path at all: the sweep works through the storage's API, as on S3)."""
    backends = {
        "files": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
        "memory": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    settings.STORAGES = {**settings.STORAGES, "attachments": backends[request.param]}
    return attachment_storage()


@pytest.fixture
def case(soho, frontline):
    return CaseFactory(location=soho, created_by=frontline)


def stored(storage) -> set[str]:
    folders, files = storage.listdir("")
    return set(files) | {f"{folder}/{name}" for folder in folders for name in storage.listdir(folder)[1]}


def rolled_back_upload(case, actor, data: bytes) -> set[str]:
    """Attach a file in a transaction that then fails; the names it left in the storage."""
    before = stored(attachment_storage())
    with pytest.raises(RequestFailed), transaction.atomic():
        attachment_add(case=case, upload=SimpleUploadedFile("photo.jpg", data), source=STAFF, actor=actor)
        raise RequestFailed
    return stored(attachment_storage()) - before


def test_a_rolled_back_upload_leaves_its_files_and_the_sweep_deletes_them_after_the_grace_period(
    storage, case, frontline
):
    left = rolled_back_upload(case, frontline, image_bytes("JPEG"))
    assert len(left) == 2  # the photo and its thumbnail, named by no row
    assert not Attachment.objects.exists()
    soon = attachments_sweep(now=timezone.now() + timedelta(hours=23))
    assert (soon.orphans, soon.deleted) == (2, [])
    assert stored(storage) == left
    later = attachments_sweep(now=timezone.now() + timedelta(hours=25))
    assert sorted(later.deleted) == sorted(left)
    assert stored(storage) == set()


def test_the_sweep_never_touches_a_file_an_attachment_names_however_old(storage, case, frontline):
    photo, _ = attachment_add(
        case=case, upload=SimpleUploadedFile("a.jpg", image_bytes("JPEG")), source=STAFF, actor=frontline
    )
    document, _ = attachment_add(case=case, upload=SimpleUploadedFile("r.pdf", PDF), source=STAFF, actor=frontline)
    left = rolled_back_upload(case, frontline, image_bytes("PNG", color=(0, 0, 255)))
    kept = {photo.file.name, photo.thumbnail.name, document.file.name}
    report = attachments_sweep(now=timezone.now() + 400 * DAY)
    assert (report.files, report.orphans, sorted(report.deleted)) == (5, 2, sorted(left))
    assert stored(storage) == kept


def test_what_is_not_of_ours_in_the_storage_is_left_alone(storage):
    for name in ("README.txt", "ab/notes.txt", "backup/0123456789abcdef0123456789abcdef.jpg"):
        storage.save(name, ContentFile(b"not an attachment"))
    orphan = storage.save("ab/0123456789abcdef0123456789abcdef.jpg", ContentFile(b"x"))
    report = attachments_sweep(now=timezone.now() + 2 * DAY)
    assert (report.files, report.deleted) == (1, [orphan])
    assert stored(storage) == {"README.txt", "ab/notes.txt"} | {
        f"backup/{name}" for name in storage.listdir("backup")[1]
    }


def test_a_dry_run_deletes_nothing_and_the_command_says_what_it_would(storage, case, frontline, capsys):
    left = rolled_back_upload(case, frontline, image_bytes("JPEG"))
    assert sorted(attachments_sweep(now=timezone.now() + 2 * DAY, dry_run=True).deleted) == sorted(left)
    call_command("attachments_sweep", "--dry-run", "--grace-hours", "1")
    assert stored(storage) == left  # their files are a second old: younger than an hour
    out = capsys.readouterr().out
    assert "Dry run: 2 stored files read; 2 named by no attachment: 0 deleted, 2 kept" in out


def test_the_command_refuses_a_grace_period_under_an_hour(storage):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("attachments_sweep", "--grace-hours", "0")


def test_the_command_and_the_task_use_the_setting_s_grace_period(storage, case, frontline, settings, capsys):
    left = rolled_back_upload(case, frontline, image_bytes("JPEG"))
    call_command("attachments_sweep")
    assert stored(storage) == left and "0 deleted, 2 kept" in capsys.readouterr().out
    settings.AMENDS_ATTACHMENT_ORPHAN_GRACE_HOURS = 0
    assert attachments_sweep_task() == 2
    assert stored(storage) == set()


def test_beat_runs_the_sweep_once_a_day():
    entry = PeriodicTask.objects.get(task="attachments.sweep")
    assert entry.enabled and entry.interval is None
    assert (entry.crontab.minute, entry.crontab.hour, entry.crontab.day_of_week) == ("30", "3", "*")
    assert attachments_sweep_task.name == "attachments.sweep"
