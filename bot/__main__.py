import sys

from bot.front.cli import main

sys.exit(main())
