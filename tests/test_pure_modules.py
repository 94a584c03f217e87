"""Rules of the domain are plain Python: importing them must not import Django."""

import subprocess
import sys

import pytest

PURE = [
    "cases.severity",
    "cases.states",
    "cases.sla",
    "cases.reply_address",
    "customers.contact",
    "attachments.validation",
    "inbox.parsing",
    "inbox.quotes",
    "inbox.form_data",
    "accounts.role",
    "accounts.budgets",
    "accounts.working_time",
    "recovery.policy",
    "recovery.amounts",
    "recovery.suggestions",
    "recovery.totals",
    "recovery.words",
    "recovery.approval_rules",
    "recovery.replay",
    "recovery.outcomes",
    "recovery.evidence",
    "followups.states",
    "followups.plans",
    "followups.rights",
    "followups.retries",  # which failures are tried again, and until when
    "corrective.states",
    "portal.status",
    "core.translatable",  # messages marked for translation, filled in and read back
    "core.batches",  # claimed work handed to a queue, chunk by chunk
    "core.request_ids",  # a request's id, read by Sentry's hook before Django is set up
    "api.tokens",  # API tokens made, read and hashed
    "webhooks.addresses",  # where a webhook may go (SSRF refusals)
    "webhooks.retries",  # backoff with jitter (core.retries, shared with the follow-ups)
    "core.retries",
    "dashboard.facts",
    "dashboard.periods",
    "dashboard.figures",
    "bench.management.commands._outcome_model",  # the seeds' synthetic outcomes
]


@pytest.mark.parametrize("module", PURE)
def test_rule_module_does_not_import_django(module):
    code = f"import sys, {module}; sys.exit(1 if any(m.startswith('django') for m in sys.modules) else 0)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
