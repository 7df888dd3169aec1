"""Registrants' pages: the form posted from the event page, their own page behind a signed
link (see, change, cancel), and "send me my link again".

The form lives on the event page (templatetags/registration_tags.py); a submission with a
problem shows the whole event page again, freshly rendered, with the answers kept, the errors
next to their fields and summarised at the top of the form. No page here is cached: each
answers one person.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView
from django_ratelimit.core import is_ratelimited

from events.models import City
from events.views import EventDetailView, EventPage, EventPageMixin

from . import display, links, services
from .forms import RegistrationForm, ResendLinkForm

logger = logging.getLogger(__name__)


def rate_limited(request, group):
    """True when this client address or this e-mail address sent too many submissions
    (settings.REGISTRATION_RATE_PER_IP / _PER_EMAIL); every submission counts. The counts live in
    the cache: when it is away (Redis stopped), submissions go through uncounted rather than
    fail — a registration is worth more than the limit."""
    try:
        return _rate_limited(request, group)
    except Exception:  # each cache backend raises its own errors
        logger.warning("Rate limit not applied: the cache does not answer", exc_info=True)
        return False


def _rate_limited(request, group):
    by_address = is_ratelimited(
        request, group=f"{group}-ip", key="ip", rate=settings.REGISTRATION_RATE_PER_IP, method="POST", increment=True
    )
    by_email = is_ratelimited(
        request,
        group=f"{group}-email",
        key=lambda _group, request: services.normalise_email(request.POST.get("email", "")) or "-",
        rate=settings.REGISTRATION_RATE_PER_EMAIL,
        method="POST",
        increment=True,
    )
    return by_address or by_email


def too_many_message():
    return _("Too many submissions in a short time. Please wait a few minutes and send the form again.")


@method_decorator(never_cache, name="dispatch")
class RegisterView(EventDetailView):
    """POST: register for the event. GET: the event page's form."""

    template_name = "registration/event_page.html"

    def get(self, request, *args, **kwargs):
        event = self.get_object()
        return redirect(event.get_absolute_url() + "#register")

    def post(self, request, *args, **kwargs):
        self.object = event = self.get_object()
        form_settings = services.form_settings(event)
        if form_settings is None:
            raise Http404("No built-in registration")
        places = services.availability(event, form_settings)
        form = RegistrationForm(request.POST, event=event, form=form_settings, places=places, cities=City.objects.all())
        if rate_limited(request, "register"):
            form.is_valid()
            form.add_error(None, too_many_message())
            return self.show(form, status=429)
        if not form.is_valid():
            return self.show(form)
        try:
            registration = services.register(
                event,
                form.answers(),
                language=form.chosen_language(),
                join_waiting_list=request.POST.get("waiting_list") == "yes",
            )
        except services.NotOpen:
            # The state of the registration box says why (closed, full, started …).
            form.add_error(None, _("Registration for this event is not open."))
            return self.show(form)
        except services.AlreadyRegistered:
            form.add_error("email", _("This e-mail address is already registered for this event."))
            return self.show(form, already_registered=True)
        except services.NoPlace as no_place:
            return self.show(form, offer=no_place)
        messages.success(request, welcome_message(registration))
        return redirect(links.manage_url(registration, language=translation.get_language()))

    def show(self, form, status=200, **extra):
        context = self.get_context_data(object=self.object, registration_form=form, **extra)
        return self.render_to_response(context, status=status)


def welcome_message(registration):
    if registration.status == registration.Status.CONFIRMED:
        text = _("Thank you: your registration is confirmed. We have sent a confirmation to %(email)s.")
    else:
        text = _(
            "You are on the waiting list, at number %(position)s. We have sent an e-mail to %(email)s, and will "
            "write again as soon as a place is yours."
        )
    return text % {"email": registration.email, "position": getattr(registration, "position", "")}


