"""The generated data set the bench tests read: a tiny scale, generated once into the test database (a
throwaway, never zhixing_bench) and flushed when the package's tests are done. PostgreSQL only (COPY)."""

import io

import pytest
from django.core.management import call_command

CASES = 300


@pytest.fixture(scope="package")
def generated(django_db_setup, django_db_blocker):
    from bench.generate import generate

    with django_db_blocker.unblock():
        result = generate(n=CASES, seed=11, out=io.StringIO())
        yield result
        call_command("flush", interactive=False, verbosity=0)
