"""`python -m fairhear` runs the command line."""

import sys

from fairhear.cli import main

sys.exit(main())
