from celery import shared_task

from .replays import TIME_LIMIT, policy_replay_fail, policy_replay_run


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
