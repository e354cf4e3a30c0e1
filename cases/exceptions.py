"""Errors of 立 and 审. Each names its rule with a stable ``code`` (``document.instalment_total`` …)."""

from core.exceptions import RuleViolation


class LitigationRuleViolation(RuleViolation):
    """A rule of the trial side refused the action: trial events, effective documents, appeals."""


class PreservationRuleViolation(RuleViolation):
    """A preservation rule refused the action: application, decision, measures, carry-over, notice."""
