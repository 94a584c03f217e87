"""The layers hold (issue 13): the import-linter contracts in pyproject.toml, checked here too, so
`pytest` alone fails on an import that runs back up the stack (`make test` also runs lint-imports)."""

import ast
from pathlib import Path

from importlinter.cli import lint_imports

from tests.project import APPS, ROOT


def test_the_import_contracts_are_kept(monkeypatch):
    monkeypatch.chdir(ROOT)  # the contracts, and the packages they name, are found from the project's root
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0, (
        "An import breaks the layers: see the report above."
    )


def _imports_inside_functions(path: Path, root: Path = ROOT) -> list[str]:
    """Each `import` inside a function body, as 'path:line'. An app's apps.py is the one place
    allowed: Django loads it before any model exists, so what it needs of its app (signal handlers
    in `ready()`, models in a post_migrate handler) can only be imported when it runs."""
    if path.name == "apps.py":
        return []
    tree = ast.parse(path.read_text(), str(path))
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import | ast.ImportFrom):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_no_import_hides_inside_a_function():
    """No function-level imports to hide a cycle (issue 13): every import is at the top of its
    module, where the import graph (and import-linter) sees it."""
    assert len(APPS) >= 10, APPS
    hidden = [
        where
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        for where in _imports_inside_functions(path)
    ]
    assert hidden == [], "Imports inside functions (move them to the top of the module):\n" + "\n".join(hidden)


def test_the_import_finder_sees_a_hidden_import(tmp_path):
    (tmp_path / "apps.py").write_text("class Config:\n    def ready(self):\n        from . import signals\n")
    (tmp_path / "sample.py").write_text("import os\n\n\ndef send():\n    from .tasks import run\n\n    return run\n")
    assert _imports_inside_functions(tmp_path / "apps.py", tmp_path) == []
    assert _imports_inside_functions(tmp_path / "sample.py", tmp_path) == ["sample.py:5"]
