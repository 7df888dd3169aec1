"""The pages a public body's website must have, kept by the secretariat in German and French.

- ``SitePage``: one record per page, both languages side by side (django-modeltranslation). The
  four pages the law and the accessibility rules ask for have a ``kind`` and a fixed, translated
  address (``/de/impressum/``, ``/fr/mentions-legales/`` …, pages/urls.py), so every footer — the
  error pages' too — links them without asking the database; further pages staff add live under
  ``/de/info/<slug>/`` with a slug per language.
- ``Organisation``: the data the Impressum (§ 5 DDG, § 18 MStV), the mentions légales (LCEN art. 6)
  and the privacy notice (GDPR art. 13) must give, as fields, so that nothing required can be
  left out unnoticed (``missing_fields``). One record.
- ``AccessibilityStatement``: the statement's dates and method (one record); its status and the
  list of non-accessible content come from ``AuditRun`` (``manage.py import_audit``, the output of
  ``make audit``) and ``ManualFinding`` (what staff found themselves) — see pages/accessibility.py.
- ``Feedback``: messages sent with the feedback form, with a status and the date an answer is due.
"""

import datetime
import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from events.images import CleanImageField, validate_image
from events.language import language_codes, translated_value, with_language
from events.slugs import slug_from_title
from materials.validation import safe_name

# The pages whose address is fixed (pages/urls.py), by kind.
FIXED_URL_NAMES = {
    "legal_notice": "pages:legal_notice",
    "privacy": "pages:privacy",
    "accessibility": "pages:accessibility",
    "easy_language": "pages:easy_language",
    "sign_language": "pages:sign_language",
}


class SitePageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class SitePage(models.Model):
    class Kind(models.TextChoices):
        LEGAL_NOTICE = "legal_notice", _("Legal notice (Impressum)")
        PRIVACY = "privacy", _("Privacy notice")
        ACCESSIBILITY = "accessibility", _("Accessibility statement")
        EASY_LANGUAGE = "easy_language", _("Easy language")
        SIGN_LANGUAGE = "sign_language", _("Sign language")
        OTHER = "other", _("Other page")

    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.OTHER,
        help_text=_("Each page the law asks for exists once, at its fixed address; any number of other pages."),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("address"),
        max_length=200,
        blank=True,
        help_text=_("The last part of the address of an “other page”; German spells ä, ö, ü, ß as ae, oe, ue, ss."),
    )
    summary = models.CharField(
        _("summary"), max_length=300, blank=True, help_text=_("One sentence, shown to search engines.")
    )
    body = models.TextField(
        _("text"), blank=True, help_text=_("Markdown: a blank line between paragraphs, ## for a heading.")
    )
    published = models.BooleanField(_("published"), default=False)
    order = models.PositiveSmallIntegerField(
        _("order"), default=100, help_text=_("The order of the pages in the admin and in the sitemap.")
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = SitePageQuerySet.as_manager()

    class Meta:
        verbose_name = _("site page")
        verbose_name_plural = _("site pages")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind"], condition=~Q(kind="other"), name="one_page_per_legal_kind"),
        ]

    def __str__(self):
        return self.title or self.get_kind_display()

    def get_absolute_url(self, language=None):
        language = language or translation.get_language() or settings.LANGUAGE_CODE
        with translation.override(language):
            name = FIXED_URL_NAMES.get(self.kind)
            if name:
                return reverse(name)
            return reverse("pages:page", kwargs={"slug": translated_value(self, "slug", language)})

    def clean(self):
        errors = {}
        if not any(getattr(self, f"title_{code}", "") for code in language_codes()):
            errors[f"title_{settings.LANGUAGE_CODE}"] = _("A title is needed in at least one language.")
        if self.kind == self.Kind.OTHER:
            for code in language_codes():
                title = getattr(self, f"title_{code}", "")
                if title and not getattr(self, f"slug_{code}", ""):
                    setattr(self, f"slug_{code}", slug_from_title(title, code))
                slug = getattr(self, f"slug_{code}", "")
                if slug and SitePage.objects.exclude(pk=self.pk).filter(**{f"slug_{code}": slug}).exists():
                    errors[f"slug_{code}"] = _("Another page has this address.")
        if errors:
            raise ValidationError(errors)

    def required_texts(self):
        """The texts a reader of either language must find on the page. The accessibility
        statement's text is generated from its evidence; a body is optional there."""
        return ("title",) if self.kind == self.Kind.ACCESSIBILITY else ("title", "body")

    def missing_texts(self):
        """(label, language) of the texts a reader of that language would not find in it; on the
        sign-language page, the video of each language's sign language."""
        missing = []
        for field in self.required_texts():
            for code in language_codes():
                if not getattr(self, f"{field}_{code}", ""):
                    missing.append(with_language(SitePage._meta.get_field(field).verbose_name, code))
        if self.kind == self.Kind.SIGN_LANGUAGE and self.pk:
            present = set(self.videos.values_list("language", flat=True))
            missing += [label for code, label in SignLanguageVideo.Language.choices if code not in present]
        return missing


