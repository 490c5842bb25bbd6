"""Program stage `seq-lens` of the tilefuse paths: a paged attention whose mask is proven its sequences' lengths
(ir/seq_lens.py: key j of batch row b seen exactly where j < seq_lens[b]) is marked `tilefuse.key_lengths`, what
the dispatch stage seq-lens-bound reads to end each K2 loop at the sequence's last live page. Where a K2 step will
read several pages (a page of fewer keys than the target's MMA step: page-step), the last live step would read the
pages past the sequence's end in it, which may hold anything: the page table the gathers read is made live first
(codegen/page_table.py `live_pages`: each entry wholly past its row's length the row's first page), and an
attention whose table cannot be is not marked (its mask stays a mask: every page read, as the program says).

The mark says: along the attention's keys, in their order, the keys a mask row sees are a prefix, the same for
every row and head of one batch index. Each later program stage keeps that true (pack-query-groups broadcasts the
mask's rows, split-k2 and page-kv cut the keys into whole contiguous ranges; pad-to-tiles pads no key of a marked
attention: the plan pads no page under seq_lens) and moves the mark with the op (irbuild.rebuilt_attention); IREE
keeps it on the op in the dispatch. The mask itself stays the operand: the last live page is masked in the kernel as before.
Only paged attentions are marked (the form serving code passes lengths with); design/tilefuse-path.md, "Paged KV"."""

from __future__ import annotations

from functools import partial

import iree.compiler.ir as ir

from ...ir.paged import page_size
from ...ir.seq_lens import KEY_LENGTHS, length_mask
from ..heuristics import k2_granule, least_pages
from ..page_table import live_pages
from ..program_stage import rewrite_attention_ops
from ..stage import StageInput, StageResult


def mark_seq_lens(module: ir.Module, stage_input: StageInput) -> StageResult:
    return rewrite_attention_ops(module, stage_input, partial(_mark, target=stage_input.target))


def _mark(op, shape, target) -> dict | None:
    page = page_size(op, shape)
    lengths = length_mask(op, shape) if page is not None else None
    if lengths is None:
        return None
    several = least_pages(page, k2_granule(shape, target)) > 1  # a step of several pages (heuristics.pages_per_step)
    if several and not live_pages(op, lengths):
        return None
    op.attributes[KEY_LENGTHS] = ir.UnitAttr.get()
    return {"key_lengths": True, **({"live_pages": True} if several else {})}
