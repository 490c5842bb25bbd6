"""xdsl-opt pass pipelines on tilefuse IR, in process: what `--rewrite-after STAGE=PIPELINE` runs between two stages.

The passes are xdsl-opt's: its built-in ones and every plugin universe's (tilefuse's rewrites and
`tilefuse-stage` among them), named and configured as on the xdsl-opt command line (`p1,p2{opt=v}`).
"""

from __future__ import annotations

from xdsl.passes import PassPipeline
from xdsl.universe import Universe
from xdsl.utils.exceptions import DiagnosticException, PassFailedException

from .interchange import InterchangeError, make_context, parse_snapshot, print_for_iree


def available_passes() -> dict:
    return Universe.get_multiverse().all_passes


def parse_pipeline(spec: str) -> PassPipeline:
    """The pipeline, or InterchangeError naming the unknown pass / malformed spec (one line)."""
    try:
        return PassPipeline.parse_spec(available_passes(), spec)
    except Exception as e:  # xDSL raises ValueError / PassPipelineParseError with a multi-line message
        raise InterchangeError(f"xDSL pass pipeline '{spec}': {str(e).strip().splitlines()[0]}") from None


def apply_pipeline(text: str, spec: str, what: str = "the IR") -> str:
    """TEXT (any form IREE reads) through the xDSL pipeline SPEC; the result in generic form for IREE."""
    pipeline = parse_pipeline(spec)
    ctx = make_context()
    module = parse_snapshot(text, ctx, what)
    try:
        pipeline.apply(ctx, module)
    except (PassFailedException, DiagnosticException) as e:
        raise InterchangeError(f"xDSL pipeline '{spec}' on {what}: {str(e).strip().splitlines()[0]}") from None
    return print_for_iree(module)
