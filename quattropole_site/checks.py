"""Deploy checks of our own, run by ``manage.py check --deploy`` (and so by ``make serve``, which
refuses to start on any of them), beside Django's."""

from email.utils import parseaddr

from django.conf import settings
from django.core.checks import Error, register

# Domains that never receive mail from the internet (RFC 2606, RFC 6761, RFC 6762).
RESERVED_DOMAINS = {"localhost", "localdomain", "example.com", "example.net", "example.org"}
RESERVED_SUFFIXES = (".localhost", ".local", ".localdomain", ".test", ".example", ".invalid", ".internal", ".lan")


def sender_problem(address):
    """Why receiving mail servers would refuse ``address`` as a sender, or None."""
    _name, email = parseaddr(address)
    local, at, domain = email.rpartition("@")
    domain = domain.lower().rstrip(".")
    if not (local and at and domain):
        return f"{address!r} is not an e-mail address"
    if domain in RESERVED_DOMAINS or domain.endswith(RESERVED_SUFFIXES):
        return f"{domain!r} is not a domain of the internet"
    if "." not in domain or domain.startswith("["):
        return f"{domain!r} is not a domain name"
    return None


@register("email", deploy=True)
def check_sender(app_configs=None, **kwargs):
    """The e-mails to registrants go out with DEFAULT_FROM_EMAIL as sender (SERVER_EMAIL is the
    same): a sender on localhost or without a real domain is refused by receiving mail servers,
    so every registration e-mail would be lost."""
    problem = sender_problem(settings.DEFAULT_FROM_EMAIL)
    if problem is None:
        return []
    return [
        Error(
            f"DEFAULT_FROM_EMAIL cannot be the sender of e-mails to the internet: {problem}.",
            hint="Set DJANGO_DEFAULT_FROM_EMAIL to an address of the site's own domain, "
            "e.g. QuattroPole <veranstaltungen@quattropole.org> (docs/configuration.md).",
            id="quattropole.E001",
        )
    ]
