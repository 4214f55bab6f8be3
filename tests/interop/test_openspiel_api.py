"""OpenSpiel's own full-tree API checks (`open_spiel/integration_tests/api_test.py`) on bridged games.

Its `EnforceAPIOnFullTreeBase` walks every state of a game and checks legal actions, terminal players,
information-state errors, utility sums and the number of chance, decision and terminal nodes, which
for kuhn and leduc poker it knows for OpenSpiel's native games: the bridged references must match.
Its two checks that need information-state tensors (which the bridge does not provide) are replaced
by the same properties on the strings.
"""

import pytest

pyspiel = pytest.importorskip("pyspiel")
api_test = pytest.importorskip("open_spiel.integration_tests.api_test")

from gamecwm.interop.openspiel import load_game  # noqa: E402


class _StringChecks:
    """The tensor-free versions (a mixin, so that pytest does not collect a class without a game)."""

    def test_game_is_perfect_recall(self):
        # what a player saw at its earlier decisions, and what it did, is the same across its infoset
        seen: dict[tuple[str, int], list] = {}
        for state in self.all_states:
            if state.is_chance_node() or state.is_terminal():
                continue
            player = state.current_player()
            replay, past = self.game.new_initial_state(), []
            for action in state.history():
                if replay.current_player() == player:
                    past.append((replay.information_state_string(player), action))
                replay.apply_action(action)
            key = (state.information_state_string(player), player)
            self.assertEqual(seen.setdefault(key, past), past)
        self.assertEqual(len(seen), api_test.PERFECT_RECALL_NUM_STATES[self.game_name])

    def test_current_player_infosets_no_overlap_between_players(self):
        infosets = [set(), set()]
        for state in self.all_states:
            if not state.is_chance_node() and not state.is_terminal():
                infosets[state.current_player()].add(state.information_state_string(state.current_player()))
        self.assertFalse(infosets[0] & infosets[1])

    def test_information_state_functions_raises_on_chance_nodes(self):
        for state in self.all_states:
            if state.is_chance_node():
                with self.assertRaises(RuntimeError):
                    state.information_state_string()


class TestBridgedKuhnPoker(_StringChecks, api_test.EnforceAPIOnFullTreeBase):
    game_name = "kuhn_poker"
    game = load_game("kuhn_poker")


@pytest.mark.slow
class TestBridgedLeducPoker(_StringChecks, api_test.EnforceAPIOnFullTreeBase):
    game_name = "leduc_poker"
    game = load_game("leduc_poker")
