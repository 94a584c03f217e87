import pytest
import time_machine

from dashboard.rollups import rollups_rebuild
from tests.dashboard.test_rollups import NOW, varied_cases


@pytest.fixture
def dataset(soho, camden, owner):
    """The varied cases (tests/dashboard/test_rollups.py), rolled up; the owner, who may see them all."""
    with time_machine.travel(NOW, tick=False):
        varied_cases(soho, camden)
        rollups_rebuild()
    return owner
