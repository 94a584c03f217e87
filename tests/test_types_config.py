"""The type checker's config keeps up with the code: every pure rule module is checked strictly,
and no module is excused from checking the arguments it passes."""

import tomllib
from pathlib import Path

from tests.test_pure_modules import PURE

CONFIG = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())["tool"]["mypy"]


def _modules_with(option: str) -> set[str]:
    found: set[str] = set()
    for override in CONFIG.get("overrides", []):
        if override.get(option):
            modules = override["module"]
            found.update([modules] if isinstance(modules, str) else modules)
    return found


def test_every_pure_rule_module_is_strict():
    strict = _modules_with("disallow_any_generics") & _modules_with("disallow_untyped_defs")
    assert sorted(set(PURE) - strict) == []


def test_services_and_selectors_must_be_fully_annotated():
    annotated = _modules_with("disallow_untyped_defs") & _modules_with("disallow_incomplete_defs")
    assert {"*.services", "*.services.*", "*.selectors"} <= annotated


def test_no_module_is_excused_from_argument_types():
    """Views once skipped arg-type because request.user could be anonymous; signed-in views
    now say their request is an AuthenticatedHttpRequest (tests/test_signed_in_views.py)."""
    excused = [o["module"] for o in CONFIG.get("overrides", []) if "arg-type" in o.get("disable_error_code", [])]
    assert excused == []
