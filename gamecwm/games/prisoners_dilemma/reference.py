"""Iterated Prisoner's Dilemma: five rounds of a simultaneous-move game, played as sealed turns.

Each round both players choose "cooperate" or "defect": player 0 first, then player 1 without
seeing player 0's choice of that round. Both players see every finished round. A round pays 5 each
for mutual cooperation, 1 each for mutual defection, and 10 to a lone defector and 0 to the
cooperator. The game is general-sum: each player's reward is its payoff summed over the rounds.
Hidden information: player 0's choice of the current round, until player 1 has chosen too.
"""

import random

NUM_ROUNDS = 5
CHOICES = ("cooperate", "defect")
# PAYOFF[mine][theirs]: what one round pays me.
PAYOFF = {"cooperate": {"cooperate": 5, "defect": 0}, "defect": {"cooperate": 10, "defect": 1}}
CHANCE, TERMINAL = -1, -4


def _rounds(choices):
    """The finished rounds, each as a [player 0's choice, player 1's choice] pair."""
    return [choices[i : i + 2] for i in range(0, len(choices) - 1, 2)]


def _scores(choices):
    return [sum(PAYOFF[pair[p]][pair[1 - p]] for pair in _rounds(choices)) for p in (0, 1)]


def _is_over(state):
    return len(state["choices"]) == 2 * NUM_ROUNDS


def get_initial_state():
    # Every choice so far, in turn order: round 1 player 0, round 1 player 1, round 2 player 0, ...
    return {"choices": []}


def apply_action(state, action):
    legal = get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    return {"choices": state["choices"] + [action]}


def get_current_player(state):
    return TERMINAL if _is_over(state) else len(state["choices"]) % 2


def get_player_name(player_id):
    return {0: "player 0", 1: "player 1", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    """Each player's payoffs summed over the five rounds; [0.0, 0.0] until the last round is over."""
    if not _is_over(state):
        return [0.0, 0.0]
    return [float(score) for score in _scores(state["choices"])]


def get_legal_actions(state):
    """Both choices, "cooperate" then "defect", for the player to move; none once the game is over."""
    return [] if _is_over(state) else list(CHOICES)


def get_observations(state):
    """Both players see the finished rounds, the scores and whose turn it is; only player 0 sees its own
    choice of the round in progress."""
    choices = state["choices"]
    pending = choices[-1] if len(choices) % 2 == 1 else None  # player 0's choice of this round
    return [
        {
            "rounds": _rounds(choices),
            "my_choice": pending if player == 0 else None,
            "scores": _scores(choices),
            "current_player": get_current_player(state),
        }
        for player in (0, 1)
    ]


def resample_history(obs_action_history, player_id):
    """Replay the finished rounds the player saw; for player 1, draw player 0's unseen choice of the
    current round uniformly."""
    if not obs_action_history:
        return []
    observation, action = obs_action_history[-1]
    history = [choice for pair in observation["rounds"] for choice in pair]
    if player_id == 1:
        history.append(random.choice(CHOICES))
    return history + ([] if action is None else [action])
