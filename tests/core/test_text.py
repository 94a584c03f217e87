import pytest
from django.template import Context, Template

from core.text import with_article


@pytest.mark.parametrize(
    ("noun", "said"),
    [("owner", "an owner"), ("manager", "a manager"), ("frontline", "a frontline"), ("Owner", "an Owner"), ("", "")],
)
def test_a_noun_gets_the_article_english_puts_before_it(noun, said):
    assert with_article(noun) == said


def test_templates_use_the_same_helper():
    rendered = Template("{% load amends %}Needs {{ role|lower|with_article }}.").render(Context({"role": "Owner"}))
    assert rendered == "Needs an owner."
