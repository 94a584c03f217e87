"""gunicorn's settings for Amends' metrics: `gunicorn -c config/gunicorn.py config.wsgi`.

Every gunicorn worker is a process with its own Prometheus counts, and a scrape of /metrics
reaches one of them. So the workers keep their counts in files, in PROMETHEUS_MULTIPROC_DIR
(var/prometheus unless set), and /metrics adds up all the files (core/metrics.py). The variable is
set here, in the master, so every worker has it from its first import of prometheus_client; the
folder is emptied when gunicorn starts, or the last run's counts would come back. A worker that
exits leaves its files: its counts still belong in the totals (counters never go down), and the
metrics kept here are counters and histograms only, so nothing needs marking dead.
"""

import os
from pathlib import Path

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "var" / "prometheus"
PROMETHEUS_MULTIPROC_DIR = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(DEFAULT_DIR)))

wsgi_app = "config.wsgi:application"


def on_starting(server) -> None:
    PROMETHEUS_MULTIPROC_DIR.mkdir(parents=True, exist_ok=True)
    for stale in PROMETHEUS_MULTIPROC_DIR.glob("*.db"):
        stale.unlink()
