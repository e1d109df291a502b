"""cors_doctor: will the article's flows work between your front page and your Django API, in which
browsers, and what must you set? The lab's models (the crossorigin package) turned on your own
deployment. A Django app you add to any project, and a command you run from a terminal; it never
imports the lab's apps (config/tests/test_layers.py).

- checks.py: system checks for `manage.py check --deploy`, for the fronts named in
  CORS_DOCTOR_FRONT_ORIGINS;
- cli.py: `python -m cors_doctor` (and `manage.py cors_doctor`): the report for a settings file,
  or for a live API with --probe, or the settings to write with --generate;
- literal_settings.py: a settings file read as literals, never executed;
- probe.py: the requests a browser would send, from your terminal only;
- generate.py: the settings and nginx lines for a layout.
"""
