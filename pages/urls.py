"""The site pages' addresses, translated: the legal and accessibility pages at fixed addresses
(so every footer links them without a query), further pages under info/ with a slug per language;
the captions of the sign-language videos beside their page (served from this host, as WebVTT)."""

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import views
from .models import SitePage

app_name = "pages"

urlpatterns = [
    path(_("legal-notice/"), views.SitePageView.as_view(kind=SitePage.Kind.LEGAL_NOTICE), name="legal_notice"),
    path(_("privacy/"), views.SitePageView.as_view(kind=SitePage.Kind.PRIVACY), name="privacy"),
    path(_("accessibility/"), views.SitePageView.as_view(kind=SitePage.Kind.ACCESSIBILITY), name="accessibility"),
    path(format_lazy("{}{}", _("accessibility/"), "statement.json"), views.statement_json, name="accessibility_json"),
    path(_("feedback/"), views.FeedbackView.as_view(), name="feedback"),
    path(format_lazy("{}{}", _("feedback/"), _("sent/")), views.FeedbackSentView.as_view(), name="feedback_sent"),
    path(_("easy-language/"), views.SitePageView.as_view(kind=SitePage.Kind.EASY_LANGUAGE), name="easy_language"),
    path(_("sign-language/"), views.SitePageView.as_view(kind=SitePage.Kind.SIGN_LANGUAGE), name="sign_language"),
    path(format_lazy("{}{}", _("sign-language/"), "<int:pk>.vtt"), views.captions, name="sign_language_captions"),
    path(format_lazy("{}<slug:slug>/", _("info/")), views.SitePageView.as_view(), name="page"),
]
