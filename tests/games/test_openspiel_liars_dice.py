"""Liar's Dice against OpenSpiel's `liars_dice` with one die each.

OpenSpiel's chance outcomes 0..5 are the faces 1..6; its bid ids run quantity-major ("1-1" is 0,
"2-6" is 11) and "Liar" is 12, so both follow the order of our action strings.
"""

import pytest

from tests.games.lockstep import InfoStateRecorder, lockstep

pytestmark = pytest.mark.openspiel

BIDS = [f"bid:{quantity}-{face}" for quantity in (1, 2) for face in range(1, 7)]


def to_openspiel(action: str, state: dict) -> int:
    if action.startswith("roll:"):
        return int(action.removeprefix("roll:")) - 1
    return 12 if action == "liar" else BIDS.index(action)


def test_lockstep_with_openspiel():
    recorder = InfoStateRecorder()
    assert lockstep("liars_dice", to_openspiel, num_games=400, seed=1, on_state=recorder) > 400 * 4
    recorder.check()
