"""`python -m gamecwm.tui`: the same as `gamecwm tui`."""

import sys

from gamecwm.tui.cli import main

sys.exit(main(["tui", *sys.argv[1:]]))
