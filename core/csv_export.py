"""CSV downloads, streamed: rows are written as they are read, so an export of a year of a
large business never sits in memory whole (Django's "Streaming large CSV files")."""

import csv
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import StreamingHttpResponse

from .i18n import StrOrPromise


class _Echo:
    """A file-like object whose write returns what it was given, for csv.writer."""

    def write(self, value: str) -> str:
        return value


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A cell a spreadsheet will not run: text that starts like a formula gets a leading
    single quote (OWASP's advice), so "=HYPERLINK(...)" typed as a name is shown, not run.
    Numbers are written as the numbers they are (a Decimal -12.50 stays -12.50 and adds up);
    only text is escaped, so a figure that must stay a number is passed as a number."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(filename: str, header: Sequence[StrOrPromise], rows: Iterable[Iterable]) -> StreamingHttpResponse:
    """Every CSV download: rows streamed, each text cell made spreadsheet-safe."""
    writer = csv.writer(_Echo())

    def line(cells: Iterable) -> str:
        return writer.writerow([spreadsheet_safe(cell) for cell in cells])

    def lines():
        # A byte-order mark, so that spreadsheet programs read the file as UTF-8.
        yield "\ufeff" + line(header)
        for row in rows:
            yield line(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
