"""`RemoteGame`: a sandboxed candidate seen from the caller as a GameCWM module.

    >>> from gamecwm.games import get_pack
    >>> from gamecwm.sandbox import Sandbox
    >>> from gamecwm.sandbox.remote import RemoteGame
    >>> with Sandbox() as box:
    ...     game = RemoteGame.load(box, get_pack("tic_tac_toe").reference_source)
    ...     state = game.apply_action(game.get_initial_state(), "1,1")
    ...     game.get_current_player(state), len(game.get_legal_actions(state))
    (1, 8)

The caller's code (the verifier's probes, which pick every move with their own generator) calls the
contract functions on it as on a module; states are handles to objects that stay in the worker. One
round trip per state: `apply_action` brings back the new state's player, legal actions, observations
and rewards, each asked twice (so that the caller can tell a nondeterministic answer), and which keys
of the input state the call changed. Later calls are served from those answers, in order, and ask the
worker again once they are used up. What the candidate raised comes back as `CandidateError`; a worker
that fails raises `SandboxError`, which probes must let through (it ends the stage, not the game).
"""

from __future__ import annotations

from typing import Any

from gamecwm.sandbox import codec
from gamecwm.sandbox.client import SandboxError

FACT_KEYS = ("player", "legal", "observations", "rewards")


class CandidateError(Exception):
    """The candidate raised: the text of its exception."""


class State:
    """A handle to a candidate's state in the worker, with the answers already fetched about it."""

    __slots__ = ("__weakref__", "answers", "changed", "game", "handle", "used")

    def __init__(self, game: RemoteGame, handle: int, facts: dict[str, Any]) -> None:
        self.game, self.handle = game, handle
        self.answers = facts
        self.used = dict.fromkeys(FACT_KEYS, 0)
        self.changed: list[str] | None = None  # keys of this state an apply_action on it changed

    def __del__(self) -> None:
        self.game.released.append(self.handle)

    def __repr__(self) -> str:
        return f"<candidate state #{self.handle}>"


class RemoteGame:
    """The contract functions of the candidate loaded in `box`."""

    def __init__(self, box: Any) -> None:
        self.box = box
        self.released: list[int] = []

    @classmethod
    def load(cls, box: Any, source: str, name: str = "candidate") -> RemoteGame:
        reply = box.call("load", source=source, name=name)
        if reply.get("error"):
            raise CandidateError(str(reply["error"]))
        return cls(box)

    def ask(self, op: str, **params: Any) -> dict[str, Any]:
        """One request; what the worker could not answer raises `SandboxError`."""
        if self.released:
            params["free"], self.released = self.released, []
        reply = self.box.call(op, **params)
        if "error" in reply:
            raise SandboxError(f"worker error during '{op}': {str(reply['error'])[:300]}")
        return reply

    def _state(self, reply: dict[str, Any]) -> State:
        if "raised" in reply:
            raise CandidateError(str(reply["raised"]))
        facts = reply.get("facts")
        if not isinstance(reply.get("h"), int) or not isinstance(facts, dict):
            raise SandboxError("malformed answer: a state without its handle and facts")
        return State(self, reply["h"], facts)

    def _answer(self, state: State, key: str) -> Any:
        if not isinstance(state, State) or state.game is not self:
            raise CandidateError(f"not a state of this game: {type(state).__name__}")
        used = state.used[key]
        state.used[key] += 1
        facts = state.answers if used == 0 else state.answers.get("again") if used == 1 else None
        if not isinstance(facts, dict) or key not in facts:
            facts = self.ask("facts", h=state.handle)["facts"]
        answer = facts.get(key) if isinstance(facts, dict) else None
        if isinstance(answer, dict) and "e" in answer:
            raise CandidateError(str(answer["e"]))
        if not isinstance(answer, dict) or "v" not in answer:
            raise SandboxError(f"malformed answer for {key}")
        try:
            return codec.decode_value(answer["v"])
        except codec.MalformedMessage as exc:
            raise SandboxError(f"malformed answer for {key}: {exc}") from None

    # the contract
    def get_initial_state(self) -> State:
        return self._state(self.ask("new", twice=True))

    def apply_action(self, state: State, action: Any) -> State:
        if not isinstance(state, State) or state.game is not self:
            raise CandidateError(f"not a state of this game: {type(state).__name__}")
        reply = self.ask("apply", h=state.handle, action=codec.encode_value(action), twice=True)
        new = self._state(reply)
        changed = reply.get("changed")
        state.changed = [str(k) for k in changed][:50] if isinstance(changed, list) else None
        return new

    def get_current_player(self, state: State) -> Any:
        return self._answer(state, "player")

    def get_legal_actions(self, state: State) -> Any:
        return self._answer(state, "legal")

    def get_observations(self, state: State) -> Any:
        return self._answer(state, "observations")

    def get_rewards(self, state: State) -> Any:
        return self._answer(state, "rewards")

    def get_player_name(self, player: int) -> str:
        return f"Player {player}"

    def resample_history(self, history: Any, player: int) -> Any:
        answer = self.ask("resample", history=codec.encode_value(history), player=player)
        if "e" in answer:
            raise CandidateError(str(answer["e"]))
        if "v" not in answer:
            raise SandboxError("malformed answer for resample_history")
        try:
            return codec.decode_value(answer["v"])
        except codec.MalformedMessage as exc:
            raise SandboxError(f"malformed answer for resample_history: {exc}") from None

    # beyond the contract
    def api(self, info: str) -> dict[str, Any]:
        """Which contract functions exist, and the types of the basic calls (`Host.op_api`)."""
        return self.ask("api", info=info)

    def seed(self, seed: int) -> None:
        """Seed the candidate's own `random` (its `resample_history` samples with it)."""
        self.ask("seed", seed=seed)
