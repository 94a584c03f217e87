"""gunicorn's settings for Amends: `gunicorn -c config/gunicorn.py config.wsgi` (the Procfile's
web process and `make serve`). Every value comes from the environment, with defaults for a
small machine; docs/deploy.md says how to size them.

https://docs.gunicorn.org/en/stable/settings.html
"""

import multiprocessing
import os
from pathlib import Path

import environ

# The same .env as the settings read (config/settings.py), read before gunicorn starts its
# processes; what the environment already says wins.
environ.Env.read_env(Path(__file__).resolve().parent.parent / ".env", overwrite=False)


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError as error:
        raise SystemExit(f"{name} must be a whole number (got {value!r}).") from error


# Where to listen. Behind a load balancer: 0.0.0.0:8000 (or the port it forwards to). A
# platform that names the port in PORT (Procfile runners) gets every interface on it.
_port = os.environ.get("PORT", "").strip()
bind = [os.environ.get("GUNICORN_BIND", "").strip() or (f"0.0.0.0:{_port}" if _port else "127.0.0.1:8000")]

# A page spends most of its time in Python (templates, forms), not waiting on the database,
# so processes, not threads, are what use the cores: one a core and one more to cover the
# moments a process waits on PostgreSQL. Two threads a process keep a slow client or a slow
# query from holding a whole process. Each thread may hold a database connection:
# workers x threads x web nodes must stay under PostgreSQL's max_connections.
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 2)
worker_class = "gthread"

# A request still running after this many seconds is killed and its process replaced (the
# heaviest page, an export, takes a few seconds at a million cases).
timeout = _int("GUNICORN_TIMEOUT", 30)
# On SIGTERM (a deploy), requests under way get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Seconds an idle connection from the load balancer is kept open. Keep it above the
# balancer's own idle timeout, so that gunicorn never closes a connection the balancer is
# about to reuse (a 502 otherwise).
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# A process is replaced after this many requests (0: never), spread by the jitter so that
# they do not all restart at once: a slow leak cannot grow for ever.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# The processes' heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Logs. Errors go to standard error. The access log is off by default: a load balancer keeps
# one, and Django's own logging can write a line a request. "-" writes it to standard output;
# GUNICORN_ACCESS_LOG_FORMAT takes gunicorn's atoms (%(h)s, %(r)s, %(s)s, %(M)s...), and
# GUNICORN_LOGGER_CLASS a class of your own (a subclass of gunicorn.glogging.Logger) that
# formats both logs, as JSON for instance.
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").strip().lower() or "info"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "").strip() or None
if os.environ.get("GUNICORN_ACCESS_LOG_FORMAT", "").strip():
    access_log_format = os.environ["GUNICORN_ACCESS_LOG_FORMAT"]
logger_class = os.environ.get("GUNICORN_LOGGER_CLASS", "").strip() or "gunicorn.glogging.Logger"

# No control socket (~/.gunicorn/gunicorn.ctl, one a user): two gunicorns on one host would
# share it. Signals do the same (HUP reloads, TERM stops gracefully).
control_socket_disable = True

# The process's name in ps and top.
proc_name = "amends-web"
# The app, so that `gunicorn -c config/gunicorn.py` alone serves it (a module on the command line wins).
wsgi_app = "config.wsgi:application"

# Prometheus (docs/operations.md): every gunicorn worker is a process with its own counts, and a
# scrape of /metrics reaches one of them. So the workers keep their counts in files, in
# PROMETHEUS_MULTIPROC_DIR (var/prometheus unless set), and /metrics adds up all the files
# (core/metrics.py). The variable is set here, in the master, so every worker has it from its first
# import of prometheus_client; the folder is emptied when gunicorn starts, or the last run's counts
# would come back. A worker that exits leaves its files: its counts still belong in the totals
# (counters never go down), and the metrics kept here are counters and histograms only.
DEFAULT_PROMETHEUS_DIR = Path(__file__).resolve().parent.parent / "var" / "prometheus"
PROMETHEUS_MULTIPROC_DIR = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(DEFAULT_PROMETHEUS_DIR)))


def on_starting(server) -> None:
    PROMETHEUS_MULTIPROC_DIR.mkdir(parents=True, exist_ok=True)
    for stale in PROMETHEUS_MULTIPROC_DIR.glob("*.db"):
        stale.unlink()
