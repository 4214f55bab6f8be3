"""Pig: a two-player push-your-luck dice game with chance (die rolls) and perfect information.

On its turn a player chooses "roll" or "stop" as often as it likes. After "roll", chance rolls one
six-sided die ("roll:1".."roll:6"): a 1 wipes out the turn total and ends the turn, any other face
is added to the turn total. "stop" banks the turn total and passes the turn. The first player whose
banked score reaches 100 wins (+1/-1). After 1000 player decisions without a winner it is a draw.
"""

WIN_SCORE = 100
DIE_SIDES = 6
HORIZON = 1000  # player decisions ("roll" and "stop" of both players together); die rolls do not count
CHANCE, TERMINAL = -1, -4


def _winner(state):
    """The player whose banked score reached WIN_SCORE, or None."""
    return next((p for p in (0, 1) if state["scores"][p] >= WIN_SCORE), None)


def _is_over(state):
    return _winner(state) is not None or state["decisions"] >= HORIZON


def get_initial_state():
    # "player" owns the current turn; "rolling" is True while the die it asked for has not landed yet.
    return {"scores": [0, 0], "turn_total": 0, "player": 0, "rolling": False, "decisions": 0}


def apply_action(state, action):
    legal = get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    player = state["player"]
    new_state = dict(state, scores=list(state["scores"]))
    if action == "roll":
        new_state.update(rolling=True, decisions=state["decisions"] + 1)
    elif action == "stop":
        new_state["scores"][player] += state["turn_total"]
        new_state.update(turn_total=0, player=1 - player, decisions=state["decisions"] + 1)
    else:  # a die roll "roll:k"
        face = int(action.split(":")[1])
        new_state["rolling"] = False
        if face == 1:
            new_state.update(turn_total=0, player=1 - player)  # the turn total is lost, the turn ends
        else:
            new_state["turn_total"] += face
    return new_state


def get_current_player(state):
    if _is_over(state):
        return TERMINAL
    return CHANCE if state["rolling"] else state["player"]


def get_player_name(player_id):
    return {0: "player 0", 1: "player 1", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    winner = _winner(state)
    if winner is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if winner == 0 else [-1.0, 1.0]


def get_legal_actions(state):
    """Chance: "roll:1".."roll:6". Player: "roll", "stop"; only "stop" once stopping would win."""
    player = get_current_player(state)
    if player == TERMINAL:
        return []
    if player == CHANCE:
        return [f"roll:{face}" for face in range(1, DIE_SIDES + 1)]
    if state["scores"][player] + state["turn_total"] >= WIN_SCORE:
        return ["stop"]
    return ["roll", "stop"]


def get_observations(state):
    """Both players see everything: scores, turn total, whose turn it is and the decision count."""
    return [
        {
            "scores": list(state["scores"]),
            "turn_total": state["turn_total"],
            "turn_player": state["player"],
            "current_player": get_current_player(state),
            "decisions": state["decisions"],
        }
        for _ in range(2)
    ]
