"""A progress bar on the command line: one line on stderr redrawn with `\\r`, and nothing at
all when stderr is not a terminal (a log file or a pipe gets only the summary)."""

from __future__ import annotations

from typing import TextIO

WIDTH = 30


class ProgressBar:
    """Call with (done, total) after each item; `end()` finishes the line."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream, self.label = stream, label
        self.shown = stream.isatty()
        self.drawn = -1

    def __call__(self, done: int, total: int) -> None:
        if not self.shown or total == 0:
            return
        filled = WIDTH * done // total
        percent = 100 * done // total
        if percent == self.drawn and done != total:
            return  # redraw only when the figure changes
        self.drawn = percent
        bar = "#" * filled + "-" * (WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total} ({percent}%)")
        self.stream.flush()

    def end(self) -> None:
        if self.shown and self.drawn >= 0:
            self.stream.write("\n")
            self.stream.flush()
