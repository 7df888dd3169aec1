"""The Sekretariat's rights, defined once (each app's AppConfig.secretariat_permissions, collected
by quattropole_site/roles.py) and kept in step after every migrate and by ``manage.py sync_roles``."""

import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command

from quattropole_site import roles

pytestmark = pytest.mark.django_db


def granted():
    group = Group.objects.get(name="Sekretariat")
    return sorted(
        group.permissions.values_list("content_type__app_label", "content_type__model", "codename").order_by()
    )


def test_a_fresh_database_gives_the_secretariat_exactly_the_defined_permissions():
    assert granted() == roles.secretariat_permissions()
    # 56 of events, registration and axes, 25 of the site pages (their sign-language videos
    # included), 8 of the search's place names, 4 of the events' materials.
    assert len(granted()) == 93
    assert ("pages", "sitepage", "change_sitepage") in granted()
    assert ("pages", "feedback", "delete_feedback") not in granted()
    assert ("events", "event", "delete_event") in granted()
    assert ("registration", "registration", "override_capacity") in granted()
    assert ("axes", "accessattempt", "delete_accessattempt") in granted()
    # Never users, groups, deleting member cities or purging the history.
    assert not any(app_label == "auth" for app_label, _model, _codename in granted())
    assert ("events", "city", "delete_city") not in granted()
    assert ("reversion", "version", "delete_version") not in granted()


def test_sync_roles_restores_a_removed_permission_and_takes_an_added_one_back():
    group = Group.objects.get(name="Sekretariat")
    group.permissions.remove(Permission.objects.get(codename="delete_event"))
    group.permissions.add(Permission.objects.get(codename="delete_city"))
    out = io.StringIO()
    call_command("sync_roles", stdout=out)
    assert granted() == roles.secretariat_permissions()
    assert out.getvalue().splitlines() == [
        "+ events.delete_event",
        "- events.delete_city",
        "Sekretariat: 1 permission(s) added, 1 removed.",
    ]


def test_an_app_adds_its_models_to_the_role_in_its_app_config(monkeypatch):
    config = apps.get_app_config("registration")
    monkeypatch.setattr(
        config, "secretariat_permissions", (*config.secretariat_permissions, ("registration", "email", "change"))
    )
    call_command("sync_roles", stdout=io.StringIO())
    assert ("registration", "email", "change_email") in granted()


def test_a_permission_that_does_not_exist_is_an_error(monkeypatch):
    config = apps.get_app_config("events")
    monkeypatch.setattr(config, "secretariat_permissions", (("events", "evnt", "view"),))
    with pytest.raises(CommandError, match=r"events\.evnt\.view_evnt"):
        call_command("sync_roles", stdout=io.StringIO())
