from django.urls import path

from scenarios import views

# Mounted at /api/ (CORS as the rest of the API) in config/urls.py. A scenario runs at the
# playground's endpoint and is judged by the playground's verdict (playground/urls.py).
urlpatterns = [path("scenarios/", views.catalogue, name="scenario-catalogue")]