@method_decorator(never_cache, name="dispatch")
class RegistrationPageMixin:
    """A page of one registration, found by its signed token (a 404 for anything else)."""

    def dispatch(self, request, *args, **kwargs):
        self.registration = links.registration_for(kwargs["token"])
        if self.registration is None:
            raise Http404("No such registration")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        registration = self.registration
        context = super().get_context_data(**kwargs)
        context.update(
            registration=registration,
            event=registration.event,
            position=services.position(registration),
            can_change=services.can_change(registration),
            can_cancel=services.can_cancel(registration),
            manage_url=links.manage_url(registration, translation.get_language()),
            change_url=links.manage_url(registration, translation.get_language(), "registration:change"),
            cancel_url=links.manage_url(registration, translation.get_language(), "registration:cancel"),
        )
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class ManageView(RegistrationPageMixin, TemplateView):
    """Everything stored about the registrant, with the ways to change or cancel."""

    template_name = "registration/manage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        registration = self.registration
        form = services.form_settings(registration.event)
        context.update(
            status=display.status(registration, context["position"]),
            answers=display.answers(registration, form),
            history=registration.history.all(),
            emails=registration.emails.all(),
        )
        return context


class ChangeView(RegistrationPageMixin, FormView):
    template_name = "registration/change.html"

    def get(self, request, *args, **kwargs):
        if not services.can_change(self.registration):
            messages.info(request, _("Registration is closed: your answers can no longer be changed."))
            return redirect(links.manage_url(self.registration, translation.get_language()))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not services.can_change(self.registration):
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def get_form(self, form_class=None):
        event = self.registration.event
        form_settings = services.form_settings(event)
        kwargs = self.get_form_kwargs()
        kwargs.pop("initial", None)
        return RegistrationForm(
            event=event,
            form=form_settings,
            places=services.availability(event, form_settings),
            registration=self.registration,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            registration = services.change(self.registration, form.answers(), language=form.chosen_language())
        except services.NotOpen:
            messages.info(self.request, _("Registration is closed: your answers can no longer be changed."))
            return redirect(links.manage_url(self.registration, translation.get_language()))
        except services.AlreadyRegistered:
            form.add_error("email", _("This e-mail address is already registered for this event."))
            return self.form_invalid(form)
        except services.NoPlace as no_place:
            for problem in no_place.problems:
                form.add_error(
                    form.problem_field(problem),
                    _("%(problem)s Keep your current choice or choose another one.") % {"problem": problem.message()},
                )
            return self.form_invalid(form)
        if registration.promoted:
            messages.success(
                self.request, _("Your answers are saved, and a place has become yours: you are confirmed.")
            )
        else:
            messages.success(self.request, _("Your answers are saved."))
        return redirect(links.manage_url(registration, translation.get_language()))


class CancelView(RegistrationPageMixin, TemplateView):
    template_name = "registration/cancel.html"

    def post(self, request, *args, **kwargs):
        if not services.can_cancel(self.registration):
            messages.info(request, _("This registration can no longer be cancelled."))
        else:
            services.cancel(self.registration)
            messages.success(request, _("Your registration is cancelled. We have sent you a confirmation."))
        return redirect(links.manage_url(self.registration, translation.get_language()))


@method_decorator(never_cache, name="dispatch")
class ResendLinkView(EventPageMixin, FormView):
    """ "Send me the link to my registration again": the answer is the same whether the
    address is registered or not; only its inbox can tell."""

    template_name = "registration/resend.html"
    form_class = ResendLinkForm
    url_name = "registration:resend"

    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_object()
        canonical = self.object.page_url(self.url_name)
        if request.method == "GET" and request.path != canonical:
            return redirect(canonical, permanent=True)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(event=self.object, translatable_object=EventPage(self.object, self.url_name))
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if rate_limited(request, "resend"):
            form.is_valid()
            form.add_error(None, too_many_message())
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        services.resend_link(self.object, form.cleaned_data["email"])
        return self.render_to_response(self.get_context_data(form=form, sent_to=form.cleaned_data["email"]))
