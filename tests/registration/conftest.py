import itertools
from functools import partial

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from devtools.servers import free_port
from registration.models import Email
from registration.services import booking

from .factories import member_cities

_numbers = itertools.count(1)


@pytest.fixture
def cities(db):
    return member_cities()


@pytest.fixture
def smtp(settings):
    """E-mails go out over SMTP to 127.0.0.1 on a free port, where a test may start a server
    (``smtp_server`` in test_emails.py) or leave none, to see a delivery fail."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return settings


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """``with commit():`` runs, at the end of the block, what waits for the transaction to commit
    (e-mails handed to the queue, registrations_changed), as a real commit would."""
    return partial(django_capture_on_commit_callbacks, execute=True)


def run_queue():
    """Runs the task queue's ready tasks, as ``manage.py db_worker`` would. Returns how many tried
    to send an e-mail (not counting those that found theirs sent already, or being sent)."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    count = 0
    while (result := DBTaskResult.objects.ready().first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)
        result.refresh_from_db()
        count += result.task_path.endswith(".send_email") and result.return_value != "skipped"
    return count


@pytest.fixture
def deliver(commit):
    """``deliver()``: the e-mails waiting in the queue, sent (to mail.outbox in tests)."""

    def deliver():
        with commit():
            run_queue()
        return mail.outbox

    return deliver


def answers(city=None, workshops=(), **fields):
    """What the form hands to booking.register(): a person from ``city`` (None: another town)."""
    number = next(_numbers)
    return {
        "first_name": f"Erika{number}",
        "last_name": f"Muster{number}",
        "email": f"erika{number}@example.org",
        "organisation": "Stadt",
        "city": city,
        "other_town": "" if city else "Nancy",
        "workshops": list(workshops),
        "lunch": None,
        "dietary_needs": "",
        "bus_city": None,
        **fields,
    }


@pytest.fixture
def register(commit):
    """``register(event, city, …)``: someone asks for a place through the services, as the
    form does, and confirms their address at once (both committed). Returns the registration,
    confirmed or waitlisted, with ``position`` set."""

    def register(event, city=None, workshops=(), language="de", join=True, **fields):
        with commit():
            held = booking.request_place(
                event, answers(city, workshops, **fields), language=language, join_waiting_list=join
            )
            # The request to confirm reached them (tests of that e-mail send it themselves).
            Email.objects.filter(registration=held, kind=Email.Kind.CONFIRM_ADDRESS).update(
                sent_at=timezone.now(), next_attempt_at=None
            )
        with commit():
            return booking.confirm_address(held)

    return register
