"""No 500 for anything a user can type, on any page (issue 11).

Every page comes from the URLconf, so a new page is covered as soon as it is routed (a test fails
until its path ids are filled in below). Signed in as each role, hypothesis sends each page the
GET parameters its view reads (the fields of its `query_form` or `filterset_class`, and a few that
every page might be sent) and posts every form the pages show, starting from what the page
filled in and changing a few fields to hostile text, huge and negative numbers, far dates, NUL,
non-ASCII digits, or leaving them out or sending them twice (each field of a form is first tried
once at the worst value for its kind, and each hidden field or choice once left out). No answer may be a 500 (the test
client raises the view's exception), and a POST that is not a success redirect changes no row.

Bounded and derandomized, so it runs the same way in CI in well under a minute, on SQLite and on
PostgreSQL (where a NUL that reaches the database fails).
"""

import os
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from api.services import personal_token_create
from attachments.models import Attachment
from attachments.services import attachment_add
from cases.links import case_token
from cases.services import case_report
from conversations.models import SavedReply
from customers.services import CustomerDetails
from followups.models import FollowUp
from followups.plans import Purpose
from portal.views import RECEIVED_SALT
from recovery import replays
from recovery import services as recovery
from recovery.policy import RemedyKind
from recovery.services import replays as replay_services
from tests.attachments.images import image_bytes
from tests.factories import CaseFactory, CorrectiveActionFactory, CustomerFactory, LocationFactory, staff
from webhooks.services import endpoint_create

# A few examples a page and a form keep CI under a minute; FUZZ_EXAMPLES=200 looks harder, locally.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
# A form is first swept at each field's worst value (below), so fewer random examples do.
FUZZ_FORM = settings(FUZZ, max_examples=max(1, EXAMPLES - 2))

HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x07\x1b[2J",
    "²",
    "٣",
    "１２",
    "0",
    "-1",
    "2147483648",
    "9" * 40,
    "-" + "9" * 30,
    "1e999",
    "NaN",
    "-Infinity",
    "0.000000001",
    "9999-12-31",
    "0001-01-01",
    "9999-12-31T23:59",
    "0001-01-01T00:00",
    "2026-02-30",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "\u202eevil",
    "😀",
    "x" * 5000,
    "\r\n",
    "SR-999999999999",
    "on",
    "approve",
]
hostile_text = st.sampled_from(HOSTILE) | st.text(max_size=12)
# What each kind of field is most likely to choke on, tried more often on fields of that kind.
TYPED = {
    "date": ["9999-12-31", "0001-01-01", "1999-12-31", "2100-01-01", "2026-02-30", "２０２６-01-01", "31/12/9999"],
    "datetime-local": ["9999-12-31T23:59", "0001-01-01T00:00", "9999-12-31 23:59:59", "2026-03-29T01:30"],
    "number": ["2147483647", "²", "2147483648", "-2147483649", "9" * 40, "-1", "٣", "1e999", "NaN", "0.001"],
    "hidden": ["²", "2147483648", "٣", "0", "-1", "9" * 40, "pony", "", "\x00"],
    "select": ["pony", "١", "²", "", "0", "-1", "9" * 40],
    "text": ["\x00", "²", "x" * 5000, "<script>", "\u202e"],
}

# Names any page might be sent, besides its own form's fields.
EVERY_PAGE = ["page", "export", "q", "next", "customer", "case", "from"]
# Pages left out: the admin (Django's own, walked by tests/accounts), the benchmark floor,
# the health checks (no input), and signing out (it would end the session mid-test).
SKIPPED = {"admin", "bare", "health", "health_ready", "health_live", "logout"}


@dataclass
class World:
    users: dict
    path_ids: dict = field(default_factory=dict)


