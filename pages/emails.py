"""The two e-mails of a feedback message: to the secretariat (in German, its working language, with
the French original quoted as sent) and the acknowledgement, in the sender's language."""

import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks import task

from core.mail import EmailMessage

from .models import AccessibilityStatement, Feedback, Organisation

logger = logging.getLogger(__name__)


def secretariat_address():
    """settings.FEEDBACK_EMAIL, else the publisher's e-mail address (the Impressum's)."""
    return settings.FEEDBACK_EMAIL or Organisation.current().email


def deliver(feedback_id):
    feedback = Feedback.objects.filter(pk=feedback_id).first()
    if feedback is None:
        return "gone"
    sent = []
    if feedback.secretariat_notified_at is None:
        to = secretariat_address()
        if not to:
            logger.error("Feedback %s: no address for the secretariat (FEEDBACK_EMAIL, Impressum e-mail)", feedback.pk)
        else:
            with translation.override(settings.LANGUAGE_CODE):
                notification(feedback, to).send()
            Feedback.objects.filter(pk=feedback.pk).update(secretariat_notified_at=timezone.now())
            sent.append("secretariat")
    if feedback.acknowledged_at is None:
        with translation.override(feedback.language):
            acknowledgement(feedback).send()
        Feedback.objects.filter(pk=feedback.pk).update(acknowledged_at=timezone.now())
        sent.append("sender")
    return ",".join(sent) or "skipped"


def notification(feedback, to):
    context = {"feedback": feedback, "admin_url": settings.SITE_URL + admin_path(feedback)}
    subject = gettext("Feedback on the website: %(topic)s") % {"topic": feedback.get_topic_display()}
    return EmailMessage(
        subject=subject,
        body=render_to_string("pages/email/feedback_received.txt", context),
        to=[to],
        reply_to=[feedback.email],
    )


def acknowledgement(feedback):
    statement = AccessibilityStatement.current()
    context = {"feedback": feedback, "answer_days": statement.answer_days, "site_url": settings.SITE_URL}
    return EmailMessage(
        subject=gettext("We have received your message"),
        body=render_to_string("pages/email/feedback_acknowledgement.txt", context),
        to=[feedback.email],
        reply_to=[to for to in [secretariat_address()] if to],
    )


def admin_path(feedback):
    return reverse("admin:pages_feedback_change", args=[feedback.pk])


def queue(feedback):
    """Queued in the current transaction: sent when the feedback is stored, never otherwise."""
    with transaction.atomic():
        send_feedback_emails.enqueue(feedback.pk)


@task()
def send_feedback_emails(feedback_id):
    """The task queue's job (django-tasks' database backend, as registration's e-mails), queued in
    the transaction that stored the message and run by ``manage.py db_worker``: the message to the
    secretariat and the acknowledgement to its sender, each once, even when the task runs again
    after a failure of the mail server."""
    return deliver(feedback_id)
