"""The IMAP route against a real server (Dovecot started for each test): a reply appended to the
mailbox appears on its case; reading again makes no second entry; a looping auto-reply makes none."""

import imaplib

import pytest
from django.core import mail as outbox
from django.core.management import CommandError, call_command

from cases.reply_tokens import reply_token
from inbox.imap import account_from_url, inbox_fetch_imap
from inbox.models import InboundMessage
from inbox.tasks import inbox_fetch_imap_task
from tests.inbox.mail import load

pytestmark = pytest.mark.django_db


def append(imap, *messages: bytes) -> None:
    client = imaplib.IMAP4(imap.host, imap.port)
    client.login(imap.user, imap.password)
    for raw in messages:
        client.append("INBOX", None, None, raw)
    client.logout()


def unseen(imap) -> int:
    client = imaplib.IMAP4(imap.host, imap.port)
    client.login(imap.user, imap.password)
    client.select("INBOX")
    _, found = client.uid("SEARCH", "UNSEEN")
    client.logout()
    return len(found[0].split())


def mark_all_unseen(imap) -> None:
    client = imaplib.IMAP4(imap.host, imap.port)
    client.login(imap.user, imap.password)
    client.select("INBOX")
    client.store("1:*", "-FLAGS", "(\\Seen)")
    client.logout()


def fetch(imap, settings, capsys, *args: str) -> str:
    settings.AMENDS_IMAP_URL = imap.url
    call_command("inbox_fetch_imap", *args)
    return capsys.readouterr().out


def test_a_reply_sent_to_the_mailbox_appears_on_its_case(dovecot, case, settings, capsys):
    append(dovecot, load("gmail_reply", TOKEN=reply_token(case.pk)))
    out = fetch(dovecot, settings, capsys)
    assert "1 message(s) read: 1 put on its case" in out
    entry = case.events.get(kind="customer.replied")
    assert entry.payload["text"].startswith("Thank you, the replacement arrived this morning")
    assert InboundMessage.objects.get().route == "imap"
    assert unseen(dovecot) == 0


def test_fault_duplicate_message_read_again_after_a_crash_makes_no_second_entry(dovecot, case, settings, capsys):
    append(dovecot, load("gmail_reply", TOKEN=reply_token(case.pk)))
    fetch(dovecot, settings, capsys)
    # As if the process died after committing and before marking the message seen: read again.
    mark_all_unseen(dovecot)
    fetch(dovecot, settings, capsys)
    fetch(dovecot, settings, capsys)
    assert case.events.filter(kind="customer.replied").count() == 1
    assert InboundMessage.objects.count() == 1


def test_fault_looping_auto_reply_from_the_mailbox_makes_no_entry_and_no_mail(dovecot, case, settings, capsys):
    looping = load("auto_reply", TOKEN=reply_token(case.pk))
    ours = b"From: Amends <amends@example.com>\r\nTo: amends@example.com\r\nMessage-ID: <own-1@amends>\r\n\r\nx\r\n"
    append(dovecot, looping, ours)
    before = case.events.count()
    out = fetch(dovecot, settings, capsys)
    assert "2 message(s) read" in out
    assert sorted(InboundMessage.objects.values_list("outcome", flat=True)) == ["auto_reply", "loop"]
    assert case.events.count() == before
    assert outbox.outbox == []


def test_a_batch_takes_at_most_its_size_and_the_rest_next_time(dovecot, soho, settings, capsys):
    soho.inbound_email = "soho-complaints@example.com"
    soho.save()
    messages = [
        f"From: p{n}@example.net\r\nTo: soho-complaints@example.com\r\nSubject: Problem {n}\r\n"
        f"Message-ID: <p{n}@example.net>\r\n\r\nCold food.\r\n".encode()
        for n in range(3)
    ]
    append(dovecot, *messages)
    assert "2 message(s) read: 2 opened a case" in fetch(dovecot, settings, capsys, "--batch", "2")
    assert unseen(dovecot) == 1
    assert "1 message(s) read" in fetch(dovecot, settings, capsys)
    assert InboundMessage.objects.count() == 3


def test_beats_task_reads_the_mailbox_when_configured(dovecot, case, settings):
    append(dovecot, load("outlook_reply", TOKEN=reply_token(case.pk)))
    settings.AMENDS_IMAP_URL = ""
    assert inbox_fetch_imap_task() == 0
    settings.AMENDS_IMAP_URL = dovecot.url
    assert inbox_fetch_imap_task() == 1
    assert case.events.filter(kind="customer.replied").count() == 1


def test_a_wrong_password_is_a_clear_command_error(dovecot, settings):
    settings.AMENDS_IMAP_URL = dovecot.url.replace(dovecot.password, "wrong")
    with pytest.raises(CommandError, match="refused"):
        call_command("inbox_fetch_imap")


def test_without_a_mailbox_configured_the_command_says_which_setting(settings):
    settings.AMENDS_IMAP_URL = ""
    with pytest.raises(CommandError, match="AMENDS_IMAP_URL"):
        call_command("inbox_fetch_imap")


def test_the_url_is_read_with_defaults_and_percent_encoding():
    account = account_from_url("imaps://me%40example.com:p%2Fss@mail.example.com/Support%20Mail")
    assert (account.host, account.port, account.ssl) == ("mail.example.com", 993, True)
    assert (account.user, account.password, account.mailbox) == ("me@example.com", "p/ss", "Support Mail")
    assert account_from_url("imap://u:p@localhost").port == 143


def test_inbox_fetch_imap_reports_what_became_of_each(dovecot, case, settings):
    append(dovecot, load("gmail_reply", TOKEN=reply_token(case.pk)), load("mailing_list"))
    report = inbox_fetch_imap(url=dovecot.url)
    assert report.read == 2 and report.outcomes == {"attached": 1, "auto_reply": 1}
