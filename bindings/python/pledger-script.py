#!/usr/bin/python3
"""The installed `pledger` command: python3 -m pledger."""
import sys

try:
    from pledger.cli import main
except ImportError as e:  # the library or its declarations cannot be loaded
    msg = " ".join(str(e).split())
    sys.stderr.write(msg if msg.startswith("pledger:") else f"pledger: {msg}")
    sys.stderr.write("\n")
    sys.exit(70)

if __name__ == "__main__":
    sys.exit(main())
