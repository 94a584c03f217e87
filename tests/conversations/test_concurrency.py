"""The same message submitted twice at the same moment is written, and sent, once (PostgreSQL,
real transactions: the second waits for the case's lock and finds the first's token)."""

import uuid

import pytest
from django.core import mail

from cases.models import Event
from conversations import services
from followups.models import FollowUp
from tests.cases.test_concurrency import race
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_same_message_submitted_twice_at_once_is_one_message(postgres, frontline, soho, customer):
    case = CaseFactory(location=soho, customer=customer, created_by=frontline)
    token = uuid.uuid4()

    def submit():
        return services.message_send(
            case=case, actor=frontline, channel="email", subject="Sorry", body="We are sorry.", submission_token=token
        ).pk

    results, errors = race(submit)
    assert errors == [] and len(results) == 2 and results[0] == results[1]
    assert FollowUp.objects.filter(case=case).count() == 1
    assert Event.objects.filter(case=case, kind=Event.Kind.MESSAGE_CREATED).count() == 1
    # The first rang the doorbell after its commit (the second found its token): one email.
    assert FollowUp.objects.get(case=case).state == "sent"
    assert len(mail.outbox) == 1
