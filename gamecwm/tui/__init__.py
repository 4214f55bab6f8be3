"""The gamecwm terminal UI (Textual): browse games, generate, verify and play GameCWMs.

    gamecwm tui --game tic_tac_toe

`gamecwm.tui.app.make_app(...)` builds the app; screens live one per module, each with its `.tcss`.
"""
