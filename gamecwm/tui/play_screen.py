"""The play screen: a person or a bot on each seat, the board, the legal actions, the moves and the result.

Bots (random, MCTS, ISMCTS with a simulation budget) move in a worker thread; `x` cancels a move in
progress and `m` lets the bot move again. A catalog reference runs in this process; any other GameCWM
runs, with the searches over it, in a sandboxed engine, so a model that crashes or hangs ends the game
with a notification and leaves the app running.
"""

from __future__ import annotations

import random
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Log, OptionList, Select, Static
from textual.worker import Worker, get_current_worker

from gamecwm.api import CHANCE, TERMINAL
from gamecwm.search.planners import Planner, default_planner
from gamecwm.tui.board_view import BoardView
from gamecwm.tui.services import Candidate

SIMULATIONS = [(str(n), n) for n in (50, 200, 1000, 5000)]


def seat_kinds(info: str) -> list[str]:
    """ISMCTS needs `resample_history`, which only hidden-information games define."""
    return ["human", "random", "mcts", "ismcts"] if info == "imperfect" else ["human", "random", "mcts"]


def outcome(rewards: list[float], seats: list[str]) -> str:
    if rewards[0] == rewards[1]:
        return f"draw · rewards {rewards}"
    winner = 0 if rewards[0] > rewards[1] else 1
    return f"player {winner} ({seats[winner]}) wins · rewards {rewards}"


