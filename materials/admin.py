"""The event form's "Documentation" part: the event's materials as a compact inline below the
programme (events.admin.events.add_inline), saved with the event in one submit and one revision
of its history. An upload is checked from its content (validation.py) and refused with a message
in the staff member's language; a PDF's accessibility check is shown beside its file."""

import datetime

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.admin.base import URL_FIELDS, OptionalTranslationsMixin
from events.admin.events import add_inline
from events.models import ProgrammeSlot, Workshop

from . import files
from .models import Material

# What the accessibility statement does with a document (Material.statement_listing), for staff.
STATEMENT_LISTING = {
    "non_accessible": _(
        "Listed in the accessibility statement as non-accessible content, with its alternative "
        "(once the event is published)."
    ),
    "exempt": _(
        "Listed in the accessibility statement as outside the scope of the law (published before 23 September 2018)."
    ),
}


class MaterialForm(forms.ModelForm):
    # Addresses typed without a scheme ("www.example.org") are taken as https.
    url = forms.URLField(
        label=capfirst(Material._meta.get_field("url").verbose_name),
        help_text=Material._meta.get_field("url").help_text,
        max_length=500,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = Material
        fields = (
            "kind",
            "language",
            "access",
            "order",
            "title_de",
            "title_fr",
            "file",
            "url",
            "slot",
            "workshop",
            "other_version",
            "alt_text_de",
            "alt_text_fr",
            "credit",
            "licence",
            "published_on",
            "alternative_de",
            "alternative_fr",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty (a row sent by a script, a field cleared): the date it had, or today for a new one.
        self.fields["published_on"].required = False

    def clean_published_on(self):
        return self.cleaned_data.get("published_on") or self.instance.published_on or datetime.date.today()

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile) and "file" in self.changed_data:
            files.attach(self.instance, upload)  # a ValidationError shows under the field
            return self.instance.file
        if upload is False or (not upload and "file" in self.changed_data):
            files.forget_link(self.instance)
        return upload


class MaterialFormSet(forms.BaseInlineFormSet):
    """The event's materials. An event form sent without them (a page opened before the site
    had materials, a script that posts the event's fields) leaves them as they are, where
    Django would refuse the whole event form for the missing management form."""

    def __init__(self, data=None, files=None, *args, prefix=None, **kwargs):
        prefix = prefix or self.get_default_prefix()
        if data is not None and f"{prefix}-TOTAL_FORMS" not in data:
            data = data.copy()
            data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = "0"
        super().__init__(data, files, *args, prefix=prefix, **kwargs)


def read_once(iterator_class):
    """A ModelChoiceIterator class whose choices are read from the database once, when the first
    form's select is rendered, for the field and every copy of it (each row of the inline gets
    one): a query per select, not per select and row."""
    choices = []

    class ReadOnce(iterator_class):
        def __iter__(self):
            if not choices:
                choices.extend(super().__iter__())
            yield from choices

        def __len__(self):
            return len(choices) if choices else super().__len__()

    return ReadOnce


class MaterialInline(OptionalTranslationsMixin, admin.StackedInline):
    """Both languages of a title or an alternative text side by side, as in the programme editor
    (no tabs)."""

    model = Material
    form = MaterialForm
    formset = MaterialFormSet
    fk_name = "event"
    extra = 0
    formfield_overrides = URL_FIELDS
    verbose_name = _("document, photo or video")
    verbose_name_plural = _("Documentation (documents, photos, videos)")
    classes = ("materials-inline",)
    template = "admin/materials/material/inline.html"
    readonly_fields = ("file_check",)
    fieldsets = [
        (
            # Named: a fieldset without a legend has no name for assistive technology (pa11y, make audit).
            _("Document or link"),
            {
                "fields": [
                    ("kind", "language", "access", "order"),
                    ("title_de", "title_fr"),
                    ("file", "file_check"),
                    "url",
                ]
            },
        ),
        # Folded (Django's <details>, no script; open when one of its fields has an error).
        (_("Where it belongs"), {"fields": [("slot", "workshop", "other_version")], "classes": ["collapse"]}),
        (_("Photos"), {"fields": [("alt_text_de", "alt_text_fr"), ("credit", "licence")], "classes": ["collapse"]}),
        (
            _("Accessibility statement"),
            {"fields": ["published_on", ("alternative_de", "alternative_fr")], "classes": ["collapse"]},
        ),
    ]

    def get_formset(self, request, obj=None, **kwargs):
        self.parent_event = obj  # the choices of slot, workshop and other version are this event's
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        event = getattr(self, "parent_event", None)
        querysets = {
            "slot": ProgrammeSlot.objects.filter(event=event).order_by("start", "pk"),
            "workshop": Workshop.objects.filter(slot__event=event).select_related("slot"),
            "other_version": Material.objects.filter(event=event).in_order(),
        }
        if db_field.name not in querysets:
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        kwargs["queryset"] = querysets[db_field.name] if event is not None else db_field.related_model.objects.none()
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        field.iterator = read_once(field.iterator)
        return field

    @admin.display(description=_("file check"))
    def file_check(self, material):
        if not material or not material.file:
            return "–"
        text = f"{material.format_label}, {filesizeformat(material.size)}"
        if material.accessibility == Material.Accessibility.ACCESSIBLE:
            return format_html(
                "{} · <strong>{}</strong>", text, gettext("accessible PDF (tagged, language and title set)")
            )
        if material.accessibility == Material.Accessibility.NOT_ACCESSIBLE:
            problems = ", ".join(str(p) for p in material.accessibility_problem_list())
            text = format_html("{} · <strong>{}</strong> {}", text, gettext("not accessible:"), problems)
        listing = STATEMENT_LISTING.get(material.statement_listing)
        return format_html("{}<br>{}", text, listing) if listing else text


add_inline(MaterialInline)
