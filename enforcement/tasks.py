"""Celery tasks of enforcement, found by autodiscovery here: each area keeps its own module."""

from .tasks_assignment import *  # noqa: F403
from .tasks_coercion import *  # noqa: F403
from .tasks_rewards import *  # noqa: F403
