"""Keeps the footer's accessibility status (pages/accessibility.py) in step with its evidence. Only
derived state: nothing here sends e-mail or changes data.

Connected to pre_save and pre_delete, not post_: the status is then recomputed when the transaction
commits *before* the page cache's content version is bumped for the same save (its receivers are
post_save and post_delete, and on-commit callbacks run in the order they were registered). A page
rendered in between is stored under the old version, which the bump retires: no page keeps the old
status under the new version.

A material's save or delete, and an event's (publishing or withdrawing an event publishes or
withdraws its documents), may change the status too: it is recomputed when that commits, and
when it changed, ``accessibility.status_changed`` makes the page cache refresh every page."""

from django.db import transaction
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver

from events.models import Event
from materials.models import Material

from .models import AccessibilityStatement, AuditRun, ManualFinding


@receiver([pre_save, pre_delete], sender=AuditRun, dispatch_uid="pages-status-audit")
@receiver([pre_save, pre_delete], sender=ManualFinding, dispatch_uid="pages-status-finding")
@receiver([pre_save, pre_delete], sender=AccessibilityStatement, dispatch_uid="pages-status-statement")
@receiver([pre_save, pre_delete], sender=Material, dispatch_uid="pages-status-material")
@receiver([pre_save, pre_delete], sender=Event, dispatch_uid="pages-status-event")
def evidence_changed(**kwargs):
    from .accessibility import refresh_status

    transaction.on_commit(refresh_status)
