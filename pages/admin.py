"""The secretariat's screens for the site pages, the publisher's data, the accessibility statement
and its evidence, and the feedback received.

The same editing experience as events (events/admin): FR/DE tabs (django-modeltranslation), the
side-by-side translation page (events' ``texts_view`` with ``pages.translation_forms``), a
history with restore (events' ``HistoryAdmin``, django-reversion), the page's address in each
language (an unpublished page is a preview for staff), and warnings for every required text or
legal field left empty in one language — shown on the form and after each save, never silently.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from events.admin.base import object_missing
from events.admin.history import HistoryAdmin
from events.admin.translation import texts_view
from events.language import language_codes, native_name

from .forms import SignLanguageVideoForm
from .models import (
    AccessibilityStatement,
    AuditFinding,
    AuditPage,
    AuditRun,
    Feedback,
    ManualFinding,
    Organisation,
    SignLanguageVideo,
    SitePage,
)
from .translation_forms import LEGAL_KINDS, SitePageTexts


def warn_missing(request, missing, intro):
    if missing:
        messages.warning(request, format_html("{} {}", intro, ", ".join(str(label) for label in missing)))


class SingletonAdmin(HistoryAdmin, TabbedTranslationAdmin):
    """One record, edited in place: the list goes straight to it."""

    # Adding is allowed (the admin asks on every page's side bar, where a query each would cost
    # every page): add_view and the list lead to the one record once it exists.
    def add_view(self, request, form_url="", extra_context=None):
        if self.model.objects.filter(pk=1).exists():
            return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[1]))
        return super().add_view(request, form_url, extra_context)

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        info = self.opts.app_label, self.opts.model_name
        if self.model.objects.filter(pk=1).exists():
            return redirect(reverse(f"admin:{info[0]}_{info[1]}_change", args=[1]))
        return redirect(reverse(f"admin:{info[0]}_{info[1]}_add"))


class SignLanguageVideoInline(admin.StackedInline):
    """The sign-language page's videos: DGS for the German page, LSF for the French one."""

    model = SignLanguageVideo
    form = SignLanguageVideoForm
    # The materials' stacked inline: a dash, not a colon, after "Video" (French typography), and
    # the video's title marked with its language.
    template = "admin/materials/material/inline.html"
    fieldsets = [
        # Named: a fieldset without a legend has no name for assistive technology (pa11y, make audit).
        (_("Video, captions and transcript"), {"fields": ["language", "title", "video", "captions", "transcript"]}),
        (_("Poster and order"), {"fields": ["poster", "order"]}),
    ]
    extra = 0
    verbose_name = _("sign-language video")
    verbose_name_plural = _("Videos in sign language (with captions and transcript)")


