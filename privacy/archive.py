"""The export as a zip, for the page: `customer.json` (the document the API returns) beside the
files it names, the photos and documents attached to the customer's cases and the emails they sent
as received. Written to a temporary file (spilled to disk past a few megabytes), not to memory."""

import json
import zipfile
from tempfile import SpooledTemporaryFile
from typing import IO

from attachments.models import attachment_storage

from .selectors import CustomerExport, archive_name, email_archive_name

DOCUMENT = "customer.json"
IN_MEMORY_UP_TO = 8 * 1024 * 1024
CHUNK = 1024 * 1024


def export_zip(export: CustomerExport) -> IO[bytes]:
    """The zip of `export`, rewound. A stored file that has gone missing is left out, and the
    document says so beside its entry (`file_missing`), rather than failing the whole export."""
    output: IO[bytes] = SpooledTemporaryFile(max_size=IN_MEMORY_UP_TO)  # noqa: SIM115 (handed to the response, which closes it)
    storage = attachment_storage()
    missing: set[int] = set()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for attachment in export.attachments:
            try:
                source = storage.open(attachment.file.name, "rb")
            except FileNotFoundError:
                missing.add(attachment.pk)
                continue
            with source, archive.open(archive_name(attachment), "w", force_zip64=True) as target:
                while chunk := source.read(CHUNK):
                    target.write(chunk)
        for pk, raw in export.emails:
            archive.writestr(email_archive_name(pk), raw)
        archive.writestr(DOCUMENT, json.dumps(_noting(export.data, missing), ensure_ascii=False, indent=2))
    output.seek(0)
    return output


def _noting(data: dict, missing: set[int]) -> dict:
    if not missing:
        return data
    for case in data["cases"]:
        for entry in case["attachments"]:
            if entry["id"] in missing:
                entry["file_missing"] = True
    return data
