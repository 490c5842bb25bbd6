"""Program stage `seq-lens` of the tilefuse paths: a paged attention whose mask is proven its sequences' lengths
(ir/seq_lens.py: key j of batch row b seen exactly where j < seq_lens[b]) is marked `tilefuse.key_lengths`, what
the dispatch stage seq-lens-bound reads to end each K2 loop at the sequence's last live page.

The mark says: along the attention's keys, in their order, the keys a mask row sees are a prefix, the same for
every row and head of one batch index. Each later program stage keeps that true (pack-query-groups broadcasts the
mask's rows, split-k2 and page-kv cut the keys into whole contiguous ranges; pad-to-tiles pads no key of a paged
attention: its keys are whole pages) and moves the mark with the op (irbuild.rebuilt_attention); IREE keeps it on
the op in the dispatch. The mask itself stays the operand: the last live page is masked in the kernel as before.
Only paged attentions are marked (the form serving code passes lengths with); design/tilefuse-path.md, "Paged KV"."""

from __future__ import annotations

import iree.compiler.ir as ir

from ...ir.paged import page_size
from ...ir.seq_lens import KEY_LENGTHS, length_mask
from ..program_stage import rewrite_attention_ops
from ..stage import StageInput, StageResult


def mark_seq_lens(module: ir.Module, stage_input: StageInput) -> StageResult:
    return rewrite_attention_ops(module, stage_input, _mark)


def _mark(op, shape) -> dict | None:
    if page_size(op, shape) is None or length_mask(op, shape) is None:
        return None
    op.attributes[KEY_LENGTHS] = ir.UnitAttr.get()
    return {"key_lengths": True}
