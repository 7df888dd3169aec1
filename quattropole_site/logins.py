"""Failed logins to the admin (django-axes): lock-outs that stop an attacker, not the owner.

- **A user name at one address.** ``AXES_FAILURE_LIMIT`` wrong passwords for one user name from
  one address lock that user name out *at that address* (axes' combination of user name and
  address, ``AXES_LOCKOUT_PARAMETERS``). Someone elsewhere who knows a staff member's user name
  locks only themselves out; the staff member logs in at their desk as usual.
- **An address.** ``LOGIN_ADDRESS_FAILURE_LIMIT`` wrong passwords from one address, whatever the
  user names, lock that address out: an address that tries many names is stopped. The limit is
  higher than the first, so that colleagues behind one office address (one city hall's network)
  do not lock each other out by mistyping their own passwords.
- **Staff are told.** Logging in, a staff member whose user name saw wrong passwords from another
  address since their previous login is told so in the admin, in their language, with when and
  from where (axes' failure log, ``AccessFailureLog``), to tell an administrator if it was not them.

Lock-outs last ``AXES_COOLOFF_TIME``; staff lift one earlier by deleting its access attempt in the
admin. Both limits come from the environment (docs/configuration.md).
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_client_username, get_failure_limit
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import messages
from django.db.models import Q, Sum
from django.utils import formats, timezone
from django.utils.translation import ngettext


class LoginLimitsHandler(AxesDatabaseHandler):
    """axes' database handler, with the address's own, higher limit beside the combination's."""

    def get_failures(self, request, credentials=None):
        """The failures that count for this login: those of its user name at its address, or,
        once the address has reached its own limit, as many as lock out any user name there."""
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        counts = attempts.aggregate(
            address=Sum("failures_since_start"),
            user_here=Sum("failures_since_start", filter=Q(username=username)),
        )
        user_here = counts["user_here"] or 0
        if (counts["address"] or 0) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(user_here, get_failure_limit(request, credentials))
        return user_here


def tell_about_failures_elsewhere(sender, request, user, **kwargs):
    """``user_logged_in``: a message for the staff member when their user name saw wrong passwords
    from another address since their previous login (or since the account exists)."""
    if request is None or not user.is_staff:
        return
    address = get_client_ip_address(request)
    now = getattr(request, "axes_attempt_time", None) or timezone.now()
    username = user.get_username()
    previous = (
        AccessLog.objects.filter(username=username, attempt_time__lt=now)
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    since = max(previous or user.date_joined, user.date_joined)
    failures = AccessFailureLog.objects.filter(username=username, attempt_time__gt=since).exclude(ip_address=address)
    count = failures.count()
    if not count:
        return
    last = failures.order_by("-attempt_time").first()
    text = ngettext(
        "Since your last login, a wrong password was entered for your user name from another address "
        "(on %(when)s, from %(address)s). If that was not you, tell an administrator.",
        "Since your last login, %(count)s wrong passwords were entered for your user name from other "
        "addresses (the last one on %(when)s, from %(address)s). If that was not you, tell an administrator.",
        count,
    ) % {
        "count": count,
        "when": formats.date_format(timezone.localtime(last.attempt_time), "DATETIME_FORMAT"),
        "address": last.ip_address,
    }
    messages.warning(request, text)
