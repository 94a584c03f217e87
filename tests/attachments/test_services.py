"""Attaching files to a case: stored under a random name, once, on the timeline."""

import re

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from attachments.models import Attachment
from attachments.services import NOT_YOUR_CASE, TOO_MANY, attachment_add, attachments_add
from cases.models import Event
from core.exceptions import ApplicationError
from privacy.services import customer_anonymise
from tests.attachments.images import PDF, SCRIPT, image_bytes
from tests.conftest import signed_in
from tests.factories import CaseFactory

STAFF = Attachment.Source.STAFF


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def case(soho, frontline):
    return CaseFactory(location=soho, created_by=frontline)


def test_a_photo_is_stored_under_a_random_name_and_put_on_the_timeline(case, frontline):
    attachment, created = attachment_add(
        case=case, upload=upload("Alice's kitchen.jpg", image_bytes("JPEG", gps=True)), source=STAFF, actor=frontline
    )
    assert created
    assert re.fullmatch(r"[0-9a-f]{2}/[0-9a-f]{32}\.jpg", attachment.file.name)
    assert re.fullmatch(r"[0-9a-f]{2}/[0-9a-f]{32}\.jpg", attachment.thumbnail.name)
    assert "kitchen" not in attachment.file.name
    storage = storages["attachments"]
    assert storage.exists(attachment.file.name) and storage.exists(attachment.thumbnail.name)
    with storage.open(attachment.file.name) as stored:
        assert b"Alice Moreno" not in stored.read()  # the EXIF owner went with the rest
    assert (attachment.original_name, attachment.content_type, attachment.uploaded_by) == (
        "Alice_s kitchen.jpg",
        "image/jpeg",
        frontline,
    )
    event = Event.objects.get(case=case, kind=Event.Kind.ATTACHMENT_ADDED)
    assert event.actor == frontline
    assert event.payload["attachment_id"] == attachment.pk and event.payload["has_thumbnail"] is True
    assert event.note.startswith("Photo attached: Alice_s kitchen.jpg (")


def test_two_uploads_of_the_same_name_get_different_stored_names(case, frontline):
    first, _ = attachment_add(case=case, upload=upload("a.png", image_bytes("PNG")), source=STAFF, actor=frontline)
    second, _ = attachment_add(
        case=case, upload=upload("a.png", image_bytes("PNG", color=(0, 0, 255))), source=STAFF, actor=frontline
    )
    assert first.file.name != second.file.name


def test_the_same_file_twice_on_a_case_is_kept_once(case, frontline):
    data = image_bytes("PNG")
    first, created = attachment_add(case=case, upload=upload("a.png", data), source=STAFF, actor=frontline)
    again, created_again = attachment_add(case=case, upload=upload("b.png", data), source=STAFF, actor=frontline)
    assert created and not created_again and again == first
    assert Event.objects.filter(case=case, kind=Event.Kind.ATTACHMENT_ADDED).count() == 1


def test_a_pdf_is_kept_as_sent_without_a_thumbnail(case, frontline):
    attachment, _ = attachment_add(case=case, upload=upload("receipt.PDF", PDF), source=STAFF, actor=frontline)
    assert attachment.content_type == "application/pdf" and not attachment.thumbnail
    with storages["attachments"].open(attachment.file.name) as stored:
        assert stored.read() == PDF


def test_a_refused_file_names_itself_and_leaves_nothing(case, frontline):
    with pytest.raises(ApplicationError, match=r"^evil\.jpg was not attached: We take photos") as refused:
        attachment_add(case=case, upload=upload("evil.jpg", SCRIPT), source=STAFF, actor=frontline)
    assert refused.value.field == "upload"
    assert not Attachment.objects.exists()


def test_one_refused_file_of_several_attaches_none(case, frontline):
    uploads = [upload("a.png", image_bytes("PNG")), upload("b.jpg", SCRIPT)]
    with pytest.raises(ApplicationError, match="b.jpg"):
        attachments_add(case=case, uploads=uploads, source=STAFF, actor=frontline)
    assert not Attachment.objects.exists()


def test_several_files_at_once(case, frontline):
    uploads = [upload("a.png", image_bytes("PNG")), upload("r.pdf", PDF)]
    added = attachments_add(case=case, uploads=uploads, source=STAFF, actor=frontline)
    assert [a.original_name for a in added] == ["a.png", "r.pdf"]


def test_too_many_files_at_once_are_refused(case, frontline, settings):
    settings.AMENDS_ATTACHMENTS_PER_UPLOAD = 1
    uploads = [upload("a.png", image_bytes("PNG")), upload("r.pdf", PDF)]
    with pytest.raises(ApplicationError, match=TOO_MANY.format(maximum=1)):
        attachments_add(case=case, uploads=uploads, source=STAFF, actor=frontline)


def test_an_upload_over_the_size_setting_is_refused(case, frontline, settings):
    settings.AMENDS_ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(ApplicationError, match=r"too large: .* \(at most 1 KB\)"):
        attachment_add(
            case=case,
            upload=upload("big.png", image_bytes("PNG", size=(300, 300)) + b"\0" * 2000),
            source=STAFF,
            actor=frontline,
        )


def test_staff_cannot_attach_to_another_locations_case(camden, frontline):
    elsewhere = CaseFactory(location=camden)
    with pytest.raises(ApplicationError, match=str(NOT_YOUR_CASE)):
        attachment_add(case=elsewhere, upload=upload("a.png", image_bytes("PNG")), source=STAFF, actor=frontline)


def test_the_customers_own_photo_has_no_uploader_and_says_so(case):
    attachment, _ = attachment_add(
        case=case, upload=upload("photo.webp", image_bytes("WEBP")), source=Attachment.Source.CUSTOMER, actor=None
    )
    event = Event.objects.get(case=case, kind=Event.Kind.ATTACHMENT_ADDED)
    assert attachment.uploaded_by is None and event.actor is None
    assert event.note.startswith("Photo attached by the customer: photo.webp")


def test_a_customers_erasure_deletes_their_photos_and_files(case, frontline, owner, django_capture_on_commit_callbacks):
    attachment, _ = attachment_add(
        case=case, upload=upload("receipt.png", image_bytes("PNG")), source=STAFF, actor=frontline
    )
    names = [attachment.file.name, attachment.thumbnail.name]
    with django_capture_on_commit_callbacks(execute=True):
        customer_anonymise(customer=case.customer, actor=owner)
    assert not Attachment.objects.exists()
    assert not any(storages["attachments"].exists(name) for name in names)
    event = Event.objects.get(case=case, kind=Event.Kind.ATTACHMENT_ADDED)
    assert event.payload["has_thumbnail"] is False and event.payload["original_name"] != "receipt.png"
    assert "receipt" not in event.note
    page = signed_in(owner).get(case.get_absolute_url()).content.decode()
    assert attachment.get_thumbnail_url() not in page
