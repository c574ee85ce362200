"""`python -m cohortdesk`."""

import sys

from cohortdesk.cli import main

sys.exit(main())
