"""The token lifecycle experiment's endpoints, under /api/token/ (experiments/lifecycle.py). The
article's own POST /api/token/ stays in experiments/urls.py, as it was."""

from django.urls import path

from experiments import lifecycle

urlpatterns = [
    path("pair/", lifecycle.pair),
    path("refresh/", lifecycle.refresh),
    path("refresh/revoke/", lifecycle.revoke),
    path("me/", lifecycle.me),
    path("cookie/", lifecycle.cookie),
    path("attempts/", lifecycle.attempts),
]
