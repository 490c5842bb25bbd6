"""The stage protocol's data: what a stage is given (StageInput) and what it hands back (StageResult). The stages
themselves and the paths that order them are tilefuse/codegen/paths.py; this module sits below every stage so that each
can return its result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import iree.compiler.ir as ir

from .config import TilefuseConfig
from ..errors import TilefuseError
from .plan import AttentionPlan
from ..target.targets import Target


@dataclass(frozen=True)
class StageInput:
    """What a Python stage is given besides the module: the target, the transform session (to run the sequences
    it declares, `run_sequence`), the user's config overrides; for program stages the input's attention ops to
    leave as written (--fallback undid their rewrite) and the plans the earlier program stages made, by the op's
    location (tilefuse/codegen/plan.py)."""

    target: Target
    session: object
    config_overrides: dict | None = None
    keep_as_written: frozenset[str] = frozenset()
    plans: Mapping[str, AttentionPlan] = field(default_factory=dict)
    m_tail: bool = False  # the path has the m-tail stage: the plans leave a decode's rows to the kernel to pad
    sequences: tuple[str, ...] = ()  # the sequences the running stage declares (Stage.runs; set by Stage.run)

    def run_sequence(self, module: ir.Module, sequence: str) -> None:
        if sequence not in self.sequences:
            raise TilefuseError(f"a stage ran the sequence '{sequence}' without declaring it (Stage.runs: "
                                f"{', '.join(self.sequences) or 'none'})")
        self.session.run(module, sequence)


@dataclass(frozen=True)
class StageResult:
    """What a stage did: the module it produced; a program stage's changes, beside each (the attention op's
    location, its function), and the plans it made or carried out; a configure stage's config and plan."""

    module: ir.Module
    changes: tuple[dict, ...] = ()
    changed_ops: tuple[tuple[str, str], ...] = ()
    plans: Mapping[str, AttentionPlan] = field(default_factory=dict)
    config: TilefuseConfig | None = None
    plan: AttentionPlan | None = None
