import pytest

from labelhub.core.errors import Conflict
from labelhub.core.workflow import JOB_TRANSITIONS, TASK_TRANSITIONS, JobState, Role, TaskState, check_task_transition


def test_every_state_has_a_transition_row() -> None:
    assert set(TASK_TRANSITIONS) == set(TaskState)
    assert set(JOB_TRANSITIONS) == set(JobState)


def test_illegal_transition_names_the_allowed_ones() -> None:
    with pytest.raises(Conflict, match="from accepted it may become: in_review"):
        check_task_transition("accepted", "queued")


def test_roles_are_ordered() -> None:
    assert Role.MANAGER.includes(Role.REVIEWER) and Role.REVIEWER.includes(Role.LABELER)
    assert not Role.LABELER.includes(Role.REVIEWER)
