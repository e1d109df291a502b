from django.urls import path

from cookielab import views

urlpatterns = [
    path("set/", views.set_probes),
    path("probe/<slug:context>/", views.probe),
    path("same-origin/", views.same_origin_page),
    path("matrix/", views.matrix),
]
