import pytest

from accounts.roles import Role
from cases.models import Event
from core.exceptions import ApplicationError
from core.models import Notification
from portal.models import SatisfactionResponse
from portal.services import NO_LONGER_AVAILABLE, NOT_ASKED, satisfaction_record
from privacy.services import customer_anonymise
from tests.cases.test_concurrency import race
from tests.factories import SentCustomerMessageFactory, staff


@pytest.fixture
def asked(case):
    SentCustomerMessageFactory(case=case, purpose="satisfaction_check")
    return case


def answer(case, rating=4, will_return="yes", comment=""):
    return satisfaction_record(case=case, rating=rating, will_return=will_return, comment=comment)


def test_an_answer_is_refused_before_the_satisfaction_check_was_sent(case):
    SentCustomerMessageFactory(case=case, purpose="satisfaction_check", state="scheduled", sent_at=None)
    with pytest.raises(ApplicationError) as refused:
        answer(case)
    assert refused.value.message == NOT_ASKED
    assert not SatisfactionResponse.objects.exists()


def test_an_answer_is_recorded_with_its_timeline_entry(asked):
    response, created = answer(asked, rating=5, will_return="not_sure", comment="  Lovely call from the manager. ")
    assert created
    assert (response.rating, response.will_return, response.comment) == (5, "not_sure", "Lovely call from the manager.")
    event = asked.events.get(kind=Event.Kind.CUSTOMER_ANSWERED)
    assert "5 of 5" in event.note and "not sure" in event.note and "Lovely call from the manager." in event.note
    assert event.actor is None


def test_the_same_answer_twice_keeps_one_response(asked):
    first, created_first = answer(asked, rating=4)
    second, created_second = answer(asked, rating=1, comment="changed my mind")
    assert (created_first, created_second) == (True, False)
    assert second == first and second.rating == 4
    assert SatisfactionResponse.objects.count() == 1
    assert asked.events.filter(kind=Event.Kind.CUSTOMER_ANSWERED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_answers_at_once_keep_one_response(postgres, soho, frontline, customer):
    from tests.factories import CaseFactory

    case = CaseFactory(location=soho, created_by=frontline, customer=customer)
    SentCustomerMessageFactory(case=case, purpose="satisfaction_check")
    results, errors = race(lambda: answer(case, rating=2))
    assert errors == []
    assert sorted(created for _, created in results) == [False, True]
    assert len({response.pk for response, _ in results}) == 1
    assert SatisfactionResponse.objects.count() == 1
    # The loser told nobody twice.
    assert Notification.objects.filter(user=frontline).count() == 1


@pytest.mark.parametrize(
    ("rating", "will_return", "field"), [(0, "yes", "rating"), (6, "yes", "rating"), (3, "maybe", "will_return")]
)
def test_an_answer_out_of_range_is_refused(asked, rating, will_return, field):
    with pytest.raises(ApplicationError) as refused:
        answer(asked, rating=rating, will_return=will_return)
    assert refused.value.field == field
    assert not SatisfactionResponse.objects.exists()


def test_a_comment_over_a_thousand_characters_is_refused(asked):
    with pytest.raises(ApplicationError) as refused:
        answer(asked, comment="x" * 1001)
    assert refused.value.field == "comment"


@pytest.mark.parametrize("rating", [1, 2])
def test_a_low_rating_tells_the_assignee_and_the_managers(asked, soho, frontline, manager, rating):
    elsewhere = staff(Role.MANAGER, username="other-branch-manager")
    answer(asked, rating=rating, will_return="no")
    told = Notification.objects.filter(text__contains="still unhappy")
    assert set(told.values_list("user", flat=True)) == {frontline.pk, manager.pk}
    assert elsewhere.pk not in told.values_list("user", flat=True)
    assert told.first().url == asked.get_absolute_url()
    assert asked.reference in told.first().text


def test_the_assignee_who_is_also_a_manager_is_told_once(asked, manager):
    asked.assignee = manager
    asked.save(update_fields=["assignee"])
    answer(asked, rating=1)
    assert Notification.objects.filter(user=manager).count() == 1


@pytest.mark.parametrize("rating", [3, 4, 5])
def test_a_fair_or_good_rating_tells_nobody(asked, manager, rating):
    answer(asked, rating=rating)
    assert not Notification.objects.exists()


def test_an_anonymised_customer_cannot_answer(asked, owner):
    customer_anonymise(customer=asked.customer, actor=owner)
    asked.customer.refresh_from_db()
    with pytest.raises(ApplicationError) as refused:
        answer(asked)
    assert refused.value.message == NO_LONGER_AVAILABLE
