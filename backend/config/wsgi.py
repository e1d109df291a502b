import os
import sys

from django.core.wsgi import get_wsgi_application

# gunicorn's threads take turns on Python's GIL, by default every 5 ms. A thread that holds the
# database's write turn (lab/sqlite_writes.py) and loses the GIL keeps every other writer waiting
# for as long: a shorter interval hands the GIL back sooner.
sys.setswitchinterval(0.0005)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
