"""The work done by the task queue (django-tasks with its database backend), where to find it.

Each task lives beside the code it runs, so that imports run one way (the services queue the
tasks they need; nothing below them imports this module):

- ``emails.send_email`` sends one registration e-mail (``emails.deliver``), retrying later on
  failure;
- ``services.booking.expire_unconfirmed_task`` finalises an event's unconfirmed registrations
  at the end of their confirmation window.

``manage.py db_worker`` runs the queue (`make run` and `make serve` start one beside the web
server). Tasks are rows of the same database, queued in the transaction that made them needed.

The names below keep the task paths queued before the tasks moved (``registration.tasks.…``)
runnable by the worker; new tasks are queued under their own modules' paths.
"""

from .emails import send_email
from .services.booking import expire_unconfirmed_task as expire_unconfirmed

__all__ = ["expire_unconfirmed", "send_email"]
