from django.urls import path

from leaks import views

# Mounted at /leaks/ on the API host, outside /api/: the mistaken configurations live here only.
urlpatterns = [
    path("", views.catalogue, name="leak-catalogue"),
    path("<slug:slug>/<slug:variant>/me/", views.read_me, name="leak-me"),
    path("<slug:slug>/<slug:variant>/display-name/", views.change_display_name, name="leak-display-name"),
]

# Mounted at /api/leaks/: the tables, read by the app page like every other part of the API.
api_urlpatterns = [path("table/", views.table, name="leak-table")]
