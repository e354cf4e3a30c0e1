"""``make backup`` / ``make restore``: scripts/backup.sh dumps DATABASE_URL (pg_dump -Fc), scripts/restore.sh
restores it (pg_restore --clean --if-exists) into a fresh database, where every case is found again."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from cases.models import Case
from tests.factories import CaseFactory, CourtFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
BASH = shutil.which("bash") or "/bin/bash"
CASES = 25


def _url(name: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _run(script: str, *args: str, env: dict) -> str:
    done = subprocess.run(  # noqa: S603 - our own scripts, fixed arguments
        [BASH, str(ROOT / "scripts" / script), *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture
def fresh_name():
    name = f"zhixing_restore_{uuid.uuid4().hex[:10]}"
    yield name
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restored_into_a_fresh_database_has_every_case(tmp_path, fresh_name):
    court = CourtFactory(chaoyang=True)
    CaseFactory.create_batch(CASES, court=court)
    numbers = sorted(Case.objects.values_list("number", flat=True))
    assert len(numbers) == CASES
    env = {**os.environ, "DATABASE_URL": _url(connection.settings_dict["NAME"]), "BACKUP_DIR": str(tmp_path)}

    dump = Path(_run("backup.sh", env=env))
    assert dump.parent == tmp_path and dump.suffix == ".dump" and dump.stat().st_size > 0
    assert not list(tmp_path.glob("*.partial"))
    restored_into = _run("restore.sh", str(dump), fresh_name, env=env)
    assert restored_into.endswith(f"/{fresh_name}")

    with psycopg.connect(_url(fresh_name)) as restored:
        table = Case._meta.db_table
        count = restored.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - a model's table
        restored_numbers = sorted(n for (n,) in restored.execute(f"SELECT number FROM {table}"))  # noqa: S608
        migrations = restored.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
    assert count == CASES
    assert restored_numbers == numbers
    assert migrations > 0

    # Restoring again over the restored database replaces it (--clean --if-exists): still every case, once.
    _run("restore.sh", str(dump), fresh_name, env=env)
    with psycopg.connect(_url(fresh_name)) as restored:
        assert restored.execute(f"SELECT count(*) FROM {Case._meta.db_table}").fetchone()[0] == CASES  # noqa: S608


def test_restore_refuses_a_missing_dump_and_a_bad_database_name(tmp_path):
    env = {**os.environ, "DATABASE_URL": _url(connection.settings_dict["NAME"])}
    missing = subprocess.run(  # noqa: S603
        [BASH, str(ROOT / "scripts" / "restore.sh"), str(tmp_path / "none.dump"), "x"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert missing.returncode == 2 and "no such dump" in missing.stderr
    dump = tmp_path / "a.dump"
    dump.write_bytes(b"")
    bad = subprocess.run(  # noqa: S603
        [BASH, str(ROOT / "scripts" / "restore.sh"), str(dump), "x; DROP DATABASE y"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert bad.returncode == 2 and "a database name is letters, digits and _" in bad.stderr
