"""The words our Python shows people are translatable: no bare string where a person reads it.

Read from each module's syntax tree (no import): a flash message, a form's or model's label, help
text or verbose name, a validation error, an `ApplicationError`, a choice's label, an admin
display's description, when given as a plain string literal, is a string gettext never sees.
Wrap it in `gettext` / `gettext_lazy` (or `gettext_noop` where it is stored and translated when
shown). Tooling (bench), migrations and tests are not read. A module not yet swept is listed in
PENDING; the list only shrinks.
"""

import ast
import re

import pytest

from tests.project import APPS, ROOT

# The apps and the configuration; not the tooling (bench), which speaks to developers.
READ = [*(app for app in APPS if app != "bench"), "config"]
SHOWN_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label", "description"}
MESSAGE_LEVELS = {"debug", "info", "success", "warning", "error"}
RAISED_TO_PEOPLE = {"ValidationError", "ApplicationError"}
CHOICES = {"TextChoices", "IntegerChoices", "Choices"}
WORD = re.compile(r"[^\W\d_]{2,}")
PENDING: set[str] = set()


def _bare(node: ast.AST | None) -> bool:
    """A string literal (or f-string) with words in it, not wrapped in any call."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(WORD.search(node.value))
    return isinstance(node, ast.JoinedStr)


def untranslated_strings(source: str) -> list[str]:
    """Where a module hands a person a string gettext cannot see, as 'line: text'."""
    found: list[ast.AST] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            found.extend(keyword.value for keyword in node.keywords if keyword.arg in SHOWN_KEYWORDS)
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
            if owner == "messages" and name in MESSAGE_LEVELS and len(node.args) > 1:
                found.append(node.args[1])
            if name in RAISED_TO_PEOPLE and node.args:
                found.append(node.args[0])
        elif isinstance(node, ast.ClassDef):
            bases = {base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "") for base in node.bases}
            if bases & CHOICES:
                found.extend(
                    statement.value.elts[-1]
                    for statement in node.body
                    if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Tuple)
                )
            for statement in node.body:
                # Meta's labels = {...}, help_texts = {...}
                if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Dict):
                    targets = {getattr(target, "id", "") for target in statement.targets}
                    if targets & {"labels", "help_texts", "error_messages"}:
                        found.extend(statement.value.values)
    return [f"{node.lineno}: {ast.unparse(node)}" for node in found if _bare(node)]


def modules() -> list[str]:
    return sorted(
        str(path.relative_to(ROOT))
        for app in READ
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    )


@pytest.mark.parametrize("name", modules())
def test_every_string_a_module_shows_people_is_translatable(name):
    found = untranslated_strings((ROOT / name).read_text())
    if name in PENDING:
        assert found, f"{name} is swept: take it off PENDING"
    else:
        assert found == []


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ('messages.success(request, "Saved.")', ["1: 'Saved.'"]),
        ('messages.success(request, _("Saved."))', []),
        ('f = forms.CharField(label="Reference", help_text=_("Ours"))', ["1: 'Reference'"]),
        ('raise ApplicationError(f"No {x}")', ["1: f'No {x}'"]),
        ("raise ApplicationError(NOT_ALLOWED)", []),
        ('class S(models.TextChoices):\n    OPEN = "open", "Open"\n    SHUT = "shut", _("Shut")', ["2: 'Open'"]),
        ('class Meta:\n    labels = {"x": "Ex", "y": _("Why")}', ["2: 'Ex'"]),
        ('field = models.CharField(max_length=9, verbose_name="")', []),
    ],
)
def test_the_guard_finds_bare_strings_people_read(source, found):
    assert untranslated_strings(source) == found
