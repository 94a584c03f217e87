"""When a failed webhook is tried again: the rule the follow-ups share, in core/retries.py."""

from core.retries import next_attempt, retry_delay

__all__ = ["next_attempt", "retry_delay"]
