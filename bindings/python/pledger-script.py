#!/usr/bin/python3
"""The installed `pledger` command: python3 -m pledger."""
import sys

from pledger.cli import main

if __name__ == "__main__":
    sys.exit(main())
