"""The layers hold (issue 13): the import-linter contracts in pyproject.toml, checked here too, so
`pytest` alone fails on an import that runs back up the stack (`make test` also runs lint-imports)."""

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_are_kept(monkeypatch):
    monkeypatch.chdir(ROOT)  # the contracts, and the packages they name, are found from the project's root
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0, (
        "An import breaks the layers: see the report above."
    )
