from celery import shared_task

from .acknowledgements import self_report_acknowledge


@shared_task(
    name="portal.self_report_acknowledge",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def self_report_acknowledge_task(case_id: int) -> bool:
    """Email the customer that their report arrived and when they will hear back; retried while
    the mail server is down."""
    return self_report_acknowledge(case_id=case_id)
