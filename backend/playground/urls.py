from django.urls import path

from playground import views

# Mounted at /api/playground/ (the case check and the verdict, CORS as the rest of the API).
urlpatterns = [
    path("check/", views.check, name="playground-check"),
    path("verdict/", views.verdict, name="playground-verdict"),
]

# Mounted at /playground/: outside /api/, so only the case's own CORS behaviour applies.
endpoint_urlpatterns = [path("<int:slot>/<int:hop>/", views.endpoint, name="playground-endpoint")]
