"""Build or update the index from corpus/: `python ingest.py --help`."""

import sys

from bot.front.cli import main

if __name__ == "__main__":
    sys.exit(main(["ingest", *sys.argv[1:]]))
