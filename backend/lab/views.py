from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils.translation import gettext as _

from lab.api import ApiError, api_view


@api_view("GET")
def healthz(request):
    """For Docker's healthcheck (backend/healthcheck.py): the process answers AND its database
    does (the file on the volume is there, readable, and migrated)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM django_migrations")
            cursor.fetchone()
    except DatabaseError as error:
        # SQLite's own words ("unable to open database file") stay as they are, beside the message.
        raise ApiError(503, "database_unavailable", _("The database does not answer."), detail=str(error)) from None
    return JsonResponse({"ok": True, "database": "ok"})
