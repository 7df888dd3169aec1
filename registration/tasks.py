"""Work done by the task queue (django-tasks with its database backend): sending e-mails, and
finalising unconfirmed registrations at the end of their window.

``manage.py db_worker`` runs the queue (`make run` and `make serve` start one beside the web
server). Tasks are rows of the same database, queued in the transaction that made them needed.
"""

from django_tasks import task

from . import emails


@task()
def send_email(email_id):
    """Sends one registration e-mail. When the mail server fails, the attempt is recorded and
    the same task queued again for later, in one transaction (emails.deliver), until given up."""
    return emails.deliver(email_id)


@task()
def expire_unconfirmed(event_id):
    """At the end of a confirmation window: the event's overdue unconfirmed registrations
    expire and their places go to the waiting list (services.expire_unconfirmed)."""
    from events.models import Event

    from . import services

    event = Event.objects.filter(pk=event_id).first()
    return 0 if event is None else services.expire_unconfirmed(event)
