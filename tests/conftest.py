import pytest
from django.utils import translation

# Services of their own for the tests that need them (tests/services.py).
from .services import postgres_server, redis_server  # noqa: F401


@pytest.fixture(autouse=True)
def _plain_static_storage(settings, tmp_path):
    """Tests use plain static storage (no manifest) and a throwaway media folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches: the test database is rolled back after a test without
    the signals that would tell the page cache."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def secretary(client, db):
    """The test client, signed in as a member of the Sekretariat group (staff, not a superuser)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("sekretariat", password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Sekretariat"))
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _reset_language():
    yield
    translation.activate("de")
