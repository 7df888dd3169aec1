"""Template tags of the whole site, loaded with ``{% load site_tags %}`` (settings.TEMPLATES)."""

import logging

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

logger = logging.getLogger(__name__)

register = template.Library()


@register.simple_tag
def asset(path):
    """``{% static %}`` that cannot fail: when the static files manifest lacks ``path`` (or is
    missing), the file's unhashed address, so that a page — an error page above all — still
    renders. The problem is logged: it means `collectstatic` did not run after a deployment."""
    try:
        return static(path)
    except ValueError:
        logger.error("Static file %s is missing from the manifest: run collectstatic", path)
        return f"{settings.STATIC_URL}{path}"


@register.simple_tag
def staff_login_url():
    """The admin's address for the footer's "Staff login" link; empty when the admin was given an
    address of its own (DJANGO_ADMIN_URL), which no public page then names."""
    return reverse("admin:index") if settings.ADMIN_URL == "admin/" else ""
