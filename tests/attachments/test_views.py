"""A case's files are served only to someone who may see the case, as the type they were kept as."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from attachments.models import Attachment
from attachments.services import attachment_add
from tests.attachments.images import PDF, SCRIPT, image_bytes
from tests.conftest import signed_in
from tests.factories import CaseFactory, staff


@pytest.fixture
def case(soho, frontline):
    return CaseFactory(location=soho, created_by=frontline)


@pytest.fixture
def photo(case, frontline):
    upload = SimpleUploadedFile("ceiling.jpg", image_bytes("JPEG"))
    return attachment_add(case=case, upload=upload, source=Attachment.Source.STAFF, actor=frontline)[0]


@pytest.fixture
def pdf(case, frontline):
    upload = SimpleUploadedFile("receipt.pdf", PDF)
    return attachment_add(case=case, upload=upload, source=Attachment.Source.STAFF, actor=frontline)[0]


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_staff_of_the_location_get_the_photo_inline_with_its_type(photo, frontline):
    response = signed_in(frontline).get(photo.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"  # nothing in it may run
    assert response["Content-Disposition"].startswith("inline")
    assert "private" in response["Cache-Control"]
    assert body(response)[:3] == b"\xff\xd8\xff"


def test_a_pdf_is_downloaded_never_shown_inline(pdf, frontline):
    response = signed_in(frontline).get(pdf.get_absolute_url())
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="receipt.pdf"'
    assert body(response) == PDF


def test_the_thumbnail_is_a_jpeg(photo, manager):
    response = signed_in(manager).get(photo.get_thumbnail_url())
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_a_pdf_has_no_thumbnail(pdf, frontline):
    assert signed_in(frontline).get(pdf.get_thumbnail_url()).status_code == 404


@pytest.mark.parametrize("url", ["get_absolute_url", "get_thumbnail_url"])
def test_staff_elsewhere_get_a_404(photo, camden, url):
    elsewhere = staff(Role.MANAGER, camden, username="camden_manager")
    assert signed_in(elsewhere).get(getattr(photo, url)()).status_code == 404


def test_the_file_of_another_case_is_a_404_even_at_the_same_location(photo, soho, frontline):
    other = CaseFactory(location=soho)
    url = reverse("cases:attachment", kwargs={"pk": other.pk, "attachment_id": photo.pk})
    assert signed_in(frontline).get(url).status_code == 404


def test_an_owner_sees_every_locations_files(photo, owner):
    assert signed_in(owner).get(photo.get_absolute_url()).status_code == 200


def test_someone_signed_out_is_sent_to_sign_in(client, photo):
    response = client.get(photo.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_staff_attach_several_files_on_the_case_page(case, frontline):
    files = [SimpleUploadedFile("a.png", image_bytes("PNG")), SimpleUploadedFile("b.pdf", PDF)]
    client = signed_in(frontline)
    response = client.post(case.get_absolute_url(), {"action": "attach", "upload": files})
    assert response.status_code == 302
    assert sorted(case.attachments.values_list("original_name", flat=True)) == ["a.png", "b.pdf"]
    page = client.get(case.get_absolute_url()).content.decode()
    thumbnail = case.attachments.get(original_name="a.png").get_thumbnail_url()
    assert page.count(f'src="{thumbnail}"') == 2  # in the files list and on the timeline's entry
    assert "2 files attached." in page


def test_a_refused_file_shows_its_reason_on_the_case_page(case, frontline):
    response = signed_in(frontline).post(
        case.get_absolute_url(), {"action": "attach", "upload": [SimpleUploadedFile("notes.jpg", SCRIPT)]}
    )
    assert response.status_code == 400
    assert "notes.jpg was not attached: We take photos" in response.content.decode()
    assert not case.attachments.exists()


def test_attaching_nothing_says_so(case, frontline):
    response = signed_in(frontline).post(case.get_absolute_url(), {"action": "attach"})
    assert response.status_code == 400 and "Choose a file to attach." in response.content.decode()


def test_no_url_but_the_case_pages_serves_a_stored_file(photo, owner):
    # The storage has no public URL: the stored name under / or /media/ is nobody's page.
    client = signed_in(owner)
    for prefix in ("/", "/media/", "/static/"):
        assert client.get(prefix + photo.file.name).status_code == 404
