"""The project's own files: lint stays clean, deployment files are complete, no page loads from a CDN,
and every message has its Chinese translation."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)  # noqa: S603


def test_ruff_finds_nothing_to_complain_about():
    result = run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_djlint_finds_nothing_to_complain_about_in_the_templates():
    result = run(str(BIN / "djlint"), "templates", "--lint")
    assert result.returncode == 0, result.stdout[-4000:]


def test_docker_compose_runs_every_service_with_a_health_check():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"
    assert "gunicorn" in services["web"]["command"]


@pytest.mark.parametrize("path", sorted((ROOT / "templates").rglob("*.html")), ids=lambda p: p.name)
def test_templates_load_nothing_from_another_host(path):
    text = path.read_text()
    assert not re.search(r"""(src|href)=["'](https?:)?//""", text), f"{path} loads from another host"


@pytest.mark.parametrize("path", sorted((ROOT / "templates").rglob("*.html")), ids=lambda p: p.name)
def test_template_comments_close_on_their_line(path):
    """``{# … #}`` is a one-line comment in Django: one left open shows its text on the page (and a ``<style>`` in
    it swallows the rest of the head). Longer comments are ``{% comment %}`` blocks."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        assert line.count("{#") == line.count("#}"), f"{path.name}:{number} opens a comment it does not close"


def _po_entries(path: Path):
    """(msgid, msgstr, flags) of a .po file; enough of the format for a completeness check."""
    entries, msgid, msgstr, flags, field = [], None, None, "", None
    for line in path.read_text().splitlines() + [""]:
        if line.startswith("#,"):
            flags = line
        elif line.startswith("msgid "):
            msgid, field = line[6:].strip('"'), "id"
        elif line.startswith("msgid_plural "):
            field = None
        elif line.startswith(("msgstr ", "msgstr[0] ")):
            msgstr, field = line.split(" ", 1)[1].strip('"'), "str"
        elif line.startswith('"') and field:
            if field == "id":
                msgid += line.strip('"')
            else:
                msgstr += line.strip('"')
        elif not line.strip() and msgid is not None:
            entries.append((msgid, msgstr, flags))
            msgid, msgstr, flags, field = None, None, "", None
    return [e for e in entries if e[0]]  # the header has an empty msgid


def test_every_message_has_a_simplified_chinese_translation():
    entries = _po_entries(ROOT / "locale/zh_Hans/LC_MESSAGES/django.po")
    assert len(entries) > 100
    untranslated = [msgid for msgid, msgstr, _flags in entries if not msgstr]
    fuzzy = [msgid for msgid, _msgstr, flags in entries if "fuzzy" in flags]
    assert untranslated == []
    assert fuzzy == []


def test_the_production_settings_pass_djangos_deployment_checks():
    env = {
        "PATH": str(BIN),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "a" * 20 + "production-secret-key-for-the-check-0123456789",
        "SESSION_COOKIE_SECURE": "1",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "BEHIND_TLS_PROXY": "1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