def new_folder():
    return secrets.token_hex(16)


def sign_language_upload_path(instance, filename):
    """The video's own folder (random, never guessed, shared by its video, captions and poster),
    the name made safe with the extension of the file's real type."""
    extension = PurePosixPath(filename).suffix.lstrip(".").lower()
    return f"sign-language/{instance.folder}/{safe_name(filename, extension)}"


class SignLanguageVideoQuerySet(models.QuerySet):
    def on_published_page(self):
        return self.filter(page__published=True, page__kind=SitePage.Kind.SIGN_LANGUAGE)


class SignLanguageVideo(models.Model):
    """An explanation of the site in German Sign Language on the German page, in French Sign
    Language on the French page (BITV 2.0 § 4), with captions and a transcript for those who do
    not sign. Files checked by pages/sign_language.py."""

    class Language(models.TextChoices):
        DGS = "de", _("Video in German Sign Language (DGS), on the German page")
        LSF = "fr", _("Video in French Sign Language (LSF), on the French page")

    page = models.ForeignKey(
        SitePage,
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="videos",
        limit_choices_to={"kind": SitePage.Kind.SIGN_LANGUAGE},
    )
    language = models.CharField(_("sign language"), max_length=2, choices=Language.choices)
    title = models.CharField(
        _("title"), max_length=200, help_text=_("In the language of the page the video is shown on.")
    )
    video = models.FileField(
        _("video"), upload_to=sign_language_upload_path, max_length=300, help_text=_("MP4 or WebM.")
    )
    captions = models.FileField(
        _("captions (WebVTT)"),
        upload_to=sign_language_upload_path,
        max_length=300,
        help_text=_("A .vtt file: what is signed, as text in time with the video."),
    )
    transcript = models.TextField(
        _("transcript"),
        help_text=_("Everything the video says, as text, for those who neither sign nor can watch the video."),
    )
    poster = CleanImageField(
        _("poster image"),
        upload_to=sign_language_upload_path,
        max_length=300,
        blank=True,
        validators=[validate_image],
        help_text=_("Optional: the picture shown before the video plays."),
    )
    media_type = models.CharField(max_length=20, editable=False, default="video/mp4")
    folder = models.CharField(max_length=32, editable=False, default=new_folder)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = SignLanguageVideoQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-language video")
        verbose_name_plural = _("sign-language videos")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.page.get_absolute_url(self.language)}#video-{self.pk}"

    @property
    def label_language(self):
        """The language of the title (the admin marks it with ``lang``)."""
        return self.language

    @property
    def sign_language(self):
        """The sign language's short name, as visitors know it: DGS, LSF."""
        return self.Language(self.language).name

    def get_captions_url(self):
        with translation.override(self.language):
            return reverse("pages:sign_language_captions", kwargs={"pk": self.pk})


