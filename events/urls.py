from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "events"

urlpatterns = [
    path("", views.EventListView.as_view(mode="upcoming"), name="list"),
    path(_("past/"), views.EventListView.as_view(mode="past"), name="past"),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
]
