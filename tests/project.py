"""The project's own code, as the tests that read source files see it: its root, and its apps
(every folder with an apps.py), so a new app is read by every such test without being listed."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = sorted(
    path.parent.name
    for path in ROOT.glob("*/apps.py")
    if path.parent.name not in {"tests", "node_modules", "static", "templates"}
)
