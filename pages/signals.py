"""Keeps the footer's accessibility status (pages/accessibility.py) in step with its evidence. Only
derived state: nothing here sends e-mail or changes data."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import AccessibilityStatement, AuditRun, ManualFinding


@receiver([post_save, post_delete], sender=AuditRun, dispatch_uid="pages-status-audit")
@receiver([post_save, post_delete], sender=ManualFinding, dispatch_uid="pages-status-finding")
@receiver([post_save, post_delete], sender=AccessibilityStatement, dispatch_uid="pages-status-statement")
def evidence_changed(**kwargs):
    from .accessibility import refresh_status

    transaction.on_commit(refresh_status)
