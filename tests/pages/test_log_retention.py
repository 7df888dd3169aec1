"""The privacy page's promise about server logs is what the servers are configured to do: nginx's
logs (deploy/logrotate.conf) and the journal, which keeps the app's request log (deploy/journald.conf),
are deleted after the number of days the page states (``SERVER_LOG_RETENTION_DAYS``, default 14,
which the example production environment sets). Changing one without the others fails here."""

import configparser
import re
import shutil
import subprocess

import pytest
from django.conf import settings

from devtools.servers import BASE_DIR
from tests.helpers import html_of

DEPLOY = BASE_DIR / "deploy"


def logrotate_value(directive):
    """The number after ``directive`` in deploy/logrotate.conf (each directive once)."""
    found = re.findall(rf"^\s*{directive}\s+(\d+)\s*$", (DEPLOY / "logrotate.conf").read_text(), re.MULTILINE)
    assert len(found) == 1, f"deploy/logrotate.conf names {directive} {len(found)} times"
    return int(found[0])


def test_the_default_retention_is_the_one_the_example_environment_sets():
    example = (DEPLOY / "production.env.example").read_text()
    assert re.findall(r"^DJANGO_SERVER_LOG_RETENTION_DAYS=(\d+)$", example, re.MULTILINE) == ["14"]
    assert settings.SERVER_LOG_RETENTION_DAYS == 14


def test_nginx_logs_are_rotated_daily_and_deleted_after_the_promised_days():
    days = settings.SERVER_LOG_RETENTION_DAYS
    assert re.search(r"^\s*daily\s*$", (DEPLOY / "logrotate.conf").read_text(), re.MULTILINE)
    assert logrotate_value("rotate") == days
    assert logrotate_value("maxage") == days
    nginx = (DEPLOY / "nginx.conf").read_text()
    configured = set(re.findall(r"^\s*(?:access|error)_log\s+(\S+?);?(?:\s|$)", nginx, re.MULTILINE))
    rule = [line for line in (DEPLOY / "logrotate.conf").read_text().splitlines() if line.startswith("/")]
    rotated = set(rule[0].removesuffix("{").split())
    assert configured == rotated == {"/var/log/quattropole/nginx-access.log", "/var/log/quattropole/nginx-error.log"}


def test_logrotate_reads_the_rule_as_written(tmp_path):
    if not shutil.which("logrotate"):
        pytest.skip("logrotate is not installed")
    rule = (DEPLOY / "logrotate.conf").read_text().replace("/var/log/quattropole/", f"{tmp_path}/")
    (tmp_path / "rule.conf").write_text(rule)
    (tmp_path / "nginx-access.log").write_text("127.0.0.1 GET /\n")
    result = subprocess.run(
        ["logrotate", "--debug", "--state", str(tmp_path / "state"), str(tmp_path / "rule.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert not re.search(r"^error:", result.stderr, re.MULTILINE), result.stderr
    days = settings.SERVER_LOG_RETENTION_DAYS
    assert f"after 1 days ({days} rotations)" in result.stderr and "old logs are removed" in result.stderr


def test_the_journal_keeps_the_apps_log_for_the_promised_days():
    journald = configparser.ConfigParser()
    journald.optionxform = str  # systemd's keys are case-sensitive
    journald.read(DEPLOY / "journald.conf")
    assert journald["Journal"]["MaxRetentionSec"] == f"{settings.SERVER_LOG_RETENTION_DAYS}day"
    assert journald["Journal"]["MaxFileSec"] == "1day"
    # The app's request log goes there: gunicorn logs to standard output, which systemd journals.
    assert re.search(r'^accesslog = "-"$', (BASE_DIR / "gunicorn.conf.py").read_text(), re.MULTILINE)
    assert "StandardOutput" not in (DEPLOY / "quattropole.service").read_text()


@pytest.mark.django_db
def test_the_privacy_page_states_the_configured_days(client, site_pages):
    page = html_of(client.get("/de/datenschutz/"))
    assert f"nach {logrotate_value('maxage')} Tagen gelöscht" in page
