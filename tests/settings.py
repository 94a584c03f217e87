"""Test settings: the real settings, with the few things tests need changed."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
# In-memory, except in a worker a test starts (tests/followups/test_worker.py): a process of
# its own, told through the environment where its mail goes (tests/followups/mailbox.py, SMTP).
EMAIL_BACKEND = os.environ.get("TEST_EMAIL_BACKEND") or "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Photos and files: a folder of this run's own, never var/attachments.
    "attachments": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tempfile.mkdtemp(prefix="amends-attachments-")},
    },
}
SECURE_HSTS_SECONDS = 0
# Quiet, unless a test asks for the real thing (a worker it starts with LOG_FORMAT=json).
if not os.environ.get("LOG_FORMAT"):
    LOGGING = {"version": 1, "disable_existing_loggers": False}
AMENDS_BENCH = True  # the bench command's tests measure against the bare floor view
# Tasks run in the test's own process when enqueued (after commit); the
# real-worker tests start their workers with CELERY_TASK_ALWAYS_EAGER=0 and a broker of their own.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)  # noqa: F405
CELERY_TASK_EAGER_PROPAGATES = True
# Tasks that inject faults into a worker a test starts (tests/core/fault_tasks.py): loaded only
# by workers whose test names them.
CELERY_IMPORTS = env.list("TEST_CELERY_IMPORTS", default=[])  # noqa: F405
