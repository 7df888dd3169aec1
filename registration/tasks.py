"""Work done by the task queue (django-tasks with its database backend): sending e-mails.

``manage.py db_worker`` runs the queue (`make run` starts one beside the development server).
"""

from django_tasks import task

from . import emails


@task()
def send_email(email_id):
    """Sends one registration e-mail. When the mail server fails, the attempt is recorded and
    the same task is queued again for later (emails.retry_delay), until it is given up."""
    try:
        return emails.deliver(email_id)
    except emails.DeliveryFailed as failure:
        if failure.retry_at is not None:
            send_email.using(run_after=failure.retry_at).enqueue(email_id)
        raise
