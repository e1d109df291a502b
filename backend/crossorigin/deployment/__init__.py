"""The lab's models turned on a learner's own deployment: a static front page on one origin, a
Django API on another, the project's settings, and whether each of the article's flows works in
each browser.

- settings.py: the Django and django-cors-headers settings that decide the flows, and how they read;
- jars.py: the fate of the API's cookies, per browser profile (the fitted ones say so);
- server.py: what the project answers under its settings;
- flows.py: the six flows, played in one engine's cookie jar, judged by the Fetch model;
- diagnosis.py: the settings in the way, as checks with stable ids and the lines that lift them;
- report.py: the one report every caller shows (system checks, command line, page, probe).
"""
