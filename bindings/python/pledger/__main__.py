"""``python3 -m pledger``: the command line (see pledger.cli)."""
import sys

from .cli import main

sys.exit(main())
