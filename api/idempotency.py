"""`Idempotency-Key` on every create: retrying a create is safe.

The same principal (token's user) sending the same key and the same request (method, path and
JSON body) gets the first answer again, status and body, with `Idempotent-Replayed: true`; the
same key with a different request is a 409 problem. The key's row is inserted in the create's
own transaction, under a unique constraint (user, key): of two requests at the same moment the
second waits on the first's insert, and once the first commits it replays its answer. One object
is made. A create that fails (a 422) rolls its key back with it: fix the body, send the key again.
Keys are kept AMENDS_API_IDEMPOTENCY_HOURS (24): beat's nightly `api.idempotency_keys_sweep` (and
`manage.py api_idempotency_sweep`) forgets older ones.
"""

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from .models import IdempotencyKey
from .problems import Conflict

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
KEY_MAX = 255
BAD_KEY = _("An Idempotency-Key is 1 to 255 printable ASCII characters (a UUID is a good one).")
KEY_REUSED = _("This Idempotency-Key was used for a different request: use a new key for a new request.")


def request_digest(request: Request) -> str:
    """What makes two requests "the same": method, path and the JSON body, keys sorted (so the
    order a client writes them in does not matter)."""
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), cls=JSONEncoder)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _key_of(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 0 < len(key) <= KEY_MAX or not key.isascii() or not key.isprintable():
        raise ValidationError({HEADER: [BAD_KEY]})
    return key


def idempotent_create(request: Request, create: Callable[[], Response]) -> Response:
    """Run `create` (which validates, calls the service and returns the 201) in one transaction
    with the request's Idempotency-Key, if it sent one."""
    key = _key_of(request)
    if key is None:
        with transaction.atomic():
            return create()
    digest = request_digest(request)
    inserted = False
    try:
        with transaction.atomic():
            # The transaction's first statement, so it needs no savepoint of its own: if the key
            # is taken, nothing else has been done and the whole transaction is given up.
            row = IdempotencyKey.objects.create(
                user=request.user, key=key, request_digest=digest, created_at=timezone.now()
            )
            inserted = True
            response = create()
            row.status_code = response.status_code
            row.response = json.loads(json.dumps(response.data, cls=JSONEncoder))
            row.save(update_fields=["status_code", "response"])
            return response
    except IntegrityError:
        if inserted:  # the create's own, not the key's
            raise
    return _replay(request, key, digest)


def _replay(request: Request, key: str, digest: str) -> Response:
    # The other request has committed (its insert held ours until then): its row is there.
    first = IdempotencyKey.objects.get(user=request.user, key=key)
    if first.request_digest != digest:
        raise Conflict(KEY_REUSED)
    return Response(first.response, status=first.status_code, headers={REPLAYED: "true"})
