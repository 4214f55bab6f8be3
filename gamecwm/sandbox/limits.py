"""Resource and time limits of one sandboxed worker."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Limits:
    call_seconds: float = 30.0  # wall clock for one request
    candidate_seconds: float = 120.0  # wall clock for the whole worker
    cpu_seconds: int = 120
    memory_bytes: int = 2 * 1024**3
    file_bytes: int = 16 * 1024**2
    recursion: int = 5000
    output_bytes: int = 64 * 1024

    @classmethod
    def for_match(cls, call_seconds: float = 60) -> Limits:
        """A worker that hosts a model for a whole match: each call is bounded, the match is not."""
        return cls(call_seconds=call_seconds, candidate_seconds=24 * 3600, cpu_seconds=24 * 3600)
