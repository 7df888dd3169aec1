"""The API's addresses: version 1, and a JSON answer for every other address under /api/."""

from django.urls import path, re_path

from . import views
from .v1 import api

urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/v1/", views.not_found),
    re_path(r"^api/", views.unknown_version),
]
