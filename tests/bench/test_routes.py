"""The benchmark's routes are mounted only when AMENDS_BENCH says so: none in production."""

import importlib

from django.urls import clear_url_caches

import config.urls


def bench_routes(*, mounted: bool, settings) -> list[str]:
    settings.AMENDS_BENCH = mounted
    try:
        patterns = importlib.reload(config.urls).urlpatterns
        return [
            str(p.pattern)
            for p in patterns
            if getattr(getattr(p, "urlconf_name", None), "__name__", None) == "bench.urls"
        ]
    finally:
        settings.AMENDS_BENCH = True  # as the tests' settings have it
        importlib.reload(config.urls)
        clear_url_caches()


def test_no_benchmark_route_unless_the_setting_mounts_it(settings):
    assert bench_routes(mounted=False, settings=settings) == []
    assert bench_routes(mounted=True, settings=settings) == [""]


def test_the_bare_floor_is_served_when_mounted(client):
    assert client.get("/_bare/").content == b"ok"
