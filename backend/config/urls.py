"""The root URLconf: the one place that knows where every app is mounted."""

from django.urls import include, path

from config.openapi import openapi
from lab.views import healthz
from leaks.urls import api_urlpatterns as leak_tables
from playground.urls import endpoint_urlpatterns as playground_endpoints

urlpatterns = [
    path("api/openapi.json", openapi),
    path("api/ledger/", include("ledger.urls")),
    path("api/cookies/", include("cookielab.urls")),
    path("api/leaks/", include(leak_tables)),
    path("api/playground/", include("playground.urls")),
    path("api/doctor/", include("doctor.urls")),
    path("api/token/", include("experiments.lifecycle_urls")),
    path("api/", include("scenarios.urls")),
    path("api/", include("experiments.urls")),
    path("playground/", include(playground_endpoints)),
    path("leaks/", include("leaks.urls")),
    path("healthz/", healthz),
]

handler400 = "lab.errors.bad_request"
handler403 = "lab.errors.permission_denied"
handler404 = "lab.errors.not_found"
handler500 = "lab.errors.server_error"
