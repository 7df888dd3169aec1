"""The public pages: the four legal pages at their fixed addresses, further pages by slug, the
accessibility statement (and its JSON), and the feedback form.

An unpublished page is a 404 for visitors and a preview for staff (as events' drafts are)."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import FormView, TemplateView
from django_ratelimit.core import is_ratelimited

from . import accessibility, emails
from .forms import FeedbackForm
from .models import AccessibilityStatement, Organisation, SignLanguageVideo, SitePage


def is_staff(request):
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.is_staff)


class SitePageView(TemplateView):
    """A site page; ``kind`` for the fixed ones, else the slug of the URL in the active language."""

    kind = None
    template_name = "pages/page.html"

    def get_page(self):
        language = translation.get_language()
        pages = SitePage.objects.all()
        if not is_staff(self.request):
            pages = pages.published()
        if self.kind:
            page = pages.filter(kind=self.kind).first()
        else:
            slug = self.kwargs["slug"]
            other = [code for code, _name in settings.LANGUAGES if code != language]
            # The language's own slug, or (when it has none yet) the other language's.
            query = Q(**{f"slug_{language}": slug})
            for code in other:
                query |= Q(**{f"slug_{language}": ""}) & Q(**{f"slug_{code}": slug})
            page = pages.filter(kind=SitePage.Kind.OTHER).filter(query).first()
        if page is None:
            raise Http404("No such page")
        return page

    def get_context_data(self, **kwargs):
        page = self.get_page()
        context = super().get_context_data(**kwargs)
        context.update(
            page=page,
            translatable_object=page,
            is_preview=not page.published,
            missing_texts=page.missing_texts() if is_staff(self.request) else [],
            nav=page.kind,
        )
        if page.kind in (SitePage.Kind.LEGAL_NOTICE, SitePage.Kind.PRIVACY):
            organisation = Organisation.current()
            context["organisation"] = organisation
            if is_staff(self.request):
                context["missing_texts"] += organisation.missing_fields()
        if page.kind == SitePage.Kind.PRIVACY:
            context["retention_months"] = settings.REGISTRATION_RETENTION_MONTHS
            context["log_days"] = settings.SERVER_LOG_RETENTION_DAYS
        if page.kind == SitePage.Kind.ACCESSIBILITY:
            context.update(statement_context(self.request))
        if page.kind == SitePage.Kind.SIGN_LANGUAGE:
            context.update(sign_language_context(page))
        return context


def sign_language_context(page):
    """The videos in the page's sign language; when it has none, the other language's (which the
    page links, saying honestly that there is none in this one)."""
    language = translation.get_language()
    videos = list(page.videos.all())
    return {
        "videos": [video for video in videos if video.language == language],
        "other_videos": [video for video in videos if video.language != language],
    }


@require_safe
def captions(request, pk):
    """A sign-language video's captions (WebVTT), at an address of the video's language on this
    host: a <track> reads them without CORS, whatever storage holds the files, with the type
    browsers require (text/vtt)."""
    videos = SignLanguageVideo.objects.filter(page__kind=SitePage.Kind.SIGN_LANGUAGE)
    if not is_staff(request):
        videos = videos.filter(page__published=True)
    video = videos.filter(pk=pk, language=translation.get_language()).first()
    if video is None:
        raise Http404("No such captions")
    try:
        with video.captions.open("rb") as file:
            content = file.read()
    except (OSError, ValueError) as error:
        raise Http404("Captions gone") from error
    response = HttpResponse(content, content_type="text/vtt; charset=utf-8")
    response["Content-Language"] = video.language
    return response


def statement_context(request):
    evidence = accessibility.evidence()
    statement = AccessibilityStatement.current()
    accessibility.keep_status(evidence.status, evidence.until)
    return {
        "evidence": evidence,
        "statement": statement,
        "stale": is_staff(request) and statement.is_stale(),
        "feedback_url": reverse("pages:feedback"),
    }


def statement_document(request, document):
    """An event's document as the JSON statement lists it (the texts in the page's language)."""
    material = document.material
    return {
        "title": material.title,
        "event": material.event.title,
        "event_url": request.build_absolute_uri(material.event.get_absolute_url()),
        "url": request.build_absolute_uri(document.href) if document.href else None,
        "access": material.access,
        "format": material.format_label,
        "published_on": material.published_on.isoformat(),
        "reasons": document.reasons,
        "alternative": document.alternative,
    }


@require_safe
def statement_json(request):
    """The statement, machine-readable: status, dates, the non-accessible content, the feedback
    address and the enforcement body of the page's language."""
    evidence = accessibility.evidence()
    statement = AccessibilityStatement.current()
    language = translation.get_language()
    data = {
        "language": language,
        "status": evidence.status,
        "status_label": str(evidence.status_label),
        "prepared_on": statement.prepared_on.isoformat(),
        "reviewed_on": statement.reviewed_on.isoformat(),
        "next_review": statement.next_review.isoformat() if statement.next_review else None,
        "method": statement.method,
        "audit": None
        if evidence.run is None
        else {
            "performed_at": evidence.run.performed_at.isoformat(),
            "pages": evidence.page_count,
            "findings": [
                {"tool": rule["tool"], "rule": rule["rule"], "message": rule["message"], "pages": rule["pages"]}
                for rule in evidence.rules()
            ],
        },
        "manual_findings": [
            {
                "title": finding.title,
                "description": finding.description,
                "reason": finding.reason,
                "reason_label": str(finding.get_reason_display()),
                "alternative": finding.alternative,
                "criterion": finding.criterion,
                "found_on": finding.found_on.isoformat(),
            }
            for finding in evidence.manual
        ],
        "documents": [statement_document(request, document) for document in evidence.documents],
        "documents_out_of_scope": [statement_document(request, document) for document in evidence.exempt_documents],
        "feedback": {
            "url": request.build_absolute_uri(reverse("pages:feedback")),
            "answer_days": statement.answer_days,
        },
        "statement_url": request.build_absolute_uri(reverse("pages:accessibility")),
        "enforcement": enforcement_body(language),
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Language"] = language
    return response


def enforcement_body(language):
    """Where a visitor turns when the answer does not satisfy them: in German the federal
    conciliation body (§ 16 BGG), in French the Défenseur des droits (RGAA)."""
    if language == "fr":
        return {
            "name": "Défenseur des droits",
            "url": "https://formulaire.defenseurdesdroits.fr/",
            "address": "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07",
        }
    return {
        "name": "Schlichtungsstelle nach dem Behindertengleichstellungsgesetz",
        "url": "https://www.schlichtungsstelle-bgg.de/",
        "address": "Mauerstraße 53, 10117 Berlin",
    }


def rate_limited(request):
    """Submissions per client address (settings.FEEDBACK_RATE_PER_IP), counted like the
    registration form's (django-ratelimit, in the protection cache)."""
    return is_ratelimited(
        request, group="feedback-ip", key="ip", rate=settings.FEEDBACK_RATE_PER_IP, method="POST", increment=True
    )


@method_decorator(never_cache, name="dispatch")
class FeedbackView(FormView):
    template_name = "pages/feedback.html"
    form_class = FeedbackForm

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("topic") in {"site", "accessibility"}:
            initial["topic"] = self.request.GET["topic"]
        return initial

    def get_context_data(self, **kwargs):
        statement = AccessibilityStatement.current()
        return super().get_context_data(answer_days=statement.answer_days, nav="feedback", **kwargs)

    def post(self, request, *args, **kwargs):
        # Every submission counts, valid or not; what was typed comes back with the error.
        if rate_limited(request):
            form = self.get_form()
            form.is_valid()
            form.add_error(
                None, _("Too many submissions in a short time. Please wait a few minutes and send the form again.")
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        feedback = form.save(commit=False)
        feedback.language = translation.get_language()
        days = AccessibilityStatement.current().answer_days
        feedback.answer_due = timezone.localdate() + datetime.timedelta(days=days)
        feedback.save()
        emails.queue(feedback)
        messages.success(
            self.request,
            _("Thank you. Your message has reached us; we have sent you a confirmation by e-mail."),
        )
        return redirect(reverse("pages:feedback_sent"))


@method_decorator(never_cache, name="dispatch")
class FeedbackSentView(TemplateView):
    template_name = "pages/feedback_sent.html"
