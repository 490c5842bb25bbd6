"""Errors of tilefuse: the user's to fix (the CLI prints them as one line and exits 2), a stage that failed
(one line, exit 1), and the two refusals that are not the user's fault and mean different things: the tilefuse
path declining a problem, and an interpreter declining an op."""


class TilefuseError(Exception):
    """Bad input or a failed tool run, described in one line for the user."""


class ConfigError(TilefuseError):
    """A config field (--config, or an edit of the config) that cannot work: names the field, e.g.
    `tiling.reduction`, so the user knows what to change."""

    def __init__(self, field: str, message: str):
        super().__init__(f"config {field}: {message}")
        self.field, self.message = field, message

    def __reduce__(self):  # pickled by its arguments (contain.py sends errors back from a child process)
        return type(self), (self.field, self.message), self.__dict__


class StageFailed(TilefuseError):
    """The work stopped because a stage failed, not because of the input's form (the CLI exits 1)."""

    field: str | None = None  # the config field that caused it, if one did (then it is the user's: exit 2)


class StageError(StageFailed):
    """A stage of a path failed; names the stage, the dispatch (or "program") and the config field that caused
    it when one did."""

    def __init__(self, stage: str, message: str, dispatch: str | None = None, field: str | None = None):
        super().__init__(f"stage '{stage}' failed: " + (f"{dispatch}: " if dispatch else "") + message)
        self.stage, self.message, self.dispatch, self.field = stage, message, dispatch, field

    def __reduce__(self):  # pickled by its arguments (contain.py sends errors back from a child process)
        return type(self), (self.stage, self.message, self.dispatch, self.field), self.__dict__


class Unsupported(Exception):
    """The problem is outside what the tilefuse path handles; the message says why (a refusal, not a failure:
    `--fallback` lowers such a dispatch by another path)."""


class NotInterpretable(Exception):
    """An interpreter does not know this op (or this form of it); the stage is reported unchecked, never passed."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what