@pytest.fixture
def world(db):
    soho, camden = LocationFactory(name="Soho", code="soho"), LocationFactory(name="Camden", code="camden")
    users = {
        Role.FRONTLINE: staff(Role.FRONTLINE, soho, username="fran"),
        Role.MANAGER: staff(Role.MANAGER, soho, username="maya"),
        Role.OWNER: staff(Role.OWNER, username="oliver"),
    }
    customer = CustomerFactory(home_location=soho, contact_consent=True, email="alice@example.com")
    case = CaseFactory(
        location=soho,
        customer=customer,
        created_by=users[Role.FRONTLINE],
        assignee=users[Role.FRONTLINE],
        order_value=Decimal("400"),
        lost="all",
    )
    CaseFactory(location=camden)  # another location's case, for the scoping paths
    lines = [recovery.LineInput(RemedyKind.PARTIAL_REFUND, Decimal("200"), "Half the bill back.")]
    proposal, _ = recovery.proposal_create(
        case=case,
        actor=users[Role.FRONTLINE],
        lines=lines,
        title="Refund",
        submission_token=uuid.uuid4(),
        below_floor_reason="fuzz",
    )
    action = CorrectiveActionFactory(location=soho, owner=users[Role.MANAGER])
    followup = FollowUp.objects.create(
        case=case, kind="staff_reminder", channel="in_app", subject="Ring back", due_at=case.created_at
    )
    reply = SavedReply.objects.create(title="Sorry", subject="Sorry, {{ first_name }}", body="We are sorry.")
    replay = replay_services.policy_replay_request(actor=users[Role.OWNER], values={}, catalogue={})
    replays.policy_replay_run(replay_id=replay.pk)
    photo = SimpleUploadedFile("photo.png", image_bytes("PNG"))
    attachment, _ = attachment_add(case=case, upload=photo, source=Attachment.Source.STAFF, actor=users[Role.FRONTLINE])
    reported, _ = case_report(
        location_id=soho.pk,
        category="other",
        description="Fuzz",
        customer=CustomerDetails(name="Rita Report", email="rita@example.com", contact_consent=True),
        submission_token=uuid.uuid4(),
    )
    ids = {
        "cases:detail": {"pk": case.pk},
        "cases:message": {"pk": case.pk},
        "conversations:reply_edit": {"pk": reply.pk},
        "customers:detail": {"pk": customer.pk},
        "customers:edit": {"pk": customer.pk},
        "customers:export": {"pk": customer.pk},
        # Erasing has its own customer: the others' forms keep one who may be written to.
        "customers:erase": {"pk": CustomerFactory(home_location=soho).pk},
        "corrective:detail": {"pk": action.pk},
        "corrective:edit": {"pk": action.pk},
        "corrective:link_case": {"pk": case.pk},
        "followups:case": {"pk": case.pk},
        "followups:message_edit": {"purpose": Purpose.SATISFACTION_CHECK.value},
        "portal:case": {"token": case_token(case.pk)},
        "recovery:proposal": {"pk": proposal.pk},
        "recovery:take": {"pk": case.pk},
        "recovery:propose": {"pk": case.pk},
        "recovery:deliver": {"pk": case.pk},
        "recovery:overcharge": {"pk": case.pk},
        "recovery:replay": {"pk": replay.pk},
        "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        "cases:attachment": {"pk": case.pk, "attachment_id": attachment.pk},
        "cases:attachment_thumbnail": {"pk": case.pk, "attachment_id": attachment.pk},
        "report:form": {"token": soho.report_token},
        "report:received": {"token": soho.report_token, "receipt": signing.dumps(reported.pk, salt=RECEIVED_SALT)},
        "locations:detail": {"pk": soho.pk},
        "locations:print": {"pk": soho.pk},
        "locations:report_link": {"pk": soho.pk},
        # The API answers a session with a 401 (it reads tokens only): tests/api fuzzes it with one.
        "api:customer": {"pk": customer.pk},
        "api:customer_export": {"pk": customer.pk},
        "api:customer_erase": {"pk": customer.pk},
        "api:case": {"pk": case.pk},
        "api:case_transition": {"pk": case.pk},
        "api:case_note": {"pk": case.pk},
        "api:case_assign": {"pk": case.pk},
        "api:case_suggestions": {"pk": case.pk},
        "api:case_proposals": {"pk": case.pk},
        "api:proposal": {"pk": proposal.pk},
        "api:proposal_decision": {"pk": proposal.pk},
        "api:remedy_delivery": {"pk": proposal.lines.first().pk},
        "api:case_followups": {"pk": case.pk},
        "api:followup_done": {"pk": followup.pk},
        "api:corrective_action": {"pk": action.pk},
        "api:corrective_action_link": {"pk": action.pk},
        "api:corrective_action_complete": {"pk": action.pk},
        "tokens:revoke": {"pk": personal_token_create(actor=users[Role.FRONTLINE], name="Fuzz").token.pk},
        # An address, not a name: registering resolves the host, and the fuzz runs offline.
        "webhooks:endpoint": {"pk": endpoint_create(actor=users[Role.OWNER], url="https://93.184.216.34/hook").pk},
    }
    return World(users=users, path_ids=ids)


