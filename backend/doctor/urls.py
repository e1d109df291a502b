from django.urls import path

from doctor import views

# Mounted at /api/doctor/.
urlpatterns = [
    path("", views.check, name="doctor-check"),
    path("lab/", views.lab, name="doctor-lab"),
]
