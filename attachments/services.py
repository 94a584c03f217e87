"""Attaching photos and documents to a case: one function per action.

A file is judged by its content (attachments.validation), stored under a random name in
STORAGES["attachments"], and put on the case's timeline (`attachment.added`) in the same
transaction as its row. The same file twice on a case is kept once.
"""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.models import User
from accounts.roles import works_at
from cases import events
from cases.events import Kind
from cases.models import Case
from core.exceptions import ApplicationError

from .models import Attachment, attachment_storage, random_name
from .validation import CheckedFile, FileRefused, check_file, display_name, size_words
from .validation import sent_name as shown_name

NOT_YOUR_CASE = _("You do not work at this case's location.")
TOO_MANY = _("Attach at most {maximum} files at once.")
NOTHING = _("Choose a file to attach.")
REFUSED = gettext_noop("{name} was not attached: {reason}")


def _check(upload: File) -> tuple[CheckedFile, str]:
    """The upload checked by its content, and the name it came with; reads one byte more than
    the limit, so a larger file is never read whole."""
    sent = upload.name or "file"
    limit = settings.AMENDS_ATTACHMENT_MAX_BYTES
    upload.seek(0)
    data = upload.read(limit + 1)
    try:
        return check_file(data, max_bytes=limit, max_pixels=settings.AMENDS_ATTACHMENT_MAX_PIXELS), sent
    except FileRefused as refused:
        raise ApplicationError(REFUSED.format(name=shown_name(sent), reason=refused), field="upload") from refused


def _note(attachment: Attachment, source: str) -> str:
    what = "Photo" if attachment.is_image else "Document"
    by = " by the customer" if source == Attachment.Source.CUSTOMER else ""
    return f"{what} attached{by}: {attachment.original_name} ({size_words(attachment.size)})."


@transaction.atomic
def attachment_add(
    *,
    case: Case,
    upload: File,
    source: str,
    actor: User | None,
    now: datetime | None = None,
) -> tuple[Attachment, bool]:
    """Attach one file to the case, if its content is one we take; returns (attachment, created).

    Staff attach only to cases of their locations; `actor` None is the customer (their own
    report) or the system (an inbound email). The file is stored under a random name; the name
    it came with is kept, cleaned, only to show. The same content again on the same case
    returns the attachment already there (a double submit attaches once).
    """
    _check_actor(case, actor)
    checked, sent_name = _check(upload)
    return _attach(case, checked, sent_name, source, actor, now or timezone.now())


@transaction.atomic
def attachments_add(*, case: Case, uploads: Sequence[File], source: str, actor: User | None) -> list[Attachment]:
    """Attach several files at once (staff's upload): every one is checked before any is
    stored, so one refused (the message names it) attaches none."""
    _check_actor(case, actor)
    if not uploads:
        raise ApplicationError(NOTHING, field="upload")
    maximum = settings.AMENDS_ATTACHMENTS_PER_UPLOAD
    if len(uploads) > maximum:
        raise ApplicationError(TOO_MANY.format(maximum=maximum), field="upload")
    checked = [_check(upload) for upload in uploads]
    now = timezone.now()
    return [_attach(case, file, sent_name, source, actor, now)[0] for file, sent_name in checked]


def _check_actor(case: Case, actor: User | None) -> None:
    if actor is not None and not works_at(actor, case.location_id):
        raise ApplicationError(NOT_YOUR_CASE)


def _attach(
    case: Case, checked: CheckedFile, sent_name: str, source: str, actor: User | None, now: datetime
) -> tuple[Attachment, bool]:
    existing = Attachment.objects.filter(case=case, sha256=checked.sha256).first()
    if existing is not None:
        return existing, False
    attachment = Attachment(
        case=case,
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=checked.sha256,
        original_name=display_name(sent_name, checked.extension),
        source=source,
        uploaded_by=actor,
        created_at=now,
    )
    attachment.full_clean(exclude=["case", "uploaded_by", "file", "thumbnail"], validate_unique=False)
    # Stored before the row is written: a row never names a file that is not there. (A
    # transaction rolled back later leaves an unnamed file behind, never a broken row.)
    storage = attachment_storage()
    attachment.file.name = storage.save(random_name(checked.extension), ContentFile(checked.data))
    if checked.thumbnail is not None:
        attachment.thumbnail.name = storage.save(random_name("jpg"), ContentFile(checked.thumbnail))
    try:
        with transaction.atomic():
            attachment.save(force_insert=True)
    except IntegrityError:
        # The same file sent twice at the same moment: the other request kept it.
        _delete_files(attachment)
        return Attachment.objects.get(case=case, sha256=checked.sha256), False
    events.record(
        kind=Kind.ATTACHMENT_ADDED,
        case=case,
        actor=actor,
        now=now,
        note=_note(attachment, source),
        payload=events.AttachmentAdded(
            attachment_id=attachment.pk,
            original_name=attachment.original_name,
            content_type=attachment.content_type,
            size=attachment.size,
            sha256=attachment.sha256,
            source=source,
            has_thumbnail=bool(attachment.thumbnail),
        ),
    )
    return attachment, True