class Organisation(models.Model):
    """The association that publishes the site. One record (pk 1); its required fields are the
    ones the Impressum, the mentions légales and the privacy notice cannot do without."""

    name = models.CharField(_("name"), max_length=200, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=200, blank=True, help_text=_("e.g. eingetragener Verein"))
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    locality = models.CharField(_("town"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    representatives = models.TextField(
        _("represented by"), blank=True, help_text=_("The board members entitled to represent the association.")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    register_court = models.CharField(_("register court"), max_length=200, blank=True)
    register_number = models.CharField(_("register number"), max_length=50, blank=True)
    vat_id = models.CharField(_("VAT identification number"), max_length=50, blank=True, help_text=_("If any."))
    publication_director = models.CharField(
        _("publication director"),
        max_length=200,
        blank=True,
        help_text=_("Directeur de la publication (LCEN art. 6); responsible for the content under § 18 MStV."),
    )
    host = models.TextField(
        _("hosting provider"), blank=True, help_text=_("Name, address and telephone of the hosting company.")
    )
    data_protection_officer = models.TextField(
        _("data protection officer"), blank=True, help_text=_("Name or office and how to reach them.")
    )
    supervisory_authority = models.TextField(
        _("competent supervisory authority"),
        blank=True,
        help_text=_("The data protection authority competent for the association, with its address."),
    )
    is_example = models.BooleanField(
        _("example data"), default=False, help_text=_("Demo content: every page says so until real data is entered.")
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    # The fields the law asks for; the translated ones in each language.
    REQUIRED = (
        "name",
        "legal_form",
        "street",
        "postal_code",
        "locality",
        "country",
        "representatives",
        "email",
        "register_court",
        "register_number",
        "publication_director",
        "host",
        "data_protection_officer",
        "supervisory_authority",
    )
    TRANSLATED = ("legal_form", "locality", "country", "representatives", "register_court", "host")

    class Meta:
        verbose_name = _("publisher of the site")
        verbose_name_plural = _("publisher of the site")

    def __str__(self):
        return self.name or str(self._meta.verbose_name)

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls):
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def missing_fields(self):
        """Labels of the required fields left empty ("Rechtsform (Französisch)" per language)."""
        missing = []
        for name in self.REQUIRED:
            label = self._meta.get_field(name).verbose_name
            if name in self.TRANSLATED:
                missing += [
                    with_language(label, code) for code in language_codes() if not getattr(self, f"{name}_{code}")
                ]
            elif not getattr(self, name):
                missing.append(str(label))
        return missing


class AccessibilityStatement(models.Model):
    """How and when the statement was prepared (the EU model statement's last part). One record."""

    prepared_on = models.DateField(_("statement prepared on"), default=datetime.date.today)
    reviewed_on = models.DateField(_("last reviewed on"), default=datetime.date.today)
    method = models.TextField(
        _("how it was prepared"),
        blank=True,
        help_text=_("e.g. a self-assessment with automated tests (axe, pa11y, Lighthouse) and manual checks."),
    )
    answer_days = models.PositiveSmallIntegerField(
        _("answer within (days)"),
        default=14,
        help_text=_("The feedback form promises an answer within this many days."),
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statement")

    def __str__(self):
        return str(self._meta.verbose_name)

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls):
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @property
    def next_review(self):
        """A year after the last review (Directive (EU) 2016/2102: reviewed at least yearly)."""
        return self.reviewed_on.replace(year=self.reviewed_on.year + 1) if self.reviewed_on else None

    def is_stale(self, today=None):
        today = today or timezone.localdate()
        return self.next_review is not None and today > self.next_review


class AuditRun(models.Model):
    """One `make audit` (its test-artifacts/audit/results.json), imported."""

    performed_at = models.DateTimeField(_("audited at"))
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    source = models.CharField(_("file"), max_length=500, blank=True)
    seconds = models.PositiveIntegerField(_("duration (seconds)"), default=0)

    class Meta:
        verbose_name = _("automated audit")
        verbose_name_plural = _("automated audits")
        ordering = ["-performed_at", "-pk"]
        get_latest_by = "performed_at"

    def __str__(self):
        return _("Audit of %(date)s") % {"date": timezone.localtime(self.performed_at).strftime("%Y-%m-%d %H:%M")}


class AuditPage(models.Model):
    run = models.ForeignKey(AuditRun, verbose_name=_("audit"), on_delete=models.CASCADE, related_name="pages")
    label = models.CharField(_("page"), max_length=200)
    path = models.CharField(_("address"), max_length=500)
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)

    class Meta:
        verbose_name = _("audited page")
        verbose_name_plural = _("audited pages")
        ordering = ["run", "label"]

    def __str__(self):
        return self.label


class AuditFinding(models.Model):
    run = models.ForeignKey(AuditRun, verbose_name=_("audit"), on_delete=models.CASCADE, related_name="findings")
    page = models.ForeignKey(
        AuditPage, verbose_name=_("page"), on_delete=models.CASCADE, related_name="findings", null=True, blank=True
    )
    tool = models.CharField(_("tool"), max_length=50)
    rule = models.CharField(_("rule"), max_length=200)
    element = models.TextField(_("element"), blank=True)
    message = models.TextField(_("message"), blank=True)
    accessibility = models.BooleanField(
        _("about accessibility"), default=True, help_text=_("Performance and typography findings are not.")
    )

    class Meta:
        verbose_name = _("audit finding")
        verbose_name_plural = _("audit findings")
        ordering = ["run", "page", "tool", "rule"]

    def __str__(self):
        return f"{self.tool} · {self.rule}"


class ManualFindingQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_on__isnull=True)


class ManualFinding(models.Model):
    """Content that is not accessible, found by people (a screen reader user, a check by hand)."""

    class Reason(models.TextChoices):
        NON_COMPLIANCE = "non_compliance", _("Non-compliance")
        DISPROPORTIONATE = "disproportionate", _("Disproportionate burden")
        OUT_OF_SCOPE = "out_of_scope", _("Not within the scope of the applicable legislation")

    title = models.CharField(_("what is not accessible"), max_length=300)
    description = models.TextField(_("details"), blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, default=Reason.NON_COMPLIANCE)
    alternative = models.TextField(_("accessible alternative"), blank=True)
    criterion = models.CharField(_("WCAG criterion"), max_length=50, blank=True, help_text=_("e.g. 1.4.3"))
    found_on = models.DateField(_("found on"), default=datetime.date.today)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)

    objects = ManualFindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("manual finding")
        verbose_name_plural = _("manual findings")
        ordering = ["resolved_on", "-found_on", "pk"]

    def __str__(self):
        return self.title


class Feedback(models.Model):
    class Topic(models.TextChoices):
        ACCESSIBILITY = "accessibility", _("Accessibility: something I cannot use or read")
        SITE = "site", _("The website in general")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed without answer")

    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, default=Topic.ACCESSIBILITY)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"))
    page = models.CharField(
        _("page concerned"), max_length=500, blank=True, help_text=_("The address or the name of the page.")
    )
    message = models.TextField(_("message"), max_length=5000)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    received_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)
    answer_due = models.DateField(_("answer due by"))
    notes = models.TextField(_("internal notes"), blank=True)
    secretariat_notified_at = models.DateTimeField(_("secretariat notified"), null=True, blank=True, editable=False)
    acknowledged_at = models.DateTimeField(_("acknowledgement sent"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("feedback message")
        verbose_name_plural = _("feedback messages")
        ordering = ["-received_at", "-pk"]

    def __str__(self):
        return f"{self.get_topic_display()} – {self.email}"

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.status in (self.Status.NEW, self.Status.IN_PROGRESS) and today > self.answer_due
