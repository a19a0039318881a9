import sys

from tinynets.cli import main

sys.exit(main())
