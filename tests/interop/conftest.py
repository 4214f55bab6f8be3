import pytest

from gamecwm.games import get_pack
from gamecwm.interop.bridge import close_bridges


@pytest.fixture(autouse=True, scope="module")
def _stop_workers():
    yield
    close_bridges()


def kuhn_variant(tmp_path, old: str, new: str, name: str = "model.py"):
    """A kuhn_poker model file: the reference with one line changed (a model's bug, as a file)."""
    source = get_pack("kuhn_poker").reference_source
    assert old in source
    path = tmp_path / name
    path.write_text(source.replace(old, new, 1))
    return path


CRASH_AFTER_A_BET = (
    '        new_state["betting"].append(action)',
    '        new_state["betting"].append(action)\n        if action == "bet":\n            raise RuntimeError("boom")',
)
HANG_AFTER_A_BET = (
    '        new_state["betting"].append(action)',
    '        new_state["betting"].append(action)\n        while action == "bet":\n            pass',
)
