"""History and undo in the admin, with django-reversion.

Why django-reversion and not django-simple-history: reversion keeps *revisions*, a save of an event
together with everything it follows (its slots, their speaker links and workshops), and reverts a
revision as a whole. Restoring an event with its programme, or a deleted event with its
programme, is then one call; simple-history keeps one history table per model and restores one
row at a time. Reversion's admin restores by reverting inside a transaction and showing the
ordinary change form, so the programme editor (an inline of the event form) and the FR/DE tabs
(django-modeltranslation, whose per-language columns are ordinary fields to the serializer) work
unchanged, and the restored version is validated like any other save before it is kept.

What the secretariat sees: a history page per object listing who saved what and when, with what
each save changed, read in the reader's language (events.history), a "restore" link per version
(reversion's revision view: the change form filled in with that version, saved with the normal
validation), and "recover deleted …" in the list. Deleting records the state before the deletion,
so every deleted object can come back.

What a save changed is recorded as it happens (``events.history.Recorder``): the object's state
(an event with its programme) is read just before the save — before reverting, for a restore — and
just after; the revision's comment and the ``LogEntry`` keep the differences as data. Only what the
database holds counts: a box of the form such as "publish anyway" is never a change.
"""

from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, UniqueConstraint
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reversion import add_to_revision, set_comment
from reversion.admin import VersionAdmin
from reversion.models import Version

from .. import history
from ..language import field_label
from .base import object_missing, object_or_none


class HistoryAdmin(VersionAdmin):
    """A model admin whose saves are revisions, with a readable history and restoring."""

    object_history_template = "admin/events/object_history.html"
    history_latest_first = True

    # --- Recording what a save changes --------------------------------------------------------

    @staticmethod
    def recorder(request):
        """What this request's saves changed (one recorder per request)."""
        if not hasattr(request, "history_recorder"):
            request.history_recorder = history.Recorder()
        return request.history_recorder

    @contextmanager
    def create_revision(self, request):
        with super().create_revision(request):
            yield
            recorder = getattr(request, "history_recorder", None)
            if recorder is not None and recorder.done:
                set_comment(recorder.comment())  # the data, not a sentence in the saver's language

    def save_model(self, request, obj, form, change):
        if change:
            self.recorder(request).before(obj)
        super().save_model(request, obj, form, change)

    def construct_change_message(self, request, form, formsets, add=False):
        """What the save changed in the database (the object and, for an event, its programme),
        for the ``LogEntry`` and the revision; called after the object and its inlines are saved."""
        return self.recorder(request).after(form.instance)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Restoring, on the page named in the reader's language. What a restore changes is counted
        from the database as it is before it (reversion reverts the database first, then shows and
        saves the change form)."""
        version = self._version(version_id, object_id=object_id)
        if version is not None and (clash := self.taken_value(version, object_id)):
            # The database would refuse the version (reversion then speaks of a "missing
            # dependency"): say which value another object holds now, on the history page.
            field, value, other = clash
            messages.error(
                request,
                _(
                    "This version cannot be restored: its %(field)s “%(value)s” is used by “%(other)s” "
                    "now. Give one of them another value first."
                )
                % {"field": field_label(field), "value": value, "other": other},
            )
            return redirect(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_history", object_id)
        if version is not None:
            title = _("Restore an earlier version of “%(name)s”") % {"name": history.version_name(version)}
            extra_context = {"title": title, **(extra_context or {})}
            obj = self.model._default_manager.filter(pk=object_id).first() if request.method == "POST" else None
            if obj is not None:
                recorder = history.Recorder("restored", date=version.revision.date_created.isoformat())
                recorder.before(obj)
                request.history_recorder = recorder
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        version = self._version(version_id)
        if version is not None:
            title = _("Bring back “%(name)s”") % {"name": history.version_name(version)}
            extra_context = {"title": title, **(extra_context or {})}
            if request.method == "POST":
                recorder = history.Recorder("recovered", date=version.revision.date_created.isoformat())
                recorder.did_not_exist(self.model, version.object_id)
                request.history_recorder = recorder
        return super().recover_view(request, version_id, extra_context)

    def taken_value(self, version, object_id):
        """(field, value, other object) for the first unique field whose value in ``version``
        another object holds now (a slug taken since), or None."""
        stored = version.field_dict
        opts = self.model._meta
        # Each unique field, and each unique constraint of one field (with its condition).
        unique = [(field, Q()) for field in opts.concrete_fields if field.unique and not field.primary_key]
        for constraint in opts.constraints:
            if isinstance(constraint, UniqueConstraint) and len(constraint.fields) == 1:
                unique.append((opts.get_field(constraint.fields[0]), constraint.condition or Q()))
        unique = [(field, stored[field.attname], condition) for field, condition in unique if stored.get(field.attname)]
        # One query for all of them; then which one it is.
        clashing = Q()
        for field, value, condition in unique:
            clashing |= Q(condition, **{field.attname: value})
        if not unique or (other := self.model._default_manager.filter(clashing).exclude(pk=object_id).first()) is None:
            return None
        found = ((field, value, other) for field, value, _ in unique if getattr(other, field.attname) == value)
        return next(found, (unique[0][0], unique[0][1], other))  # in doubt, the first

    @staticmethod
    def _version(version_id, **filters):
        if not str(version_id).isdigit():
            return None
        return Version.objects.select_related("revision", "content_type").filter(pk=version_id, **filters).first()

    # --- Reading it ---------------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        obj = object_or_none(self, request, object_id)
        if obj is None:
            return object_missing(self, request, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        can_restore = self.has_change_permission(request, obj)
        entries = history.history_of(self.model, obj.pk)
        info = self.opts.app_label, self.opts.model_name
        for number, entry in enumerate(entries):
            entry.is_current = number == 0
            entry.restore_url = (
                reverse(f"{self.admin_site.name}:%s_%s_revision" % info, args=(obj.pk, entry.version.pk))
                if can_restore and number
                else ""
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change history: %s") % obj,
            "subtitle": None,
            "entries": entries,
            "module_name": str(capfirst(self.opts.verbose_name_plural)),
            "object": obj,
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)

    def delete_model(self, request, obj):
        self.record_before_deleting(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self.record_before_deleting(request, list(queryset))
        super().delete_queryset(request, queryset)

    def record_before_deleting(self, request, objects):
        """A last revision with the state being deleted, so "recover deleted" can bring it back even
        when it was never saved in the admin (demo content, imports)."""
        with self.create_revision(request):
            set_comment(history.Recorder("deleted").comment())
            for obj in objects:
                add_to_revision(obj)
