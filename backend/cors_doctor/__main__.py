import sys

from cors_doctor.cli import main

sys.exit(main())
