"""One log line a request, under the id it came with (or a new one), which goes back with it."""

import json
import logging
import re

import pytest
from django.test import Client

from core.log_format import RequestIdFilter, json_formatter
from core.request_ids import HEADER, bind_request_id, request_id_from, unbind_request_id
from tests.conftest import signed_in

NEW_ID = re.compile(r"[0-9a-f]{32}")


def request_lines(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "amends.request"]


def test_a_well_formed_request_id_goes_back_and_names_the_line(db, caplog):
    caplog.set_level(logging.INFO, logger="amends.request")
    response = Client().get("/favicon.ico", headers={HEADER: "lb-7f3a9c2e-0001"})
    assert response[HEADER] == "lb-7f3a9c2e-0001"
    [line] = request_lines(caplog)
    assert (line.request_id, line.method, line.path, line.view, line.status) == (
        "lb-7f3a9c2e-0001", "GET", "/favicon.ico", "favicon", response.status_code,
    )  # fmt: skip
    assert line.user_id is None and line.db_queries == 0 and line.duration_ms >= 0


@pytest.mark.parametrize("sent", ["", "short", "has a space 123", "x" * 129, "evil\nline-12345678", "<b>12345678</b>"])
def test_a_malformed_request_id_is_replaced_by_a_new_one(db, sent):
    response = Client().get("/favicon.ico", headers={HEADER: sent})
    assert response[HEADER] != sent and NEW_ID.fullmatch(response[HEADER])


def test_each_request_without_an_id_gets_its_own():
    first, second = request_id_from(None), request_id_from(None)
    assert NEW_ID.fullmatch(first) and NEW_ID.fullmatch(second) and first != second


def test_the_line_names_the_signed_in_user_and_counts_the_queries(frontline, caplog):
    caplog.set_level(logging.INFO, logger="amends.request")
    response = signed_in(frontline).get("/cases/")
    [line] = request_lines(caplog)
    assert (line.view, line.status, line.user_id) == ("cases:list", response.status_code, frontline.pk)
    assert line.db_queries > 0


def test_a_token_in_the_path_is_masked(db, caplog):
    caplog.set_level(logging.INFO, logger="amends.request")
    token = "a-customer-s-signed-link-token"
    Client().get(f"/c/{token}/")
    [line] = request_lines(caplog)
    assert line.path == "/c/*/" and line.view == "portal:case"
    assert token not in line.getMessage()


def test_a_json_line_is_one_object_with_the_request_s_fields(db, caplog):
    caplog.set_level(logging.INFO, logger="amends.request")
    Client().get("/favicon.ico", headers={HEADER: "lb-7f3a9c2e-0002"})
    [record] = request_lines(caplog)
    text = json_formatter().format(record)
    assert "\n" not in text
    line = json.loads(text)
    assert line["level"] == "INFO" and line["logger"] == "amends.request"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00", line["time"])
    assert {key: line[key] for key in ("method", "path", "view", "status", "user_id", "request_id")} == {
        "method": "GET",
        "path": "/favicon.ico",
        "view": "favicon",
        "status": record.status,
        "user_id": None,
        "request_id": "lb-7f3a9c2e-0002",
    }
    assert isinstance(line["duration_ms"], float) and line["db_queries"] == 0 and line["message"]


def test_every_line_written_while_a_request_or_task_is_served_carries_its_id():
    inside, outside = logging.makeLogRecord({"msg": "inside"}), logging.makeLogRecord({"msg": "outside"})
    token = bind_request_id("req-from-the-balancer-41")
    try:
        RequestIdFilter().filter(inside)
    finally:
        unbind_request_id(token)
    RequestIdFilter(missing="-").filter(outside)
    assert (inside.request_id, outside.request_id) == ("req-from-the-balancer-41", "-")