def routes():
    """Every named page in the URLconf: (name, pattern, view class or function)."""
    found = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin" or pattern.app_name == "admin":
                    continue
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and pattern.name not in SKIPPED:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                view = getattr(pattern.callback, "view_class", pattern.callback)
                found.append((name, pattern, view))

    walk(get_resolver().url_patterns, None)
    return found


def url_of(world, name, pattern) -> str:
    if pattern.pattern.converters:
        return reverse(name, kwargs=world.path_ids[name])
    return reverse(name)


def query_names(view) -> dict[str, str]:
    """The GET parameters a view reads, and their kinds: its query form's or filter's fields, and the usual few."""
    names = dict.fromkeys(EVERY_PAGE, "text") | {"page": "number", "customer": "hidden", "case": "hidden"}
    if view is None:
        return names
    form = getattr(view, "query_form", None)
    filterset = getattr(view, "filterset_class", None)
    if form is not None:
        names |= {name: kind_of(type(field)) for name, field in form.base_fields.items()}
    if filterset is not None:
        names |= {name: kind_of(f.field_class) for name, f in filterset.base_filters.items()}
    return names


class Forms(HTMLParser):
    """The POST forms of a page, each as its action and the fields as the page filled them in."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": [], "kinds": {}}
            self.forms.append(self._form)
        if self._form is None or not attrs.get("name"):
            if tag == "option" and self._select is not None:
                self._option(attrs)
            return
        name = attrs["name"]
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            self._form["kinds"][name] = kind
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._form["fields"].append((name, attrs.get("value") or "on"))
                else:
                    self._form["fields"].append((name, None))  # known, not sent
            elif kind not in ("submit", "button", "image", "reset", "file"):
                self._form["fields"].append((name, attrs.get("value") or ""))
            elif attrs.get("value"):
                self._form["fields"].append((name, attrs["value"]))  # the button says which action
        elif tag == "select":
            self._form["kinds"][name] = "select"
            self._select = [name, None]
            self._form["fields"].append(self._select)
        elif tag == "textarea":
            self._textarea = [name, ""]
            self._form["fields"].append(self._textarea)

    def _option(self, attrs):
        if self._select[1] is None or "selected" in attrs:
            self._select[1] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def post_forms(world, pages) -> list[tuple[str, dict, dict, list[Role]]]:
    """Every POST form on every page, for the roles that see it: (action, fields, their kinds, roles)."""
    seen: dict[tuple, tuple[str, dict, list]] = {}
    for role, user in world.users.items():
        client = signed_in_client(user)
        for url in pages:
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            parser = Forms()
            parser.feed(response.content.decode())
            for form in parser.forms:
                action = urlsplit(form["action"]).path or url
                fields = {}
                for name, value in form["fields"]:
                    fields.setdefault(name, []).append(value)
                fields.pop("csrfmiddlewaretoken", None)
                if not fields or urlsplit(action).path == reverse("logout"):
                    continue
                key = (action, tuple(sorted(fields)), tuple(v for v in fields.get("action", [])))
                roles = seen.setdefault(key, (action, fields, form["kinds"], []))[3]
                if role not in roles:
                    roles.append(role)
    return list(seen.values())


def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def row_counts() -> tuple[int, ...]:
    """How many rows each of our tables holds, in one query."""
    from django.db import connection

    ours = ["accounts", "customers", "cases", "recovery", "followups", "corrective", "portal", "core", "api"]
    tables = [
        m._meta.db_table for label in ours for m in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables))
        return tuple(cursor.fetchone())


def assert_no_500(response, what):
    assert response.status_code < 500, f"{what} answered {response.status_code}"


def changes(names: list[str], kinds: dict[str, str]):
    """Changes to a form or a query: fields set to something hostile, left out, or sent twice."""

    def one(name):
        kind = kinds.get(name)
        typed = st.sampled_from(HOSTILE if kind == "text" else TYPED.get(kind, HOSTILE))
        value = typed | typed | typed | hostile_text  # mostly what this kind of field chokes on
        return st.tuples(st.tuples(st.sampled_from(["set", "set", "drop", "twice"]), value, value), st.just(name))

    return st.lists(st.sampled_from(names).flatmap(one), min_size=1, max_size=3)


def kind_of(field_class) -> str:
    from django import forms

    for base, kind in (
        (forms.DateTimeField, "datetime-local"),
        (forms.DateField, "date"),
        (forms.IntegerField, "number"),
        (forms.DecimalField, "number"),
        (forms.ChoiceField, "select"),
        (forms.ModelChoiceField, "select"),
    ):
        if issubclass(field_class, base):
            return kind
    return "text"


def changed(base: dict, names: list[str], changes) -> dict:
    data = {name: [v for v in values if v is not None] for name, values in base.items()}
    for (how, value, other), name in changes:
        if how == "set":
            data[name] = [value]
        elif how == "drop":
            data.pop(name, None)
        else:
            data[name] = [value, other]
    return {name: values for name, values in data.items() if values}


def test_every_page_with_ids_in_its_path_has_them_filled_in(world):
    missing = [name for name, pattern, _ in routes() if pattern.pattern.converters and name not in world.path_ids]
    assert missing == [], "give these pages real ids in tests/test_fuzz.py world(): " + ", ".join(missing)


def test_no_get_parameter_makes_a_500(world):
    clients = {role: signed_in_client(user) for role, user in world.users.items()}
    clients[None] = Client()

    def probe_page(url, names):
        @FUZZ
        @given(role=st.sampled_from(list(clients)), picks=changes(list(names), names))
        def probe(role, picks):
            query = changed({}, names, picks)
            assert_no_500(clients[role].get(url, query), f"GET {url} {query!r} as {role}")

        probe()

    for name, pattern, view in routes():
        url, names = url_of(world, name, pattern), query_names(view)
        # First the sure thing: each parameter the view reads at its two worst values, the usual few at one.
        usual = query_names(None)
        for param, kind in names.items():
            for value in TYPED[kind][: 1 if param in usual else 2]:
                assert_no_500(clients[Role.OWNER].get(url, {param: value}), f"GET {url}?{param}={value!r}")
        probe_page(url, names)


def test_no_form_field_makes_a_500_or_saves_half(world):
    forms = post_forms(world, [url_of(world, name, pattern) for name, pattern, _ in routes()])
    assert len(forms) >= 20, "the pages' forms were not found"
    clients = {role: signed_in_client(user) for role, user in world.users.items()}

    def check(action, post, role):
        before = row_counts()
        response = clients[role].post(action, post)
        assert_no_500(response, f"POST {action} {post!r} as {role}")
        # A success redirects, or (the token pages, which show a new token once, on the answer
        # itself) is a 201 Created, or is a download (a customer's export, on the audit trail).
        download = response.get("Content-Disposition", "").startswith("attachment")
        if response.status_code not in (201, 302, 303) and not download:
            assert row_counts() == before, f"POST {action} {post!r} as {role}: {response.status_code}, half saved"

    def probe_form(action, fields, kinds, roles):
        names = [name for name in fields if name != "action"] or list(fields)
        # First the sure thing: each typed field at its worst value once, and each hidden or chosen one left out.
        for name in names:
            kind = kinds.get(name)
            if kind in TYPED:
                check(action, changed(fields, names, [(("set", TYPED[kind][0], ""), name)]), roles[-1])
            if kind in ("hidden", "select"):
                check(action, changed(fields, names, [(("drop", "", ""), name)]), roles[-1])

        @FUZZ_FORM
        @given(role=st.sampled_from(roles), picks=changes(names, kinds))
        def probe(role, picks):
            check(action, changed(fields, names, picks), role)

        probe()

    for action, fields, kinds, roles in forms:
        probe_form(action, fields, kinds, roles)
