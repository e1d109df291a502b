from django.urls import path

from cookielab import views

urlpatterns = [
    path("set/", views.set_probes, name="cookie-set"),
    path("probe/<slug:context>/", views.probe, name="cookie-probe"),
    path("same-origin/", views.same_origin_page, name="cookie-same-origin-page"),
    path("matrix/", views.matrix, name="cookie-matrix"),
    path("attacks/", views.attacks, name="cookie-attacks"),
]
