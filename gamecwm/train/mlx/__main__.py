"""`python -m gamecwm.train.mlx RUN_DIR`: the training child that `run_mlx_lora` starts (see child.py)."""

import sys

from gamecwm.train.mlx.child import child_main

if __name__ == "__main__":
    sys.exit(child_main(*sys.argv[1:]))
