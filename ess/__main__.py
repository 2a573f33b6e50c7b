import sys

from ess.cli import main

sys.exit(main())
