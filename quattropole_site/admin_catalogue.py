"""Admin texts that Django and the admin's third-party packages show, but whose German or French
catalogues lack (found by comparing their messages with the merged catalogues; see
tests/test_admin_language.py) or word in a way the secretariat would not understand. Marked here
so that `make messages` keeps them in our catalogues, which Django reads before theirs. Nothing imports this module.

The admin's JavaScript texts (e.g. "Choose selected %s" in the city picker) are in
locale/*/LC_MESSAGES/djangojs.po, kept by hand: `make messages` does not touch that domain.
"""

from django.utils.translation import gettext_noop as _

DJANGO_ADMIN_AND_AUTH = (
    _("After you’ve created a user, you’ll be able to edit more user options."),
    _("This action will <strong>enable</strong> password-based authentication for this user."),
    _("Disable password-based authentication"),
    _("Enable password-based authentication"),
    _("In case you’ve forgotten, you are:"),
    _("Conflicting form data submitted. Please try again."),
    _("Password-based authentication was disabled."),
    _("Set password: %s"),
    _("Reset password"),
    _(
        "Whether the user will be able to authenticate using a password or not. If disabled, they may still be "
        "able to authenticate using other backends, such as Single Sign-On or LDAP."
    ),
    _("Password-based authentication"),
    _("Enabled"),
    _("Disabled"),
    _("Raw passwords are not stored, so there is no way to see the user’s password."),
    _("Enable password-based authentication for this user by setting a password."),
)

DJANGO_REVERSION = (
    _("Reversion"),
    _("Could not load %(object_repr)s version - not found"),
    _("Could not save %(object_repr)s version - missing dependency."),
    _("Could not load %(object_repr)s version - incompatible version data."),
    _("Could not load %(object_repr)s version - unknown serializer %(format)s."),
    _("date created"),
    _("comment"),
    _("revision"),
    _("revisions"),
    _("version"),
    _("versions"),
)

DJANGO_MODELTRANSLATION = (_("Sorry, translation is not available."),)

# django-axes: its models, named as the secretariat reads them ("Anmeldeversuche", not
# "Zugriffsversuche"), and its French labels with the typographic apostrophe. Our catalogues are
# read before axes' own, so these translations replace its. The section's name is the app's
# verbose name (quattropole_site.apps.LoginProtectionConfig); its screens are quattropole_site/admin.py.
DJANGO_AXES = (
    _("access attempt"),
    _("access attempts"),
    _("access log"),
    _("access logs"),
    _("access failure"),
    _("access failures"),
    _("Access lock out"),
    _("Attempt Time"),
    _("Failed Logins"),
    _("HTTP Accept"),
    _("IP Address"),
    _("Logout Time"),
    _("Path"),
    _("User Agent"),
    _("Username"),
)

# Texts whose French translation in Django's or django-axes' own catalogue lacks the no-break
# space before ":" or inside « » (French typography: events/typography.py); ours has it.
FRENCH_TYPOGRAPHY = (
    _("Toggle theme (current theme: auto)"),
    _("Toggle theme (current theme: light)"),
    _("Toggle theme (current theme: dark)"),
    _("Deleting the selected %(objects_name)s would require deleting the following protected related objects:"),
    _("Constraint “%(name)s” is violated."),
    _("Account locked: too many login attempts. Please try again later."),
    _("Account locked: too many login attempts. Contact an admin to unlock your account."),
)
