"""The pure rules: where a webhook may go (SSRF refusals) and when a failed one is tried again."""

from datetime import UTC, datetime, timedelta

import pytest

from webhooks import addresses
from webhooks.retries import next_attempt, retry_delay


def fixed(*answers: str):
    return lambda host, port: list(answers)


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://172.16.0.1/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://[fe80::1]/hook",
        "https://0.0.0.0/hook",
        "https://224.0.0.1/hook",
        "https://100.64.0.1/hook",
        "https://[::ffff:10.0.0.1]/hook",
    ],
)
def test_private_loopback_link_local_multicast_and_reserved_addresses_are_refused(url):
    with pytest.raises(addresses.Refused) as refused:
        addresses.check(url, allow_private=False)
    assert refused.value.message == addresses.PRIVATE


def test_a_name_resolving_to_a_private_address_is_refused():
    with pytest.raises(addresses.Refused) as refused:
        addresses.check("https://hooks.example.com/x", allow_private=False, resolver=fixed("10.0.0.7"))
    assert refused.value.values == {"host": "hooks.example.com", "address": "10.0.0.7"}


def test_every_address_a_name_resolves_to_is_checked():
    with pytest.raises(addresses.Refused):
        addresses.check(
            "https://hooks.example.com/x", allow_private=False, resolver=fixed("93.184.216.34", "127.0.0.1")
        )


def test_a_public_https_address_passes_with_what_to_connect_to():
    target = addresses.check(
        "https://hooks.example.com:8443/in?x=1", allow_private=False, resolver=fixed("93.184.216.34")
    )
    assert target == addresses.Target("https", "hooks.example.com", 8443, "/in?x=1", ("93.184.216.34",))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.example.com/x", addresses.NOT_HTTPS),
        ("ftp://hooks.example.com/x", addresses.NOT_A_URL),
        ("https:///x", addresses.NOT_A_URL),
        ("https://user:pw@hooks.example.com/x", addresses.CREDENTIALS),
        ("https://hooks.example.com:99999/x", addresses.NOT_A_URL),
    ],
)
def test_what_is_not_a_public_https_url_is_refused(url, message):
    with pytest.raises(addresses.Refused) as refused:
        addresses.check(url, allow_private=False, resolver=fixed("93.184.216.34"))
    assert refused.value.message == message


def test_a_name_that_does_not_resolve_is_refused():
    with pytest.raises(addresses.Refused) as refused:
        addresses.check("https://nowhere.invalid/x", allow_private=False, resolver=fixed())
    assert refused.value.message == addresses.NO_ANSWER


def test_the_setting_allows_plain_http_and_loopback_for_a_local_receiver():
    target = addresses.check("http://127.0.0.1:8000/hook", allow_private=True)
    assert target.addresses == ("127.0.0.1",) and target.scheme == "http"


def test_the_wait_doubles_up_to_an_hour_with_jitter_between_half_and_all():
    assert retry_delay(1, random=lambda: 0.999999) <= timedelta(seconds=30)
    assert retry_delay(1, random=lambda: 0.0) == timedelta(seconds=15)
    assert retry_delay(3, random=lambda: 0.0) == timedelta(seconds=60)
    assert retry_delay(40, random=lambda: 0.0) == timedelta(seconds=1800)


def test_a_chain_gives_up_a_day_after_it_started_and_its_last_try_is_at_the_day():
    started = datetime(2026, 12, 1, tzinfo=UTC)
    day = timedelta(days=1)
    almost = started + day - timedelta(minutes=5)
    assert (
        next_attempt(attempts=20, now=almost, started=started, give_up_after=day, random=lambda: 0.5) == started + day
    )
    assert next_attempt(attempts=21, now=started + day, started=started, give_up_after=day, random=lambda: 0.5) is None
