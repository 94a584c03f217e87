"""The daily digest (once a person a day) and the wording of messages (placeholders, HTML)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django.utils.html import urlize
from hypothesis import given
from hypothesis import strategies as st

from core.services import notify
from followups import messages, services
from followups.digest import followup_digest_send
from followups.models import DigestLog
from tests.factories import CaseFactory

LONDON = ZoneInfo("Europe/London")
MORNING = datetime(2026, 11, 24, 7, 5, tzinfo=LONDON)


def test_placeholders_are_filled_and_unknown_ones_named():
    wording = messages.Wording("Hello {{first_name}}", "Dear {{ first_name }}, see {{ link }}.")
    composed = messages.compose(wording, {"first_name": "Alice", "link": "https://x.example/c/abc/"})
    assert composed.subject == "Hello Alice"
    assert composed.text == "Dear Alice, see https://x.example/c/abc/.\n"
    assert '<a href="https://x.example/c/abc/"' in composed.html
    with pytest.raises(ValueError, match=r"Unknown placeholder \{\{ name \}\}"):
        messages.check_placeholders("Dear {{ name }}")


def test_what_staff_wrote_cannot_inject_html_into_the_email():
    composed = messages.compose(
        messages.DEFAULTS[messages.Purpose.CORRECTIVE_MESSAGE], {"details": "<script>x</script>"}
    )
    assert "<script>" not in composed.html and "&lt;script&gt;" in composed.html
    assert "<script>x</script>" in composed.text  # plain text is plain


def test_a_template_is_only_placeholders_never_code():
    # Django template syntax in an owner's text is left as it is, not run.
    composed = messages.compose(messages.Wording("s", "{% load static %}{{ first_name.upper }}"), {"first_name": "a"})
    assert composed.text == "{% load static %}{{ first_name.upper }}\n"
    with pytest.raises(ValueError, match="first_name.upper"):
        messages.check_placeholders("{{ first_name.upper }}")


# Text made of the pieces urlize reacts to (schemes, www., @, the domains it links bare,
# punctuation, entities, angle brackets, quotes) and plain words, over several lines.
_PIECES = st.sampled_from(
    ["http://", "https://", "HTTP://", "www.", "WWW.", "@", ".com", ".ORG", ".net", ".uk", "example", "a.b", "x@y.z",
     ".", ",", ":", ";", "(", ")", "[", "]", "<", ">", "&amp;", "&", '"', "'", " ", "\n", "\r\n", "\t", "é", "42", "/"]
)  # fmt: skip


@given(st.lists(_PIECES | st.text(max_size=6), max_size=40).map("".join))
def test_linking_line_by_line_is_exactly_urlize(text):
    assert messages.linked_and_escaped(text) == urlize(text, autoescape=True)


@pytest.fixture
def reminder(soho, frontline):
    case = CaseFactory(location=soho, created_by=frontline)
    with time_machine.travel(MORNING - timedelta(hours=12), tick=False):
        return services.followup_schedule(
            case=case,
            kind="staff_reminder",
            channel="in_app",
            subject="Post the handwritten card",
            due_at=MORNING + timedelta(hours=3),
            recipient=frontline,
        )


def test_the_digest_lists_my_day_once(reminder, frontline):
    notify(user=frontline, text="SR-000001: your proposal was approved", url="/")
    with time_machine.travel(MORNING, tick=False):
        notify(user=frontline, text="SR-000001: your proposal was approved", url="/")
        assert followup_digest_send(user_id=frontline.pk) is True
        assert followup_digest_send(user_id=frontline.pk) is False
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [frontline.email]
    assert "Post the handwritten card" in sent.body and reminder.case.reference in sent.body
    assert "your proposal was approved" in sent.body
    assert DigestLog.objects.get().day == MORNING.date()


def test_no_digest_before_the_hour_and_none_when_there_is_nothing_to_say(frontline):
    with time_machine.travel(MORNING - timedelta(hours=2), tick=False):
        assert followup_digest_send(user_id=frontline.pk) is False
        assert not DigestLog.objects.exists()
    with time_machine.travel(MORNING, tick=False):
        assert followup_digest_send(user_id=frontline.pk) is False
    assert mail.outbox == [] and DigestLog.objects.count() == 1


def test_a_failed_digest_is_tried_again_at_the_next_run(reminder, frontline, monkeypatch):
    def refuse(message):
        raise OSError("connection refused")

    monkeypatch.setattr("followups.digest.send_email", refuse)
    with time_machine.travel(MORNING, tick=False), pytest.raises(OSError):
        followup_digest_send(user_id=frontline.pk)
    assert not DigestLog.objects.exists()
    monkeypatch.undo()
    with time_machine.travel(MORNING + timedelta(hours=1), tick=False):
        assert followup_digest_send(user_id=frontline.pk) is True


def test_the_digest_task_reaches_every_member_of_staff(reminder, frontline, manager):
    from followups.tasks import followups_digest_task

    with time_machine.travel(MORNING, tick=False):
        assert followups_digest_task() == 2
    assert [m.to for m in mail.outbox] == [[frontline.email]]  # the manager had nothing today


def test_the_digest_hour_is_the_local_hour(frontline, reminder, settings):
    settings.AMENDS_DIGEST_HOUR = 8
    assert timezone.get_current_timezone_name() == "Europe/London"
    with time_machine.travel(datetime(2026, 11, 24, 7, 59, tzinfo=LONDON), tick=False):
        assert followup_digest_send(user_id=frontline.pk) is False
    with time_machine.travel(datetime(2026, 11, 24, 8, 0, tzinfo=LONDON), tick=False):
        assert followup_digest_send(user_id=frontline.pk) is True
