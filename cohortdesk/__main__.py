"""`python -m cohortdesk`."""

import sys

from cohortdesk.cli.main import main

sys.exit(main())
