"""Tiny local models and short datasets for the training tests: built on the CPU, nothing downloaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from gamecwm.prompts import SYSTEM_PROMPT
from gamecwm.train.data import write_jsonl
from tests.models import tiny_model

# Short examples in the training format, so a few optimizer steps take seconds on two cores.
GAMES = {
    "coin": "def get_initial_state():\n    return {'heads': 0}\n",
    "race": "def get_initial_state():\n    return {'pos': [0, 0], 'turn': 0}\n",
    "nim": "def legal_actions(state):\n    return [str(n) for n in range(1, min(3, state['left']) + 1)]\n",
    "duel": "def current_player(state):\n    return state['turn'] % 2\n",
}


def short_rows() -> list[dict]:
    return [
        {
            "prompt": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": f"Write the GameCWM for {name}."},
            ],
            "completion": [{"role": "assistant", "content": f"```python\n{code}```"}],
        }
        for name, code in GAMES.items()
    ]


@pytest.fixture(scope="session", name="tiny_model")
def tiny_model_fixture(tmp_path_factory) -> Path:
    return tiny_model(tmp_path_factory.mktemp("tiny") / "model", max_positions=8192)


@pytest.fixture
def short_data(tmp_path) -> Path:
    """A data folder laid out like `gamecwm data`'s, with four short prompt/completion examples."""
    folder = tmp_path / "data" / "sft" / "prompt_completion"
    write_jsonl(folder / "train.jsonl", short_rows())
    write_jsonl(folder / "valid.jsonl", short_rows()[:1])
    return tmp_path / "data"
