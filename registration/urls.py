"""Registration addresses, in the page's language: the form posted from an event page and
"send me my link" (under the event), and the registrant's own pages (signed token)."""

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "registration"

urlpatterns = [
    path(format_lazy("{}<slug:slug>/{}", _("events/"), _("register/")), views.RegisterView.as_view(), name="register"),
    path(
        format_lazy("{}<slug:slug>/{}", _("events/"), _("check-your-email/")),
        views.CheckEmailView.as_view(),
        name="check_email",
    ),
    path(
        format_lazy("{}<slug:slug>/{}", _("events/"), _("registration-link/")),
        views.ResendLinkView.as_view(),
        name="resend",
    ),
    path(format_lazy("{}<str:token>/", _("registration/")), views.ManageView.as_view(), name="manage"),
    path(
        format_lazy("{}<str:token>/{}", _("registration/"), _("confirm/")), views.ConfirmView.as_view(), name="confirm"
    ),
    path(format_lazy("{}<str:token>/{}", _("registration/"), _("change/")), views.ChangeView.as_view(), name="change"),
    path(format_lazy("{}<str:token>/{}", _("registration/"), _("cancel/")), views.CancelView.as_view(), name="cancel"),
    path(
        format_lazy("{}<str:token>/{}<int:pk>/", _("registration/"), _("documents/")),
        views.material_file,
        name="material",
    ),
]