@admin.register(SitePage)
class SitePageAdmin(HistoryAdmin, TabbedTranslationAdmin):
    list_display = ("shown_title", "kind", "published", "order", "translation_status", "view_on_site_links")
    list_filter = ("kind", "published")
    list_editable = ("order",)
    search_fields = ("title_de", "title_fr", "body_de", "body_fr")
    fieldsets = [
        # Every group has a name (a fieldset without a legend is nameless to a screen reader).
        (_("Text"), {"fields": ["kind", "title", "slug", "summary", "body"]}),
        (_("Publishing"), {"fields": ["published", "order"]}),
    ]

    # Declared so that django-reversion follows the videos: a version of the page holds its
    # videos, and restoring it brings a deleted video back (its files are kept while a version
    # names them, pages/sign_language.py).
    inlines = [SignLanguageVideoInline]

    def view_on_site(self, obj):
        return obj.get_absolute_url(settings_language())

    def get_inlines(self, request, obj):
        # Only the sign-language page has videos.
        return [SignLanguageVideoInline] if obj is not None and obj.kind == SitePage.Kind.SIGN_LANGUAGE else []

    @admin.display(description=_("title"))
    def shown_title(self, obj):
        return str(obj)

    @admin.display(description=_("translation"))
    def translation_status(self, obj):
        missing = obj.missing_texts()
        if not missing:
            return gettext("complete")
        return format_html(
            '{}<br><a class="translation-link" href="{}">{}</a>',
            gettext("missing: %(texts)s") % {"texts": ", ".join(missing)},
            reverse("admin:pages_sitepage_translate", args=[obj.pk]),
            gettext("Translate side by side"),
        )

    def get_urls(self):
        translate = self.admin_site.admin_view(self.translation_view)
        return [path("<path:object_id>/translate/", translate, name="pages_sitepage_translate"), *super().get_urls()]

    def translation_view(self, request, object_id):
        """Both languages of every text of the page side by side (events' translation page)."""
        try:
            page = self.get_queryset(request).filter(pk=object_id).first()
        except (ValueError, ValidationError):  # not a number
            page = None
        if page is None:
            return object_missing(self, request, object_id)
        return texts_view(self, request, page, SitePageTexts)

    @admin.display(description=_("on the site"))
    def view_on_site_links(self, obj):
        return format_html_join(
            " · ",
            '<a href="{}" hreflang="{}">{}</a>',
            ((obj.get_absolute_url(c), c, native_name(c)) for c in language_codes()),
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk and request.method == "GET":
            context["page_warnings"] = self.warnings(obj)
            context["site_urls"] = [
                {"code": code, "name": native_name(code), "url": obj.get_absolute_url(code)}
                for code in language_codes()
            ]
        if obj is not None and obj.pk:
            context["translate_url"] = reverse("admin:pages_sitepage_translate", args=[obj.pk])
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    change_form_template = "admin/pages/sitepage/change_form.html"

    @staticmethod
    def warnings(page):
        missing = list(page.missing_texts())
        if page.kind in LEGAL_KINDS:
            missing += Organisation.current().missing_fields()
        return missing

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        missing = self.warnings(obj)
        if obj.published:
            warn_missing(request, missing, gettext("Published with texts or required legal data missing:"))
        else:
            warn_missing(request, missing, gettext("Still missing before publishing:"))


def settings_language():
    from django.utils import translation

    return translation.get_language()


@admin.register(Organisation)
class OrganisationAdmin(SingletonAdmin):
    fieldsets = [
        (_("The association"), {"fields": ["name", "legal_form", "representatives", "is_example"]}),
        (_("Address and contact"), {"fields": ["street", ("postal_code", "locality"), "country", "email", "phone"]}),
        (_("Register entry"), {"fields": ["register_court", "register_number", "vat_id"]}),
        (_("Responsible for the content"), {"fields": ["publication_director", "host"]}),
        (_("Data protection"), {"fields": ["data_protection_officer", "supervisory_authority"]}),
    ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and request.method == "GET":
            missing = obj.missing_fields()
            warn_missing(request, missing, gettext("The legal pages need these fields:"))
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        warn_missing(request, obj.missing_fields(), gettext("Saved; the legal pages still need these fields:"))


@admin.register(AccessibilityStatement)
class AccessibilityStatementAdmin(SingletonAdmin):
    fields = ["prepared_on", "reviewed_on", "method", "answer_days"]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.is_stale() and request.method == "GET":
            messages.warning(
                request,
                gettext(
                    "The statement was last reviewed more than a year ago (%(date)s): review it, run make audit "
                    "and import the results."
                )
                % {"date": obj.reviewed_on.isoformat()},
            )
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


@admin.register(ManualFinding)
class ManualFindingAdmin(HistoryAdmin, TabbedTranslationAdmin):
    list_display = ("title", "criterion", "reason", "found_on", "resolved_on")
    list_filter = ("reason", ("resolved_on", admin.EmptyFieldListFilter))
    search_fields = ("title_de", "title_fr", "criterion")
    fields = ["title", "description", "criterion", "reason", "alternative", "found_on", "resolved_on"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AuditFindingInline(admin.TabularInline):
    model = AuditFinding
    fields = ("page", "tool", "rule", "element", "message", "accessibility")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AuditRun)
class AuditRunAdmin(ReadOnlyAdmin):
    list_display = ("performed_at", "imported_at", "page_count", "accessibility_findings", "source")
    readonly_fields = ("performed_at", "imported_at", "source", "seconds")
    inlines = [AuditFindingInline]

    def get_queryset(self, request):
        from django.db.models import Count, Q

        return (
            super()
            .get_queryset(request)
            .annotate(
                page_total=Count("pages", distinct=True),
                finding_total=Count("findings", filter=Q(findings__accessibility=True), distinct=True),
            )
        )

    @admin.display(description=_("pages"))
    def page_count(self, obj):
        return obj.page_total

    @admin.display(description=_("accessibility findings"))
    def accessibility_findings(self, obj):
        return obj.finding_total


@admin.register(AuditPage)
class AuditPageAdmin(ReadOnlyAdmin):
    list_display = ("label", "path", "language", "status", "run")
    list_filter = ("language",)
    readonly_fields = ("run", "label", "path", "language", "status")

    def get_model_perms(self, request):
        return {}  # reached from an audit, not from the index


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("received_at", "topic", "email", "language", "status", "answer_due_shown")
    list_filter = ("status", "topic", "language")
    search_fields = ("email", "name", "message", "page")
    readonly_fields = (
        "received_at",
        "topic",
        "name",
        "email",
        "page",
        "message",
        "language",
        "answer_due",
        "secretariat_notified_at",
        "acknowledged_at",
    )
    fieldsets = [
        (_("Received message"), {"fields": ["received_at", "topic", "page", "message", "language"]}),
        (_("Sender"), {"fields": ["name", "email"]}),
        (_("Handling"), {"fields": ["status", "answer_due", "notes", "secretariat_notified_at", "acknowledged_at"]}),
    ]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("answer due by"), ordering="answer_due")
    def answer_due_shown(self, obj):
        if obj.is_overdue():
            return format_html('<strong class="overdue">{} – {}</strong>', obj.answer_due, capfirst(gettext("overdue")))
        return obj.answer_due
