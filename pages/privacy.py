"""The version of the site's privacy page, for registration's record of the notice a registrant was
shown (registration/privacy.py asks through settings.REGISTRATION_SITE_NOTICE_VERSION): the moment
the page was last saved, which its history (django-reversion) can show as it was."""

from .models import SitePage


def site_notice_version():
    updated = SitePage.objects.filter(kind=SitePage.Kind.PRIVACY).values_list("updated", flat=True).first()
    return updated.strftime("%Y-%m-%dT%H:%M:%S%z") if updated else "none"
