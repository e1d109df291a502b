from django.conf import settings
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from experiments import views

# The deliberately vulnerable variant: with it, a cross-site form can change the display name
# whenever the session cookie rides along (SameSite=None).
display_name_view = (
    csrf_exempt(views.set_display_name) if settings.LAB_DISPLAY_NAME_CSRF_EXEMPT else views.set_display_name
)

urlpatterns = [
    path("hello/", views.hello),
    path("no-cors/hello/", views.hello_without_cors),
    path("users/", views.create_user),
    path("token/", views.issue_token),
    path("protected/", views.protected),
    path("csrf/", views.csrf),
    path("login/", views.login_view),
    path("me/", views.me, name="me"),
    path("logout/", views.logout_view),
    path("display-name/", display_name_view, name="display-name"),
    path("config/", views.config),
]
