"""``python -m cscsandbox``."""

import sys

from cscsandbox.cli import main

sys.exit(main())