class PlayScreen(Screen):
    CSS_PATH = "play_screen.tcss"
    BINDINGS = [
        Binding("n", "new_game", "New game"),
        Binding("x", "cancel", "Cancel move"),
        Binding("m", "resume", "Bot move"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, candidate: Candidate) -> None:
        super().__init__()
        self.candidate = candidate
        self.engine: Any = None
        self.actions: list[str] = []
        self.hidden_moves = False  # whether the log hid a move (revealed at the end)
        self.info: dict[str, Any] | None = None
        self.game = 0
        self.phase = "busy"  # busy (the engine is asked), human, bot (thinking), paused or over
        self.viewer = 0
        self.worker: Worker | None = None
        self.engine_in_use = False  # a worker is inside an engine call

    def compose(self) -> ComposeResult:
        kinds = seat_kinds(self.candidate.pack.info)
        bot = default_planner(self.candidate.pack).kind
        yield Header()
        with Horizontal(id="seats"):
            for player, kind in ((0, "human"), (1, bot)):
                yield Label(f"player {player}")
                yield Select([(k, k) for k in kinds], value=kind, allow_blank=False, compact=True, id=f"seat{player}")
            yield Label("simulations")
            yield Select(SIMULATIONS, value=1000, allow_blank=False, compact=True, id="sims")
        with Horizontal(id="body"):
            with Vertical(id="board-pane"):
                yield BoardView(id="board")
                yield Static(id="play-status", classes="status")
            with Vertical(id="side"):
                yield Label("Legal actions", classes="section")
                yield OptionList(id="legal")
                yield Label("Moves", classes="section")
                yield Log(id="log")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = f"play · {self.candidate.pack.name} · {self.candidate.name}"
        if self.new_engine():
            self.action_new_game()

    def new_engine(self) -> bool:
        try:
            self.engine = self.app.services.engine_factory(self.candidate)
        except Exception as exc:  # e.g. a reference that does not load
            self.engine = None
            self.end(f"cannot start the game's engine: {exc}")
        return self.engine is not None

    def on_unmount(self) -> None:
        engine, self.engine = self.engine, None
        if self.worker is not None:
            self.worker.cancel()
        if engine is not None and not self.engine_in_use:
            engine.close()  # otherwise the worker closes it when its call returns

    def seats(self) -> list[str]:
        return [self.query_one(f"#seat{p}", Select).value for p in (0, 1)]

    def status(self, message: str | Text) -> None:
        self.query_one("#play-status", Static).update(message)

    def set_phase(self, phase: str) -> None:
        self.phase = phase
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self.phase == "bot"
        if action == "resume":
            return self.phase == "paused"
        return True

    # The game loop: one worker per position, moves applied on the UI thread

    def action_new_game(self) -> None:
        if self.engine is None:
            return
        self.game += 1
        self.actions, self.info, self.hidden_moves = [], None, False
        seats = self.seats()
        log = self.query_one("#log", Log)
        log.clear()
        log.write_line(f"game {self.game}: {seats[0]} vs {seats[1]}")
        self.advance()

    def advance(self) -> None:
        self.stop_worker()
        if self.engine is None:
            return
        self.query_one("#legal", OptionList).clear_options()
        seed = random.Random(f"{self.app.seed}:{self.game}:{len(self.actions)}").randrange(2**31)
        self.engine_in_use = True
        self.worker = self._step(list(self.actions), self.seats(), self.query_one("#sims", Select).value, seed)
        self.set_phase("busy")

    def stop_worker(self) -> None:
        """Cancel the step in progress. An engine call cannot be interrupted, so a worker that is still
        inside one keeps its engine (and closes it when the call returns); play goes on with a fresh one."""
        if self.worker is not None:
            self.worker.cancel()
            self.worker = None
        if self.engine_in_use:
            self.engine_in_use = False
            self.new_engine()

    @work(thread=True, exclusive=True, group="play", exit_on_error=False)
    def _step(self, actions: list[str], seats: list[str], simulations: int, seed: int) -> None:
        worker = get_current_worker()
        engine = self.engine
        try:
            info = engine.info(actions)
            if worker.is_cancelled:
                return
            self._post(self.show_position, info)
            player = info["player"]
            if player == TERMINAL:
                self._post(self.finish, info, final=True)
            elif player == CHANCE:
                self._post(self.apply_move, player, random.Random(seed).choice(info["legal"]), final=True)
            elif seats[player] == "human":
                self._post(self.ask_human, info, final=True)
            else:
                self._post(self.bot_thinking, f"player {player} ({seats[player]}, {simulations} sims)")
                action = engine.choose(actions, player, Planner(seats[player], simulations=simulations), seed)
                if worker.is_cancelled:
                    return
                if action not in info["legal"]:
                    reason = f"player {player} ({seats[player]}) chose the illegal move {action!r}"
                    self._post(self.end, reason, final=True)
                else:
                    self._post(self.apply_move, player, action, final=True)
        except Exception as exc:  # EngineError: the model raised, hung or died; anything else: say so too
            if not worker.is_cancelled:
                self._post(self.end, f"the game's model failed: {exc}", final=True)
        finally:
            if engine is not self.engine:  # retired while this call ran (cancelled, or the screen closed)
                engine.close()

    def _post(self, callback, *args, final: bool = False) -> None:
        """Run `callback` on the UI thread, unless the screen closed or this worker was cancelled meanwhile.
        `final`: this worker is done with the engine."""
        worker = get_current_worker()

        def run() -> None:
            if self.is_attached and self.worker is worker and not worker.is_cancelled:
                if final:
                    self.engine_in_use = False
                callback(*args)

        self.app.call_from_thread(run)

    def show_position(self, info: dict[str, Any]) -> None:
        self.info = info
        player, seats = info["player"], self.seats()
        humans = [p for p in (0, 1) if seats[p] == "human"]
        if len(humans) == 1:
            self.viewer = humans[0]  # never show a person the other player's hidden information
        elif player in (0, 1):
            self.viewer = player
        self.query_one("#board", BoardView).show(info["observations"][self.viewer], f"player {self.viewer}'s view")

    def ask_human(self, info: dict[str, Any]) -> None:
        legal = self.query_one("#legal", OptionList)
        legal.add_options(info["legal"])
        legal.highlighted = 0
        legal.focus()
        self.status(f"your move, player {info['player']}: pick an action (arrows + enter, or click)")
        self.set_phase("human")

    def bot_thinking(self, who: str) -> None:
        self.status(f"{who} is thinking… x: cancel")
        self.set_phase("bot")

    @on(OptionList.OptionSelected, "#legal")
    def human_moved(self, event: OptionList.OptionSelected) -> None:
        if self.phase == "human" and self.info is not None:
            self.apply_move(self.info["player"], str(event.option.prompt))

    def hides(self, player: int) -> bool:
        """With hidden information and a person playing, only that person's own moves are logged openly
        (the board shows what they may know); everything is revealed when the game is over."""
        seats = self.seats()
        return self.candidate.pack.info == "imperfect" and "human" in seats and (player < 0 or seats[player] != "human")

    def apply_move(self, player: int, action: str) -> None:
        self.actions.append(action)
        self.hidden_moves = self.hidden_moves or self.hides(player)
        who = "chance" if player == CHANCE else f"player {player} ({self.seats()[player]})"
        shown = "(hidden)" if self.hides(player) else action
        self.query_one("#log", Log).write_line(f"{len(self.actions):3d}. {who}: {shown}")
        self.advance()

    def finish(self, info: dict[str, Any]) -> None:
        result = outcome(info["rewards"], self.seats())
        log = self.query_one("#log", Log)
        if self.hidden_moves:
            log.write_line(f"all moves: {' '.join(self.actions)}")
        log.write_line(f"game over: {result}")
        self.status(Text(f"Game over after {len(self.actions)} moves: {result} · n: new game", style="bold"))
        self.set_phase("over")

    def end(self, reason: str) -> None:
        """The game cannot go on (a failing model, an illegal bot move): say why, keep the app."""
        self.worker = None
        self.query_one("#legal", OptionList).clear_options()
        self.query_one("#log", Log).write_line(f"game ended: {reason}")
        self.status(Text(f"Game ended: {reason}", style="red"))
        self.notify(reason, title="game ended", severity="error", timeout=10, markup=False)
        self.set_phase("over")

    # Cancelling, resuming and changing seats

    def action_cancel(self) -> None:
        if self.phase == "bot":
            self.stop_worker()
            self.status("move cancelled · m: let the bot move · n: new game · or make that seat human")
            self.set_phase("paused")

    def action_resume(self) -> None:
        if self.phase == "paused":
            self.advance()

    @on(Select.Changed, "#seats Select")
    def seats_changed(self) -> None:
        if self.engine is not None and self.info is not None and self.phase != "over":
            self.advance()  # the side to move may now be a person, or a bot

    def action_back(self) -> None:
        self.app.pop_screen()
