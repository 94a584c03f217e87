"""Cursor paging: every row once, in a total order, however many are inserted meanwhile."""

from datetime import timedelta

from django.utils import timezone

from api.pagination import after_q, ordering_of
from cases.models import Case
from tests.api.conftest import as_user
from tests.factories import CaseFactory


def pages(api, url, **query):
    """Every page's ids, following the `next` links."""
    seen, response = [], api.get(url, query).json()
    while True:
        seen.append([row["id"] for row in response["results"]])
        if response["next"] is None:
            return seen
        response = api.get(response["next"]).json()


def test_every_row_once_in_order(frontline, soho):
    now = timezone.now()
    # Ties on created_at: the id decides.
    cases = [CaseFactory(location=soho, created_at=now - timedelta(minutes=i // 3)) for i in range(10)]
    seen = pages(as_user(frontline), "/api/v1/cases/", page_size=3)
    flat = [pk for page in seen for pk in page]
    expected = sorted(cases, key=lambda c: (c.created_at, c.pk), reverse=True)
    assert flat == [c.pk for c in expected]
    assert [len(page) for page in seen] == [3, 3, 3, 1]


def test_rows_inserted_meanwhile_shift_nothing(frontline, soho):
    now = timezone.now()
    old = [CaseFactory(location=soho, created_at=now - timedelta(hours=i + 1)) for i in range(6)]
    api = as_user(frontline)
    first = api.get("/api/v1/cases/", {"page_size": 2}).json()
    CaseFactory.create_batch(3, location=soho, created_at=now)  # newer: before the cursor
    rest = pages(api, first["next"])
    flat = [row["id"] for row in first["results"]] + [pk for page in rest for pk in page]
    assert flat == [c.pk for c in old]


def test_every_sort_pages_through_everything(frontline, soho):
    CaseFactory.create_batch(7, location=soho)
    api = as_user(frontline)
    for sort in ("newest", "oldest", "due"):
        flat = [pk for page in pages(api, "/api/v1/cases/", sort=sort, page_size=2) for pk in page]
        assert sorted(flat) == sorted(Case.objects.values_list("pk", flat=True)), sort
        assert len(flat) == len(set(flat))


def test_the_order_always_ends_with_the_id():
    assert ordering_of(Case.objects.order_by("-created_at")) == ["-created_at", "-id"]
    assert ordering_of(Case.objects.order_by("sla_due_at", "id")) == ["sla_due_at", "id"]
    assert ordering_of(Case.objects.order_by("-pk")) == ["-id"]


def test_after_is_the_lexicographic_comparison(db, soho):
    now = timezone.now()
    a = CaseFactory(location=soho, created_at=now)
    b = CaseFactory(location=soho, created_at=now)
    c = CaseFactory(location=soho, created_at=now - timedelta(seconds=1))
    after_b = Case.objects.filter(after_q(["-created_at", "-id"], [now, b.pk]))
    assert set(after_b) == {a, c}
