import os
import shutil
import time
import warnings

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from hypothesis import settings as hypothesis_settings

from accounts.roles import Role
from tests.factories import CustomerFactory, LocationFactory, staff

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"

# These machines are shared and noisy: an example that once takes 300 ms is not a bug, so no
# per-example deadline (hypothesis's 200 ms made pure-rule tests fail under load).
hypothesis_settings.register_profile("amends", deadline=None)
hypothesis_settings.load_profile("amends")


def need(available: bool, reason: str):
    """Skip when a service is missing, unless REQUIRE_SERVICES=1 asks for a failure instead."""
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1, so this fails instead of skipping)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The rate limit counts (the customer's pages, sign-in, password reset) live in the cache:
    start and end every test with none counted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_database_session_left_open(request):
    """On PostgreSQL, a test that leaves a database session open (a thread's or a process's
    connection never closed) is named with the session's last statement: left open, it stops
    the test database from being dropped at the end of the run, far from its cause."""
    yield
    if connection.vendor != "postgresql" or "django_db_setup" not in request.fixturenames:
        return
    sql = "SELECT query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    blocker = request.getfixturevalue("django_db_blocker")
    with blocker.unblock():
        for _ in range(20):  # a worker process on its way out closes its own
            with connection.cursor() as cursor:
                cursor.execute(sql)
                others = [row[0][:200] for row in cursor.fetchall()]
            if not others:
                return
            time.sleep(0.1)
    warnings.warn(f"{request.node.nodeid} left {len(others)} database session(s) open: {others}", stacklevel=1)


@pytest.fixture
def postgres(db):
    need(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL")


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    if url:
        import redis

        try:
            redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        except redis.RedisError as error:
            need(False, f"Redis at {url} does not answer: {error}")
    need(bool(url), "needs Redis: set REDIS_URL")
    return url


@pytest.fixture
def chromium_path():
    path = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    need(bool(shutil.which(path)), f"needs Chromium at {path} (apt-get install chromium)")
    return path


@pytest.fixture
def soho(db):
    return LocationFactory(name="Soho", code="soho")


@pytest.fixture
def camden(db):
    return LocationFactory(name="Camden", code="camden")


@pytest.fixture
def frontline(soho):
    return staff(Role.FRONTLINE, soho, username="fran")


@pytest.fixture
def manager(soho):
    return staff(Role.MANAGER, soho, username="maya")


@pytest.fixture
def owner(db):
    return staff(Role.OWNER, username="oliver")


@pytest.fixture
def customer(soho):
    return CustomerFactory(home_location=soho, name="Alice Moreno", email="alice@example.com", phone="+447700900101")


def signed_in(user, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


@pytest.fixture
def frontline_client(frontline):
    return signed_in(frontline)
