"""Feedback e-mails, sent by the task queue (django-tasks' database backend, as registration's
e-mails): queued in the transaction that stored the message, sent by ``manage.py db_worker``."""

from django_tasks import task

from . import emails


@task()
def send_feedback_emails(feedback_id):
    """The message to the secretariat and the acknowledgement to its sender; each once, even when
    the task runs again after a failure of the mail server."""
    return emails.deliver(feedback_id)
