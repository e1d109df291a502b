from django.urls import path

from scenarios import views

# Mounted at /api/ (catalogue and verdicts, CORS as the rest of the API) in config/urls.py.
urlpatterns = [
    path("scenarios/", views.catalogue, name="scenario-catalogue"),
    path("scenarios/<slug:slug>/verdict/", views.verdict, name="scenario-verdict"),
]

# Mounted at /scenarios/: outside /api/, so only the scenario's own CORS behaviour applies.
endpoint_urlpatterns = [path("<slug:slug>/", views.scenario_endpoint, name="scenario-endpoint")]
