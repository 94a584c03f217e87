from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from core.links import absolute_url
from core.services import notify

from .models import Proposal
from .replays import TIME_LIMIT, policy_replay_fail, policy_replay_run


@shared_task(name="recovery.proposal_decided_notify", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def proposal_decided_notify_task(proposal_id: int) -> None:
    """Tell the proposer the decision: in the app and by email. Takes an id, re-reads the row."""
    proposal = Proposal.objects.select_related("case", "proposed_by", "decided_by").get(pk=proposal_id)
    verdict = proposal.get_state_display().lower()
    text = f"{proposal.case.reference}: your proposal “{proposal.title}” was {verdict} by {proposal.decided_by}." + (
        f" Their reason: “{proposal.decision_reason}”" if proposal.decision_reason else ""
    )
    url = proposal.case.get_absolute_url()
    notify(user=proposal.proposed_by, text=text, url=url)
    if proposal.proposed_by.email:
        context = {"proposal": proposal, "verdict": verdict, "url": absolute_url(url)}
        send_mail(
            subject=f"{proposal.case.reference}: proposal {verdict}",
            message=render_to_string("recovery/email/proposal_decided.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[proposal.proposed_by.email],
            html_message=render_to_string("recovery/email/proposal_decided.html", context),
        )


@shared_task(
    name="recovery.policy_replay_run", ignore_result=True, soft_time_limit=TIME_LIMIT, time_limit=TIME_LIMIT + 60
)
def policy_replay_run_task(replay_id: int) -> None:
    """Replay a draft policy over the last months' cases (recovery.replays). Takes an id; a replay
    that fails says so on its row, so its page stops waiting (the soft time limit raises here too)."""
    try:
        policy_replay_run(replay_id=replay_id)
    except Exception as error:
        policy_replay_fail(replay_id=replay_id, error=f"The replay stopped: {type(error).__name__}.")
        raise
