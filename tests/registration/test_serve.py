"""`make serve`'s local trial (scripts/serve) runs the task worker beside gunicorn: a visitor's
request to confirm is e-mailed through SMTP; one client posting 20 made-up addresses to the demo
event holds the configured three places and every other visitor still registers; stopping the
server stops the worker too."""

import os
import re
import signal
import subprocess
import sys

import pytest

from devtools.servers import BASE_DIR, free_port, port_open, wait_for
from tests.test_production import django_environment
from tests.web_client import Browser

from .test_emails import Inbox, smtp_server

pytestmark = pytest.mark.processes

DEMO_EVENT = "/de/veranstaltungen/beispiel-buergertreffen-der-vier-staedte/"


def registration_data(page, number):
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    workshop = re.search(r'name="workshop" value="(\d+)"', page).group(1)
    return {
        "csrfmiddlewaretoken": token,
        "first_name": f"Bot{number}",
        "last_name": "Muster",
        "email": f"bot{number}@example.org",
        "city": "trier",
        "workshop": workshop,
        "lunch": "no",
        "bus": "none",
        "language": "de",
        "consent": "on",
    }


def test_the_trial_sends_emails_with_its_worker_and_one_client_holds_three_places(tmp_path, production_build):
    """On a copy of the run's demo database (test_production.py shows the trial loading it)."""
    port, smtp_port = free_port(), free_port()
    env = django_environment(
        PORT=str(port),
        PY=sys.executable,
        DATABASE_URL=production_build.sqlite(tmp_path),
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_LOCAL_KEY_FILE=str(tmp_path / "key"),
        DJANGO_CACHE_DIR=str(tmp_path / "cache"),
        DJANGO_CLIENT_IP_HEADER="X-Real-IP",  # as behind nginx: tells the visitors apart
        DJANGO_EMAIL_HOST="127.0.0.1",
        DJANGO_EMAIL_PORT=str(smtp_port),
        DJANGO_EMAIL_USE_TLS="false",
        GUNICORN_WORKERS="2",
    )
    inbox = Inbox()
    log = tmp_path / "serve.log"
    with smtp_server(smtp_port, inbox), log.open("wb") as output:
        process = subprocess.Popen(
            ["scripts/serve"], cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            wait_for(lambda: process.poll() is not None or port_open(port), timeout=180, what="make serve")
            assert process.poll() is None, log.read_text()
            bot = Browser(f"http://127.0.0.1:{port}")
            answers = []
            for number in range(20):
                page = bot.get(DEMO_EVENT, headers={"X-Real-IP": "203.0.113.9"}).text
                answers.append(
                    bot.post(
                        DEMO_EVENT + "anmelden/",
                        registration_data(page, number),
                        headers={"X-Real-IP": "203.0.113.9"},
                    ).status
                )
            assert answers == [302] * 3 + [429] * 17
            visitor = Browser(f"http://127.0.0.1:{port}")
            page = visitor.get(DEMO_EVENT, headers={"X-Real-IP": "198.51.100.4"}).text
            assert "3 Plätze sind reserviert und warten auf die Bestätigung der E-Mail-Adresse." in page
            data = {**registration_data(page, 99), "email": "erika@example.org"}
            answer = visitor.post(DEMO_EVENT + "anmelden/", data, headers={"X-Real-IP": "198.51.100.4"})
            assert answer.status == 302 and answer.headers["Location"].endswith("/e-mail-pruefen/")
            wait_for(lambda: len(inbox.messages) == 4, timeout=60, what="the worker's e-mails")
            assert sorted(recipients[0] for recipients, _message in inbox.messages) == [
                "bot0@example.org",
                "bot1@example.org",
                "bot2@example.org",
                "erika@example.org",
            ]
        finally:
            os.kill(process.pid, signal.SIGTERM)  # the script alone, as Ctrl-C's shell would
            process.wait(timeout=60)
    # Nothing of the trial is left running: gunicorn and the worker stopped with it.
    wait_for(lambda: not _group_alive(process.pid), timeout=30, what="the trial's processes to stop")


def _group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True
