"""The 查控 pipeline benchmark at a tiny size, fanned out in process: both ways of answering run, each round's
results are all ingested, and the four figures are reported beside their baselines from the same run."""

from __future__ import annotations

import pytest

from assets.choices import AnswerStatus
from assets.models import AgencyAnswer, QueryResult
from bench import query_pipeline

pytestmark = pytest.mark.django_db(transaction=True)  # the fan-out and the drain run on commit, as in production


def test_the_pipeline_benchmark_reports_both_ways_of_answering_and_their_ingestion(monkeypatch, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.setattr(query_pipeline, "start_worker", lambda: None)
    reports = []

    query_pipeline.run(debtors=3, rounds=1, report=lambda name, measured, baseline, note, **figures: reports.append(
        (name, measured, baseline, note, figures)
    ))  # fmt: skip

    names = [name for name, *_rest in reports]
    assert names == [
        "query pipeline, 3 debtors x 16 categories (vs bulk_create)",
        "answer ingestion, 3 debtors x 16 categories (vs bulk_create)",
        "query pipeline, respond-async, 3 debtors x 16 categories (vs bulk_create)",
        "answer ingestion by the worker's drain, 3 debtors x 16 categories (vs bulk_create)",
    ]
    for _name, measured, baseline, _note, figures in reports:
        assert len(measured) == len(baseline) == 1 and measured[0] > 0 and baseline[0] > 0
        assert figures["results_per_second"] > 0 and figures["raw_results_per_second"] > 0
    assert "18 answers waiting" in reports[3][3]
    # five batches (two warm-up rounds and three measured), every item answered once
    assert QueryResult.objects.values("request__batch").distinct().count() == 5
    assert set(AgencyAnswer.objects.values_list("status", flat=True)) == {AnswerStatus.INGESTED}
