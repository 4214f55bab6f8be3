"""Matching Pennies: a one-shot simultaneous-move game, played as two sealed turns (hidden information).

Each player shows a coin, "heads" or "tails". Player 0 chooses first and player 1 then chooses
without seeing that choice, so the two choices are in effect simultaneous. Player 0 wins when the
coins match, player 1 wins when they differ: +1 to the winner, -1 to the loser (zero-sum).
Hidden information: player 1 never sees player 0's coin before choosing; both coins show at the end.
"""

import random

CHOICES = ("heads", "tails")
CHANCE, TERMINAL = -1, -4


def _is_over(state):
    return len(state["choices"]) == 2


def get_initial_state():
    # The coins shown so far, in turn order: player 0's, then player 1's.
    return {"choices": []}


def apply_action(state, action):
    legal = get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    return {"choices": state["choices"] + [action]}


def get_current_player(state):
    return TERMINAL if _is_over(state) else len(state["choices"])


def get_player_name(player_id):
    return {0: "player 0", 1: "player 1", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    """+1 to player 0 if the coins match, else +1 to player 1; [0.0, 0.0] until both are shown."""
    if not _is_over(state):
        return [0.0, 0.0]
    first, second = state["choices"]
    return [1.0, -1.0] if first == second else [-1.0, 1.0]


def get_legal_actions(state):
    """Both coins, in the order "heads", "tails", for the player to move; none once the game is over."""
    return [] if _is_over(state) else list(CHOICES)


def get_observations(state):
    """Each player sees its own coin and whose turn it is; the other coin only when the game is over."""
    choices, over = state["choices"], _is_over(state)
    return [
        {
            "my_choice": choices[player] if player < len(choices) else None,
            "opponent_choice": choices[1 - player] if over else None,
            "current_player": get_current_player(state),
        }
        for player in (0, 1)
    ]


def resample_history(obs_action_history, player_id):
    """Player 0 moves first and hides nothing from itself; for player 1, draw player 0's coin uniformly."""
    if not obs_action_history:
        return []
    _, action = obs_action_history[-1]
    history = [random.choice(CHOICES)] if player_id == 1 else []
    return history + ([] if action is None else [action])