@transaction.atomic
def attachments_erase(*, case_ids: list[int]) -> int:
    """Delete the photos and files of these cases, rows and stored files (a customer's erasure:
    a receipt names them, a photo may show them or their home). The files go once the
    transaction commits, so a rolled-back erasure loses nothing. Returns how many went."""
    attachments = list(Attachment.objects.filter(case_id__in=case_ids))
    Attachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).delete()
    transaction.on_commit(lambda: _delete_all(attachments))
    return len(attachments)


def _delete_all(attachments: list[Attachment]) -> None:
    for attachment in attachments:
        _delete_files(attachment)


def _delete_files(attachment: Attachment) -> None:
    storage = attachment_storage()
    for stored in (attachment.file, attachment.thumbnail):
        if stored and stored.name:
            storage.delete(stored.name)


# What random_name makes, and so all the sweep may delete: whatever else is in the storage
# (put there by hand, or another tool's under a shared bucket prefix) is not ours to judge.
STORED_NAME = re.compile(r"[0-9a-f]{2}/[0-9a-f]{32}\.[a-z]{2,4}")
STORED_FOLDER = re.compile(r"[0-9a-f]{2}")
SWEEP_BATCH = 500


@dataclass(frozen=True)
class SweepReport:
    """What a sweep saw: the files of ours it read, those no attachment names, and how many of
    those it deleted (the rest are younger than the grace period)."""

    files: int
    orphans: int
    deleted: list[str]

    def summary(self) -> str:
        kept = self.orphans - len(self.deleted)
        return (
            f"{self.files} stored files read; {self.orphans} named by no attachment: "
            f"{len(self.deleted)} deleted, {kept} kept as younger than the grace period."
        )


def attachments_sweep(
    *, now: datetime | None = None, grace: timedelta | None = None, dry_run: bool = False
) -> SweepReport:
    """Delete the stored files (photos, documents, thumbnails) that no attachment names and
    that were stored more than `grace` ago (AMENDS_ATTACHMENT_ORPHAN_GRACE_HOURS): a file is
    stored before its row is written, so a transaction rolled back after (a refused report, a
    failed request) leaves one behind. The grace period is what keeps a file whose row is still
    being written: no request takes a day. A file an attachment names is never touched, however
    old. Through the storage's API only (listdir, get_modified_time, delete): local disk or S3
    alike. `dry_run` deletes nothing and says what it would."""
    now = now or timezone.now()
    if grace is None:
        grace = timedelta(hours=settings.AMENDS_ATTACHMENT_ORPHAN_GRACE_HOURS)
    storage = attachment_storage()
    files = orphans = 0
    deleted: list[str] = []
    for batch in _batches(_stored_names(storage), SWEEP_BATCH):
        files += len(batch)
        named = Attachment.objects.filter(Q(file__in=batch) | Q(thumbnail__in=batch)).values_list("file", "thumbnail")
        kept = {name for pair in named for name in pair}
        for name in batch:
            if name in kept:
                continue
            orphans += 1
            # Asked only of orphans: on S3 each is a request of its own.
            if storage.get_modified_time(name) > now - grace:
                continue
            if not dry_run:
                storage.delete(name)
            deleted.append(name)
    return SweepReport(files=files, orphans=orphans, deleted=deleted)


def _stored_names(storage: Storage) -> Iterator[str]:
    # random_name's shape: one level of 256 folders, the files in them.
    folders, _ = storage.listdir("")
    for folder in sorted(name for name in folders if STORED_FOLDER.fullmatch(name)):
        for name in sorted(storage.listdir(folder)[1]):
            if STORED_NAME.fullmatch(f"{folder}/{name}"):
                yield f"{folder}/{name}"


def _batches(names: Iterator[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for name in names:
        batch.append(name)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
