from gamecwm.games import catalog, get_pack
from gamecwm.prompts import build_messages, build_prompt


def test_every_prompt_holds_the_rules_and_the_contract():
    for pack in catalog():
        prompt = build_prompt(pack)
        assert pack.action_spec in prompt
        assert "def get_legal_actions(state: dict) -> list[str]" in prompt
        assert ("def resample_history" in prompt) == (pack.info == "imperfect")
        assert "{rules}" not in prompt


def test_messages_carry_a_completion_for_training():
    pack = get_pack("tic_tac_toe")
    messages = build_messages(pack, completion="```python\npass\n```")
    assert [m["role"] for m in messages] == ["system", "user", "assistant"]
    assert messages[1]["content"] == build_prompt(pack)
