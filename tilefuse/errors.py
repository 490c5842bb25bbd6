"""Errors that are the user's to fix: the CLI prints them as one line and exits 2."""


class TilefuseError(Exception):
    """Bad input or a failed tool run, described in one line for the user."""


class StageError(TilefuseError):
    """A stage of a path failed; names the stage so the user knows where."""

    def __init__(self, stage: str, message: str):
        super().__init__(f"stage '{stage}' failed: {message}")
        self.stage = stage


class Unsupported(Exception):
    """The problem is outside what the tilefuse path handles; the message says why (a refusal, not a failure:
    `--fallback` lowers such a dispatch by another path)."""
