"""The gamecwm terminal UI: browse the games, generate a GameCWM, verify it and play with it.

    gamecwm tui --game tic_tac_toe
    gamecwm tui --model runs/export/model-Q4_K_M.gguf

`make_app(...)` builds the app; tests inject a fake generator, verifier or engine through it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App

from gamecwm.games import GamePack
from gamecwm.tui.games_screen import GamesScreen
from gamecwm.tui.help_screen import APP_BINDINGS, HelpScreen
from gamecwm.tui.services import (
    Candidate,
    Services,
    default_engine_factory,
    default_generator_factory,
    default_verify,
)


class GameCWMApp(App[None]):
    """Holds what the screens share: the services, the chosen model and the current candidate."""

    TITLE = "gamecwm"
    SUB_TITLE = "game code world models"
    CSS_PATH = "app.tcss"
    BINDINGS = APP_BINDINGS
    MODES = {"games": GamesScreen}
    DEFAULT_MODE = "games"

    def __init__(self, services: Services, game: str | None = None, model: str | None = None, seed: int = 0) -> None:
        super().__init__()
        self.services = services
        self.initial_game = game
        self.model_path = model  # None: the embedded default GGUF
        self.seed = seed
        self.candidate: Candidate | None = None  # the latest opened or generated GameCWM
        self._generators: dict[str | None, Any] = {}  # loaded models, by path, kept between generations

    def generator(self, model_path: str | None) -> Any:
        """The generator for `model_path`, loaded once (called from the generate worker thread)."""
        if model_path not in self._generators:
            self._generators[model_path] = self.services.generator_factory(model_path)
        return self._generators[model_path]

    def subject(self, pack: GamePack) -> Candidate:
        """What verify and play act on for `pack`: its latest candidate, else its reference."""
        if self.candidate is not None and self.candidate.pack.path == pack.path:
            return self.candidate
        return Candidate(pack)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


def make_app(
    game: str | None = None,
    model: str | None = None,
    *,
    generator_factory: Callable[[str | None], Any] | None = None,
    verify_fn: Callable[[str, GamePack], Any] | None = None,
    engine_factory: Callable[[Candidate], Any] | None = None,
    seed: int = 0,
) -> GameCWMApp:
    """The app, with the real llama.cpp generator, sandboxed verifier and engines unless given fakes (a
    fake `verify_fn` also ranks the generated drafts)."""
    services = Services(
        generator_factory=generator_factory or default_generator_factory,
        verify_fn=verify_fn or default_verify,
        engine_factory=engine_factory or default_engine_factory,
    )
    if verify_fn is not None:
        services.rank_fn = verify_fn
    return GameCWMApp(services, game=game, model=model, seed=seed)
