"""Materials of an event after it (issue 26): documents, photos and links (videos, external
pages), each with a title per language, a kind, the language it is written in and, for a
document that exists in both languages, the link to its other-language version.

A material belongs to an event, and optionally to one programme slot or workshop of it (then
it is shown beside that slot in the programme). It is public, or for the event's registrants
only: those are served by registration's view, which checks the registrant's signed link
(registration/views.py), never from a public address. Every file is stored through the
default storage under ``materials/<random>/<safe name>`` (validation.py, storage.py).

Documents in the accessibility statement (Directive (EU) 2016/2102): a document (PDF or office
file) of a published event that is not shown accessible — a PDF the upload check found untagged,
without language or title, a PDF never checked, an office file, which the site cannot check — is
listed automatically in the statement's non-accessible content (pages/accessibility.py), with the
reason in the reader's language and the alternative staff give (``alternative``; by default on
request from the secretariat). Documents published before 23 September 2018 are exempt (art.
1(4)(a): office file formats, which recital 26 says include PDF): listed as content outside the
scope of the law instead. Registrants-only documents are published content too: listed as well,
without a link (the address is their personal link's).
"""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Event, ProgrammeSlot, Workshop

from . import validation

# Directive (EU) 2016/2102, art. 1(4)(a): office file formats published before this day are exempt.
EXEMPT_BEFORE = datetime.date(2018, 9, 23)
DOCUMENT_MEDIA_TYPES = (
    validation.PDF.media_type,
    *(kind.media_type for kind in validation.OOXML.values()),
    *(kind.media_type for kind in validation.ODF.values()),
)


def upload_path(instance, filename):
    """A folder of its own with a random name (never guessed, never shared), the name made safe
    with the extension of the file's real type (validation.safe_name)."""
    return f"materials/{secrets.token_hex(16)}/{validation.safe_name(filename, instance.format_extension)}"


class MaterialQuerySet(models.QuerySet):
    def public(self):
        return self.filter(access=Material.Access.PUBLIC)

    def for_registrants(self):
        return self.filter(access=Material.Access.REGISTRANTS)

    def in_order(self):
        return self.order_by("order", "pk")

    def not_shown_accessible(self):
        """The documents (PDF, office files) of published events not shown to be accessible: a
        PDF that failed the check or was never checked, any office file (not checkable here)."""
        return (
            self.filter(event__in=Event.objects.published(), media_type__in=DOCUMENT_MEDIA_TYPES)
            .exclude(file="")
            .exclude(accessibility=Material.Accessibility.ACCESSIBLE)
        )

    def non_accessible(self):
        """What the accessibility statement lists as non-accessible content (and makes its status
        "partially compliant" at best)."""
        return self.not_shown_accessible().filter(published_on__gte=EXEMPT_BEFORE)

    def exempt(self):
        """What it lists as outside the scope of the law: published before 23 September 2018."""
        return self.not_shown_accessible().filter(published_on__lt=EXEMPT_BEFORE)


