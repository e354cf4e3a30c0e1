"""``make check-deploy``: Django's deployment checks (and django-axes') pass at WARNING level with the
production settings — DEBUG off, a real secret key, secure cookies, HTTPS redirect, HSTS, behind a TLS proxy.
Run as a separate process, as the Makefile target runs it, since the settings are read at start-up."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "SESSION_COOKIE_SECURE": "1",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "BEHIND_TLS_PROXY": "1",
}


def check_deploy(**overrides: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "SESSION_", "AXES_", "ZHIXING_")) and key != "BEHIND_TLS_PROXY"
    }
    env.update(PRODUCTION_ENV, DJANGO_SECRET_KEY=secrets.token_hex(32), DJANGO_SETTINGS_MODULE="config.settings")
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_the_deployment_check_passes_with_the_production_settings():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("setting", "value", "warning"),
    [
        ("DJANGO_DEBUG", "1", "security.W018"),
        ("SECURE_HSTS_SECONDS", "0", "security.W004"),
    ],
)
def test_the_deployment_check_fails_when_a_production_setting_is_missing(setting, value, warning):
    result = check_deploy(**{setting: value})
    assert result.returncode != 0
    assert warning in result.stderr + result.stdout
