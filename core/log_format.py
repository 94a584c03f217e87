"""How log lines are written: JSON, one object a line, for a log collector (the default when DEBUG
is off), or text for people (LOG_FORMAT, config/settings.py). Every line carries the id of the
request or task it was written for (core/request_ids.py)."""

import logging

from pythonjsonlogger.json import JsonFormatter

from .request_ids import current_request_id


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (`missing` outside any request or task); a
    record that names its own (the request's and the task's lines) keeps it."""

    def __init__(self, missing: str | None = None):
        super().__init__()
        self.missing = missing

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id() or self.missing
        return True


def json_formatter() -> logging.Formatter:
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request_id, and the
    fields a line adds (`extra=`); a traceback as `exc_info`, in the same line."""
    return JsonFormatter(
        "%(levelname)s %(name)s %(message)s",
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp="time",
    )