class Material(models.Model):
    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("Programme")
        SLIDES = "slides", _("Slides")
        MINUTES = "minutes", _("Minutes")
        SUMMARY = "summary", _("Summary")
        PHOTO = "photo", _("Photo")
        VIDEO = "video", _("Video")
        OTHER = "other", _("Other document")

    class Language(models.TextChoices):
        GERMAN = "de", _("German")
        FRENCH = "fr", _("French")
        BOTH = "both", _("German and French")
        NONE = "none", _("No language (e.g. a photo)")

    class Access(models.TextChoices):
        PUBLIC = "public", _("Public")
        REGISTRANTS = "registrants", _("Registrants only (through their personal link)")

    class Accessibility(models.TextChoices):
        NOT_APPLICABLE = "", _("Not a PDF")
        ACCESSIBLE = "accessible", _("Tagged, with language and title")
        NOT_ACCESSIBLE = "not_accessible", _("Not accessible")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="materials")
    slot = models.ForeignKey(
        ProgrammeSlot,
        verbose_name=_("programme slot"),
        on_delete=models.CASCADE,
        related_name="materials",
        null=True,
        blank=True,
        help_text=_("Shown beside this slot in the programme (optional)."),
    )
    workshop = models.ForeignKey(
        Workshop,
        verbose_name=_("workshop"),
        on_delete=models.CASCADE,
        related_name="materials",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    language = models.CharField(_("language"), max_length=4, choices=Language.choices, default=Language.BOTH)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=upload_path, max_length=300, blank=True)
    url = models.URLField(
        _("link"), max_length=500, blank=True, help_text=_("A video or an external page, instead of a file.")
    )
    other_version = models.ForeignKey(
        "self",
        verbose_name=_("version in the other language"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    access = models.CharField(_("access"), max_length=20, choices=Access.choices, default=Access.PUBLIC)
    order = models.PositiveIntegerField(_("order"), default=0)
    # What the upload was found to be (validation.py), kept for the page: format, size, media type.
    format_label = models.CharField(_("format"), max_length=20, blank=True, editable=False)
    format_extension = models.CharField(max_length=10, blank=True, editable=False)
    media_type = models.CharField(max_length=120, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("size"), default=0, editable=False)
    accessibility = models.CharField(
        _("accessibility check"), max_length=20, choices=Accessibility.choices, blank=True, editable=False
    )
    accessibility_problems = models.CharField(_("accessibility problems"), max_length=200, blank=True, editable=False)
    # Photos
    alt_text = models.CharField(
        _("text alternative"),
        max_length=300,
        blank=True,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    credit = models.CharField(_("credit"), max_length=200, blank=True, help_text=_("E.g. “Photo: Marie Weber”."))
    licence = models.CharField(_("licence"), max_length=100, blank=True, help_text=_("E.g. “CC BY 4.0”."))
    # The accessibility statement
    published_on = models.DateField(
        _("published on"),
        default=datetime.date.today,
        help_text=_("Documents published before 23 September 2018 are outside the scope of the accessibility law."),
    )
    alternative = models.CharField(
        _("accessible alternative"),
        max_length=300,
        blank=True,
        help_text=_(
            "How people get this document in an accessible form, shown in the accessibility statement "
            "if it is not accessible. Empty: on request from the secretariat, with its contact."
        ),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = MaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("documentation (documents, photos, videos)")
        ordering = ("order", "pk")

    def __str__(self):
        return self.title or self.url or self.file.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The link goes both ways: the other version names this one, and no third one does.
        if self.other_version_id:
            type(self).objects.filter(other_version=self).exclude(pk=self.other_version_id).update(other_version=None)
            type(self).objects.filter(pk=self.other_version_id).update(other_version=self)
        else:
            type(self).objects.filter(other_version=self).update(other_version=None)

    def clean(self):
        errors = {}
        if not (self.title_de or self.title_fr):
            errors["title_de"] = _("Give a title in at least one language.")
        if bool(self.file) == bool(self.url):
            errors["url"] = _("Give either a file or a link, not both and not neither.")
        if self.workshop_id and self.slot_id and self.workshop.slot_id != self.slot_id:
            errors["workshop"] = _("This workshop belongs to another programme slot.")
        for name in ("slot", "workshop"):
            related = getattr(self, name)
            event_id = related and (related.event_id if name == "slot" else related.slot.event_id)
            if related is not None and self.event_id and event_id != self.event_id:
                errors[name] = _("This belongs to another event.")
        if self.kind == self.Kind.PHOTO and self.url:
            errors["kind"] = _("A photo is an uploaded image, not a link.")
        if self.other_version_id:
            other = self.other_version
            if other.pk == self.pk:
                errors["other_version"] = _("A material cannot be its own other version.")
            elif other.event_id != self.event_id:
                errors["other_version"] = _("The other version belongs to another event.")
            elif {self.language, other.language} != {self.Language.GERMAN, self.Language.FRENCH}:
                errors["other_version"] = _("Versions link a German and a French document.")
        if errors:
            raise ValidationError(errors)

    def shown_in(self, language):
        """Whether a visitor reading ``language`` sees this first (its own language, both or none)."""
        return self.language in (language, self.Language.BOTH, self.Language.NONE)

    @property
    def is_photo(self):
        return self.kind == self.Kind.PHOTO and self.media_type.startswith("image/")

    @property
    def is_public(self):
        return self.access == self.Access.PUBLIC

    @property
    def is_document(self):
        return bool(self.file) and self.media_type in DOCUMENT_MEDIA_TYPES

    @property
    def statement_listing(self):
        """How the accessibility statement lists this document once its event is published:
        "non_accessible", "exempt" (published before 23 September 2018) or "" (not listed)."""
        if not self.is_document or self.accessibility == self.Accessibility.ACCESSIBLE:
            return ""
        return "exempt" if self.published_on and self.published_on < EXEMPT_BEFORE else "non_accessible"

    def accessibility_findings(self):
        """Why it is not shown accessible, in the active language (a list of short phrases)."""
        if self.media_type != validation.PDF.media_type:
            return [_("an office document, whose accessibility cannot be checked")]
        if self.accessibility != self.Accessibility.NOT_ACCESSIBLE:
            return [_("a PDF whose accessibility was not checked")]
        return self.accessibility_problem_list() or [_("a PDF found not accessible")]

    def accessibility_problem_list(self):
        return [
            validation.PDF_PROBLEMS[code]
            for code in self.accessibility_problems.split()
            if code in validation.PDF_PROBLEMS
        ]
