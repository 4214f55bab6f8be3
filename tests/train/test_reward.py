"""The GRPO reward alone: references score 1.0, broken code low, hostile code 0 and harmless."""

from pathlib import Path

import pytest

from gamecwm.games import get_pack
from gamecwm.train.reward import VerifierReward, completion_text

PACK = get_pack("tic_tac_toe")


def reply(code: str) -> list[dict]:
    return [{"role": "assistant", "content": f"Here is the module.\n```python\n{code}```\n"}]


class Metrics(dict):
    def __call__(self, name: str, value: float) -> None:
        self[name] = value


def score(completions: list, game_ids: list[str], **kwargs) -> tuple[list[float], Metrics]:
    metrics = Metrics()
    reward = VerifierReward(fuzz_games=3, jobs=2, **kwargs)
    rewards = reward(prompts=[[]] * len(completions), completions=completions, game_id=game_ids, log_metric=metrics)
    return rewards, metrics


def test_references_score_one_across_information_types():
    ids = ["tic_tac_toe", "kuhn_poker"]
    rewards, metrics = score([reply(get_pack(g).reference_source) for g in ids], ids)
    assert rewards == [1.0, 1.0]
    assert metrics["verifier/has_code"] == 1.0 and metrics["verifier/perfect"] == 1.0
    assert metrics["verifier/information"] == 1.0  # kuhn_poker's tier, averaged where it applies


def test_a_group_of_different_completions_gets_different_rewards():
    broken = PACK.reference_source.replace("def apply_action(", "def apply_action_(")  # a missing function
    same_player = '"player": player, "winner": winner'  # the turn never passes: legal moves, wrong game
    buggy = PACK.reference_source.replace('"player": 1 - player, "winner": winner', same_player)
    assert buggy != PACK.reference_source
    group = [reply(PACK.reference_source), reply(broken), [{"role": "assistant", "content": "no code"}], reply(buggy)]
    rewards, metrics = score(group, ["tic_tac_toe"] * len(group))
    assert rewards[0] == 1.0 and rewards[2] == 0.0
    assert 0.0 <= rewards[1] < 0.5 < rewards[3] < 1.0
    assert metrics["verifier/has_code"] == 0.75 and metrics["verifier/perfect"] == 0.25
    assert 0.0 < metrics["verifier/scenarios"] < 1.0  # per-tier means are logged


def test_syntax_error_scores_zero():
    rewards, _ = score([reply("def get_initial_state(:\n    return {}\n")], ["tic_tac_toe"])
    assert rewards == [0.0]


@pytest.mark.parametrize(
    "attack",
    [
        "import random\nrandom._os.system('touch {target}')\n",
        "import random\nrandom._os.open('{target}', random._os.O_CREAT | random._os.O_WRONLY)\n",
        "open('{target}', 'w').write('x')\n",
    ],
)
def test_hostile_code_scores_zero_and_does_no_harm(tmp_path, attack):
    target = tmp_path / "pwned"
    code = attack.format(target=target) + PACK.reference_source
    rewards, _ = score([reply(code)], ["tic_tac_toe"])
    assert rewards == [0.0]
    assert not Path(target).exists()


def test_no_scenarios_ablation_drops_the_tier():
    full = VerifierReward(fuzz_games=2).pack("tic_tac_toe")
    ablated = VerifierReward(fuzz_games=2, scenarios=False).pack("tic_tac_toe")
    assert full.scenarios and ablated.scenarios == []
    _, metrics = score([reply(PACK.reference_source)], ["tic_tac_toe"], scenarios=False)
    assert "verifier/scenarios" not in metrics and "verifier/dynamics" in metrics


def test_completion_text_reads_every_shape():
    assert completion_text("plain") == "plain"
    assert completion_text([{"role": "assistant", "content": "a"}, {"role": "assistant", "content": "b"}]) == "ab"
    assert completion_text({"role": "assistant", "content": "c"}) == "c"
