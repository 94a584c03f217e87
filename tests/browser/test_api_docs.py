"""The API's docs page renders in a real Chromium from our own files: every request it makes goes to
this server (no CDN, no web fonts), and the content security policy is not broken."""

import pytest

from tests.browser.test_page_policy import watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_render_with_no_external_request(page, live_server):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    problems = watch(page)
    response = page.goto("/api/docs/")
    assert response.status == 200
    page.get_by_text("Amends API").first.wait_for()
    page.locator(".opblock-summary-path", has_text="/api/v1/cases/").first.wait_for()
    page.wait_for_load_state("networkidle")
    outside = [url for url in requests if not url.startswith(live_server.url) and not url.startswith("data:")]
    assert outside == []
    assert any(url.endswith("/api/schema/") or "/api/schema/?" in url for url in requests)
    assert problems == []
