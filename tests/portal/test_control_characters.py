"""Free text customers and staff type is refused with a message when it holds control characters."""

import pytest

from core.forms import CONTROL_CHARACTERS
from followups.forms import CallbackMadeForm, FollowUpAddForm
from portal.forms import SatisfactionForm


@pytest.mark.parametrize("text", ["\x00", "ok\x07bell", "esc\x1b[31m"])
def test_a_satisfaction_comment_with_control_characters_is_refused(text):
    form = SatisfactionForm({"rating": "4", "will_return": "yes", "comment": text})
    assert not form.is_valid()
    assert form.errors["comment"] == [CONTROL_CHARACTERS]


def test_a_satisfaction_comment_keeps_line_breaks_and_tabs():
    form = SatisfactionForm({"rating": "4", "will_return": "yes", "comment": "Thanks.\n\tSee you"})
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("form_class", [CallbackMadeForm, FollowUpAddForm])
def test_follow_up_notes_with_control_characters_are_refused(form_class):
    form = form_class({"note": "called\x00", "body": "called\x00", "subject": "x\x01"})
    assert not form.is_valid()
    assert str(CONTROL_CHARACTERS) in sum(form.errors.values(), [])
