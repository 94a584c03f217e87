"""Webhooks over real TLS: a loopback HTTPS receiver whose certificate a throwaway CA (trustme)
signed, under a name of its own. Delivered when that CA is trusted and the name matches; an
untrusted, mismatched or expired certificate is a failed try with the TLS error in the log, and
no request reaches the receiver."""

import ssl
from datetime import UTC, datetime, timedelta

import pytest
import trustme

from bench.webhook_receiver import Receiver
from tests.factories import CaseFactory
from tests.webhooks.conftest import CASE_KINDS, dispatch, note
from webhooks import addresses
from webhooks.models import Delivery
from webhooks.services import endpoint_create

NAME = "hooks.receiver.test"


@pytest.fixture
def ca():
    return trustme.CA()


@pytest.fixture
def trusted(ca, tmp_path, settings):
    """The throwaway CA trusted instead of the system's store, as AMENDS_WEBHOOKS_CA_BUNDLE does."""
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    settings.AMENDS_WEBHOOKS_CA_BUNDLE = str(bundle)
    return ca


@pytest.fixture(autouse=True)
def receiver_name(monkeypatch, local_network):
    """NAME resolves to loopback (a DNS record of the test's own); other names as usual."""
    resolve = addresses.resolve
    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["127.0.0.1"] if host == NAME else resolve(host, port))


def https_receiver(certificate: trustme.LeafCert) -> Receiver:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(context)
    return Receiver(tls=context, host=NAME).start()


@pytest.fixture
def deliver(owner, soho):
    """Register `receiver`, log a note on a Soho case, dispatch: (events delivered, the delivery)."""
    running = []

    def deliver(receiver: Receiver) -> tuple[int, Delivery]:
        running.append(receiver)
        made = endpoint_create(actor=owner, url=receiver.url, kinds=CASE_KINDS)
        receiver.secret = made.secret
        note(CaseFactory(location=soho), "Called the customer back")
        delivered = dispatch()
        return delivered, Delivery.objects.get(endpoint=made)

    yield deliver
    for receiver in running:
        receiver.stop()


def test_a_receiver_with_a_trusted_certificate_for_its_name_gets_the_event(trusted, deliver):
    receiver = https_receiver(trusted.issue_cert(NAME))
    assert receiver.url.startswith(f"https://{NAME}:")
    delivered, delivery = deliver(receiver)
    assert delivered == 1
    [got] = receiver.accepted
    assert got.verified and got.body["kind"] == "case.note_added"
    assert (delivery.state, delivery.last_status) == (Delivery.State.DELIVERED, 204)


def test_a_certificate_from_an_untrusted_ca_is_a_failed_try(ca, deliver, settings):
    settings.AMENDS_WEBHOOKS_CA_BUNDLE = ""  # the system's trust store, which knows no throwaway CA
    receiver = https_receiver(ca.issue_cert(NAME))
    delivered, delivery = deliver(receiver)
    assert delivered == 0
    assert receiver.received == []
    assert (delivery.state, delivery.attempts, delivery.last_status) == (Delivery.State.PENDING, 1, None)
    assert "certificate verify failed" in delivery.last_error


def test_a_certificate_for_another_name_is_a_failed_try(trusted, deliver):
    receiver = https_receiver(trusted.issue_cert("someone-else.test"))
    delivered, delivery = deliver(receiver)
    assert delivered == 0
    assert receiver.received == []
    assert delivery.state == Delivery.State.PENDING
    assert NAME in delivery.last_error and "someone-else.test" in delivery.last_error


def test_an_expired_certificate_is_a_failed_try(trusted, deliver):
    now = datetime.now(UTC)
    expired = trusted.issue_cert(NAME, not_before=now - timedelta(days=30), not_after=now - timedelta(days=1))
    delivered, delivery = deliver(https_receiver(expired))
    assert delivered == 0
    assert delivery.state == Delivery.State.PENDING
    assert "expired" in delivery.last_error
