#!/usr/bin/env python
"""Django's command-line utility, as `acme-orders manage` runs it."""

import sys

from acme_orders.cli import main

if __name__ == "__main__":
    sys.exit(main(["manage", *sys.argv[1:]]))
