"""What keeps the page cache fresh: receivers of the domain's signals, connected by
``PageCacheConfig.ready()``. The apps below send or raise these signals without knowing of the
page cache: Django's ``post_save``, ``post_delete`` and ``m2m_changed`` of the models a page shows,
and the registration app's ``registrations_changed``."""

from django.apps import apps
from django.db.models import signals

from registration.signals import registrations_changed

from . import cache


def connect():
    for label in cache.CONTENT_MODELS:
        model = apps.get_model(label)
        signals.post_save.connect(content_changed, sender=model, dispatch_uid=f"page-cache-save-{label}")
        signals.post_delete.connect(content_changed, sender=model, dispatch_uid=f"page-cache-delete-{label}")
        for m2m in model._meta.many_to_many:
            signals.m2m_changed.connect(
                content_changed, sender=m2m.remote_field.through, dispatch_uid=f"page-cache-m2m-{label}-{m2m.name}"
            )
    # Registrations (and an event's registration form) change that event's pages only.
    registrations_changed.connect(registrations_of_event_changed, dispatch_uid="page-cache-registrations")


def content_changed(**kwargs):
    """Something a page shows was saved or deleted: every page is fresh at the next request."""
    cache.content_changed()


def registrations_of_event_changed(sender, event, **kwargs):
    """registration.signals.registrations_changed, sent after the commit."""
    cache.event_changed(event.pk)
