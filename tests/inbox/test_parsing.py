"""The parser and the quote trimmer over a small corpus of realistic mail: no database."""

import pytest

from inbox.parsing import MailKind, html_to_text, parse
from inbox.quotes import trim
from tests.inbox.mail import load

OWN = frozenset({"amends@example.com"})
DOMAINS = frozenset({"replies.example.com"})


def read(name: str, **values: str):
    return parse(load(name, **values), own_addresses=OWN, own_domains=DOMAINS)


@pytest.mark.parametrize(
    ("name", "new", "gone"),
    [
        ("gmail_reply", "Could you also send the receipt?\n\nAlice", "We are sorry about the kettle"),
        ("outlook_reply", "I'd still like a call from the manager.\n\nBob Smith\nContoso", "Dear Bob, we are sorry."),
        ("apple_mail_reply", "Merci beaucoup, c'est réglé pour moi.\n\nChloé", "nous sommes désolés"),
        ("latin1", "Danke, die Gutschrift ist angekommen. Schönen Gruß.", "Sehr geehrter"),
        ("spanish_reply", "Gracias, todo bien ahora.", "Estimada Lucia"),
    ],
)
def test_replies_keep_what_is_new_and_set_the_quoted_history_apart(name, new, gone):
    mail = read(name)
    assert mail.kind is MailKind.PERSON
    assert mail.trimmed.text.endswith(new)
    assert gone not in mail.trimmed.text
    assert gone in mail.trimmed.rest


def test_the_spanish_signature_is_set_apart_with_the_quote():
    assert read("spanish_reply").trimmed.rest.startswith("--\nLucia Gomez")


def test_headers_are_read_into_plain_values():
    mail = read("gmail_reply", TOKEN="1.abcdefghijklmnopqrst")
    assert mail.message_id == "<CAF3xQ1gmail-0001@mail.gmail.com>"
    assert (mail.from_address, mail.from_name) == ("alice@example.com", "Alice Moreno")
    assert mail.recipients == ("reply+1.abcdefghijklmnopqrst@replies.example.com",)
    assert mail.references == ("<case-1.abcdefghijklmnopqrst@amends>", "<followup-1@amends>")
    assert mail.in_reply_to == "<followup-1@amends>"
    assert mail.subject == "Re: About your visit to Soho"
    assert mail.date is not None and mail.date.isoformat() == "2026-12-01T10:15:00+00:00"


def test_an_address_in_capitals_is_read_in_lower_case():
    assert read("outlook_reply").from_address == "bob@contoso.example"


def test_a_non_utf8_charset_is_decoded_in_headers_and_body():
    mail = read("latin1")
    assert mail.from_name == "Jürgen Müller"
    assert mail.subject == "Re: Ihre Beschwerde über das Essen"
    assert "Schönen Gruß" in mail.text


def test_html_only_mail_becomes_text_without_its_script_or_style():
    mail = read("html_only")
    assert mail.trimmed.text == "My order arrived cold for the second time.\n\nPlease call me on 020 7946 0000."
    assert "alert" not in mail.text and "color" not in mail.text
    assert mail.trimmed.rest == "> Your order is on its way."


def test_html_to_text_runs_nothing_and_unescapes_entities():
    assert (
        html_to_text("<p>Fish &amp; chips</p><script>document.write('x')</script><p>Cold</p>") == "Fish & chips\n\nCold"
    )


def test_attachments_are_kept_with_name_type_and_bytes():
    (attachment,) = read("with_attachment").attachments
    assert (attachment.name, attachment.content_type) == ("receipt.png", "image/png")
    assert attachment.data.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("name", "kind", "why"),
    [
        ("auto_reply", MailKind.AUTO_REPLY, "Auto-Submitted: auto-replied"),
        ("mailing_list", MailKind.AUTO_REPLY, "Precedence: list"),
        ("bounce", MailKind.BOUNCE, "a delivery status report"),
    ],
)
def test_machines_mail_is_recognised(name, kind, why):
    mail = read(name)
    assert (mail.kind, mail.why) == (kind, why)


def test_a_bounce_names_the_message_that_failed_and_why():
    mail = read("bounce", FOLLOWUP="42")
    assert mail.bounced_message_ids == ("<followup-42@amends>",)
    assert "User unknown" in mail.bounce_reason
    assert mail.attachments == ()


def _headers(extra: str, sender: str = "someone@example.net") -> bytes:
    return (
        f"From: {sender}\r\nTo: soho@example.com\r\nSubject: Hi\r\nMessage-ID: <x@example.net>\r\n{extra}\r\nHello\r\n"
    ).encode()


@pytest.mark.parametrize(
    ("extra", "kind"),
    [
        ("Auto-Submitted: no\r\n", MailKind.PERSON),
        ("Auto-Submitted: auto-generated\r\n", MailKind.AUTO_REPLY),
        ("X-Autorespond: yes\r\n", MailKind.AUTO_REPLY),
        ("Precedence: bulk\r\n", MailKind.AUTO_REPLY),
        ("Precedence: junk\r\n", MailKind.AUTO_REPLY),
        ("List-Unsubscribe: <mailto:u@example.net>\r\n", MailKind.AUTO_REPLY),
        ("X-Loop: amends@example.com\r\n", MailKind.LOOP),
        ("X-Loop: someone.else@example.org\r\n", MailKind.PERSON),
        ("Return-Path: <>\r\n", MailKind.BOUNCE),
    ],
)
def test_each_header_that_marks_a_machines_mail(extra, kind):
    assert parse(_headers(extra), own_addresses=OWN, own_domains=DOMAINS).kind is kind


@pytest.mark.parametrize(
    "sender", ["amends@example.com", "reply+1.abc@replies.example.com", "MAILER-DAEMON@mx.example"]
)
def test_mail_from_our_own_addresses_or_a_mailer_daemon_is_never_a_persons(sender):
    assert parse(_headers("", sender=sender), own_addresses=OWN, own_domains=DOMAINS).kind is not MailKind.PERSON


def test_a_message_without_message_id_gets_one_from_its_content():
    raw = b"From: a@example.net\r\nSubject: x\r\n\r\nbody\r\n"
    first, second = parse(raw), parse(raw)
    assert first.message_id == second.message_id and first.message_id.startswith("<sha256-")
    assert parse(raw + b"more").message_id != first.message_id


@pytest.mark.parametrize("raw", [b"", b"\x00\xff\xfe garbage", b"From: \r\nTo: <<<@@@>>>\r\nDate: not a date\r\n\r\n"])
def test_garbage_is_read_without_raising(raw):
    mail = parse(raw)
    assert mail.from_address == "" and mail.date is None


def test_a_message_that_is_only_a_quote_is_kept_whole():
    assert trim("> only quoted\n> text").text == "> only quoted\n> text"


def test_a_gt_line_followed_by_new_text_is_not_cut():
    trimmed = trim("I said:\n> the soup was cold\nand it still is.")
    assert trimmed.text == "I said:\n> the soup was cold\nand it still is." and trimmed.rest == ""


def test_outlook_original_message_marker_starts_the_rest():
    trimmed = trim("Fine by me.\n\n-----Original Message-----\nFrom: Soho\nSent: today\n\nOld text")
    assert trimmed.text == "Fine by me." and trimmed.rest.startswith("-----Original Message-----")
