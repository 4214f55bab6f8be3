"""Bridges from any GameCWM into OpenSpiel (`openspiel.py`) and PettingZoo (`pettingzoo.py`).

A pack's reference runs in this process; a model-written file runs in the sandbox (`model.py`,
`hosted.py`). Integer actions and the outcome bounds both ecosystems need come from the pack's
`[interop]` table (`spec.py`, `spaces.py`). Neither library is imported until its bridge is.
"""
