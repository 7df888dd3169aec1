"""The programme on the event's change form: one compact editor, a row per slot with both titles
side by side, the detail (end, description, speakers, workshops) folded under each row.

The forms are ``events.programme.editor_forms``; this inline gives them the admin's place on the page
(saved with the event in one submit, one revision in the history, seen by the publishing
question and the completeness panel) and the admin's person select with its "add another
person" link. The template is admin/events/event/programme_editor.html; static/js/admin-programme.js
adds conveniences (add, move up and down, growing text boxes) to a page that works without it.
"""

from functools import partial

from django import forms
from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..models import Person, ProgrammeSlot, SlotSpeaker, Workshop
from ..programme.editor_forms import ProgrammeFormSet, SlotForm, SpeakerForm, WorkshopForm, line_formset


class SpeakerSearch(admin.TabularInline):
    """Not shown anywhere: Django's ``autocomplete_fields`` for a speaker's person, whose widget
    gives the editor's person select its search as you type (the person admin's ``search_fields``,
    admin/search.py; it needs the right to view people, which the Sekretariat has)."""

    model = SlotSpeaker
    autocomplete_fields = ("person",)

    def person_search(self, request):
        field = SlotSpeaker._meta.get_field("person")
        return self.formfield_for_foreignkey(field, request, queryset=Person.objects.none()).widget


class ProgrammeInline(admin.options.InlineModelAdmin):
    model = ProgrammeSlot
    form = SlotForm
    formset = ProgrammeFormSet
    template = "admin/events/event/programme_editor.html"
    extra = 1  # a blank row to add a slot without JavaScript
    verbose_name = _("programme slot")
    verbose_name_plural = _("programme")

    @property
    def media(self):
        editor = forms.Media(js=["js/admin-programme.js"], css={"all": ["css/admin-programme.css"]})
        return SpeakerSearch(ProgrammeSlot, self.admin_site).person_search(None).media + editor

    def get_queryset(self, request):
        return ProgrammeFormSet.queryset_for(super().get_queryset(request))

    def get_fieldsets(self, request, obj=None):
        return [(None, {"fields": SlotForm._meta.fields})]

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["fields"] = SlotForm._meta.fields  # start, end and day are the form's own
        formset = super().get_formset(request, obj, **kwargs)
        formset.person_widget = partial(self.person_widget, request)
        formset.people_searched = True  # each select holds its chosen person only
        formset.can_change = self.has_change_permission(request, obj)
        formset.speaker_formset = line_formset(SlotSpeaker, SpeakerForm, **permissions(request.user, SlotSpeaker))
        formset.workshop_formset = line_formset(Workshop, WorkshopForm, **permissions(request.user, Workshop))
        return formset

    def person_widget(self, request, select):
        """The person select, searching people as you type, with the admin's link to add a person
        in a pop-up window."""
        search = SpeakerSearch(ProgrammeSlot, self.admin_site).person_search(request)
        widget = PersonSelect(attrs=search.build_attrs(search.attrs, select.attrs))
        widget.choices = select.choices
        if request.user.has_perm("events.add_person"):
            widget.add_url = reverse("admin:events_person_add", current_app=self.admin_site.name)
        return widget


class PersonSelect(forms.Select):
    """A speaker's person select followed by the admin's "add another person" link: the markup of
    the admin's own related-object links (admin/widgets/related_widget_wrapper.html), which the
    admin's RelatedObjectLookups.js opens in a pop-up window and whose new person it selects."""

    template_name = compact_template_name = "admin/events/event/widgets/person_select.html"
    add_url = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["add_url"] = self.add_url
        context["widget"]["model_name"] = Person._meta.verbose_name
        return context


def permissions(user, model):
    """What ``user`` may do with ``model``'s objects, as ``line_formset`` takes it."""
    opts = model._meta
    return {
        f"can_{action}": user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
        for action in ("add", "change", "delete")
    }
