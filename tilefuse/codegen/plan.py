"""One attention op's plan: every choice tilefuse makes for it, computed in one place from the attention's shape,
its variant (IR facts: a causal band, whether its query dims can merge, whether its score region reads indices),
the target and the user's --config, and read by the stages that carry it out:

    mma_rows            pack-query-groups: a GQA group's query heads become rows of one MMA tile (`packed`)
    padded              pad-to-tiles: the (packed) iteration space rounded up to whole tiles of the config
    m_tail              m-tail: fewer query rows than one MMA tile padded in the kernel, not by pad-to-tiles
    k2_splits, granule  split-k2: flash-decoding's split of the keys, in whole steps of `k2_granule` keys (in whole
                        pages of a paged K/V, which page-kv then splits the page table by)
    config              configure: the dispatch's TilefuseConfig (tiles, intrinsics, workgroup)
    kernel_heads        m-tail: static head dims that are not whole tiles (d=72), left unpadded by pad-to-tiles on a
                        path with m-tail (unpaged), tiled at the whole tiles above them (the config's tiling field)
    k1_bound            the largest run-time K1 the kernel computes (ir.attention.RUN_TIME_HEAD, which m-tail pads
                        K1 to; a larger K1 gives NaN): report.json's record of the bound
    run_time_heads      the driver: the hand-off written into the sources (IREE's configure crashes on the dispatch)
    pages_per_step      configure: the whole pages one K2 step of a paged K/V reads (heuristics.pages_per_step;
                        several: page-step merges them into the step's keys)

The program stages plan each input attention op once (`plan_program`: the first stage to plan it, on the tilefuse
paths pack-query-groups) and carry the plan to the later ones by the op's location (which names the input's
attention op through the program stages: program_stage.py); each checks that the attention it sees is the one the
plan expects. A user's tiles reach the program stages through the plan: a K2 tile of `tiling.reduction` pads the
keys to it, `tiling.k2_splits` is the split. IREE then forms dispatches (and may merge dims), so configure plans
the dispatch's attention again (`plan_dispatch`) and checks that it agrees with what the program stages did:
nothing left to pad, the same split. The dispatch's plan is report.json's record of what tilefuse chose (`plan`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

from ..ir.causal import Causal
from .config import TilefuseConfig, overridden
from ..errors import TilefuseError, Unsupported
from ..ir.attention import RUN_TIME_HEAD, RUN_TIME_KEYS, AttentionShape
from .heuristics import (aligned_sizes, choose_config, k2_granule, k2_split_place, k2_splits, k2_tile, least_pages,
                         kernel_heads, mma_rows, page_keys_multiple, pages_per_step, paged_step_refusal,
                         rows_in_kernel, run_time_pages_refusal, split_in_workgroup)
from ..target.targets import Target


@dataclass(frozen=True)
class AttentionPlan:
    sizes: tuple[int, ...]  # the iteration space planned for (the attention as the planning stage saw it)
    mma_rows: int  # query rows of one MMA tile
    packed: tuple[int, ...]  # the sizes once the query dims are merged into one (pack-query-groups); = sizes: not
    padded: tuple[int, ...] | None  # what pad-to-tiles pads the packed sizes to; None: left as it is
    k2_splits: int | None  # split-k2's split of the keys; None: not split
    k2_granule: int  # the fewest keys one split's K2 step holds
    m_tail: bool = False  # the query rows (fewer than one MMA tile) padded in the kernel (heuristics.rows_in_kernel)
    config: TilefuseConfig | None = None  # the dispatch's config (plan_dispatch); None for a program's attention
    # A run-time K1: the largest the kernel computes (ir.attention.RUN_TIME_HEAD; m-tail pads K1 to it, a larger
    # K1 gives NaN); None: K1 is static.
    k1_bound: int | None = None
    # Head dims (K1, N) of run-time size: IREE's configuration of the dispatch as written crashes (SIGFPE), so the
    # driver hands it off in the sources, before IREE configures them (driver/compile.py).
    run_time_heads: bool = False
    # A paged K/V: the whole pages one K2 step reads (the config's reduction tile of the pages); None: not paged.
    pages_per_step: int | None = None
    # Where split-k2's splits go (heuristics.k2_split_place): None, a workgroup each; SUBGROUPS, the subgroups of
    # one workgroup, combined in the same dispatch.
    k2_split_place: str | None = None

    @property
    def staged(self) -> tuple[int, ...]:
        """The sizes split-k2 sees: padded, else packed."""
        return self.padded or self.packed

    def to_dict(self) -> dict:
        """JSON types (lists, the config as report.json's config.tilefuse)."""
        d = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items() if k != "config"}
        d["config"] = self.config.to_dict() if self.config is not None else None
        return d


@dataclass(frozen=True)
class Variant:
    """What the plan needs of an attention besides its shape, read from the IR by the stage that plans it."""

    packable: bool = False  # its query dims can merge into one (merge_dims.packable, a mask that allows it)
    broadcasts_mask: bool = False  # merging them broadcasts its mask over the group (a copy, not a view)
    reads_indices: bool = False  # its score region reads iteration indices: neither packed nor split
    page: int | None = None  # keys per page of a paged K/V (ir/paged.py): split in whole pages; None: not paged
    lengths: bool = False  # its mask is the sequences' lengths (seq_lens: ir/seq_lens.py), which bound its loop


def user_k2_tile(overrides: dict | None) -> int | None:
    """The K2 tile of a --config `tiling.reduction` (its one non-zero entry: check_fits refuses a reduction tile
    of any other dim): the keys are padded to it. A reduction of another form is configure's to refuse."""
    tiles = [t for t in ((overrides or {}).get("tiling") or {}).get("reduction") or () if t]
    return tiles[0] if len(tiles) == 1 else None


def plan_program(shape: AttentionShape, target: Target, overrides: dict | None, variant: Variant,
                 m_tail: bool = False) -> AttentionPlan:
    """The plan of an attention op in the input program (raises Unsupported where tilefuse has no MMA for it).
    `m_tail`: the path has the m-tail stage, so a (packed) M of fewer rows than one MMA tile stays as it is and
    the kernel pads it (decided once here: pad-to-tiles, split-k2 and configure follow the plan); not under a
    score region reading indices (a causal one): its mask is computed in the tile, which m-tail does not pad.
    Static head dims that are not whole tiles (d=72) the m-tail stage pads in the kernel on such a path, under
    any mask but a causal region (they are not the mask's dims), K/V not paged: pad-to-tiles leaves them, so the
    program copies no K/V (`kernel_heads`)."""
    rows = mma_rows(shape, target)
    # (not over a run-time batch: merge_dims reshapes static shapes only)
    packs = (variant.packable and not variant.reads_indices and len(shape.m) > 1
             and shape.sizes[shape.m[-1]] % rows != 0 and not any(d in shape.batch for d in shape.run_time))
    packed = merged_query_dims(shape) if packs else shape
    # (under a paged K/V only K1, and only where a K2 step reads one page, as under seq_lens (pages_per_step): a
    # padded N's last tile would be gathered at a run-time width, and a step of several pages is page-step's
    # collapse of the gathered pages, which the lane stage reads through, not through a pad of it; such heads
    # keep the program's pad, as on the paths without m-tail)
    # (nor under a K/V of another element type than Q's, which widen-kv extends in the dispatch: m-tail's pad of
    # the extension stands where k2-tail pads the fp8 slices before it; an fp8 cache of run-time length at d=40
    # failed in decompose)
    # (nor under a score region reading indices, a causal one: causal-bound and causal-peel take the accumulator
    # straight to the workgroup's result tile, which m-tail's slice of the real columns stands before; fuzz seed
    # 2088 case 0, d=40 causal on gfx942, was refused in causal-bound)
    heads_in_kernel = (m_tail and (variant.page is None or (variant.lengths and not _pads_n(packed, target)))
                       and shape.kv_element_type is None and not variant.reads_indices)
    if variant.page is not None and not heads_in_kernel and _pads_heads(packed, target):
        # head dims padded in the program (d=72 to 80, paths without m-tail): the pad stands between the gathers
        # and the attention, so IREE copies the gathered K/V out of its dispatch, which then reads plain keys:
        # planned (split) as keys
        variant = replace(variant, page=None)
    m_tail = m_tail and not variant.reads_indices
    padded = _aligned(packed, target, overrides, variant, m_tail, heads_in_kernel)
    if packs and variant.broadcasts_mask and not _pads_mask(packed, padded):
        # IREE's dispatch formation folds a mask's broadcast over the group into the attention (its map), which
        # splits the merged rows into the group and its rows again, unless a pad of the mask (rows or keys) stands
        # between: the dispatch's attention is the unpacked one, so its rows are padded as they are (a GQA
        # prompt of 24 rows in groups of 2: 48 merged rows need no pad, and the dispatch had 24 rows, refused)
        packed = shape
        padded = _aligned(packed, target, overrides, variant, m_tail, heads_in_kernel)
    staged = replace(packed, sizes=padded) if padded else packed
    splits, granule = _splits(staged, target, overrides, variant)
    return AttentionPlan(shape.sizes, rows, packed.sizes, padded if padded != packed.sizes else None, splits,
                         granule, m_tail and padded is not None and rows_in_kernel(staged, target),
                         k2_split_place=_split_place(splits, staged, target, overrides))


def _split_place(splits: int | None, shape: AttentionShape, target: Target, overrides: dict | None) -> str | None:
    """heuristics.k2_split_place for the config's request; a run-time K2's ranges (split_ranges.py) are
    workgroups only (their forall is folded into the workgroup ids: not built on subgroups)."""
    requested = ((overrides or {}).get("tiling") or {}).get("k2_split_place")
    place = k2_split_place(splits, target, requested)
    if place is not None and any(d in shape.k2 for d in shape.run_time):
        raise TilefuseError(f"config: k2_split_place={place} of a run-time K2 (its split ranges) is not built")
    return place


def _aligned(shape: AttentionShape, target: Target, overrides: dict | None, variant: Variant, m_tail: bool,
             heads_in_kernel: bool) -> tuple[int, ...] | None:
    """What pad-to-tiles pads SHAPE to, None where it leaves it alone (more than one dim of a role)."""
    try:  # a paged attention's keys are whole pages: padded, if at all, in pages of its page table (pad-to-tiles)
        keys = variant.page
        if keys is not None and not variant.lengths:  # (under seq_lens: not padded, refused by the split)
            keys = page_keys_multiple(shape, target, keys)
        return aligned_sizes(shape, target, keys or user_k2_tile(overrides), m_tail, heads_in_kernel)
    except Unsupported:
        return None


def _pads_heads(shape: AttentionShape, target: Target) -> bool:
    """Whether pad-to-tiles pads the head dims (K1, N) of SHAPE."""
    try:
        padded = aligned_sizes(shape, target)
    except Unsupported:
        return False
    return any(padded[d] != shape.sizes[d] for d in (*shape.k1, *shape.n))


def _pads_n(shape: AttentionShape, target: Target) -> bool:
    """Whether the kernel would tile SHAPE's N above its size (`kernel_heads`: not whole N tiles)."""
    try:
        heads = kernel_heads(shape, target)
    except Unsupported:
        return False
    return heads is not None and heads[1] != shape.sizes[shape.n[0]]


def _pads_mask(packed: AttentionShape, padded: tuple[int, ...] | None) -> bool:
    """Whether pad-to-tiles pads a packed attention's mask: its merged rows or its keys grow."""
    return padded is not None and any(padded[d] != packed.sizes[d] for d in (*packed.m, *packed.k2))


def _splits(shape: AttentionShape, target: Target, overrides: dict | None, variant: Variant
            ) -> tuple[int | None, int]:
    granule = k2_granule(shape, target)
    override = ((overrides or {}).get("tiling") or {}).get("k2_splits")
    if variant.page is not None:
        return _page_splits(shape, target, variant, granule, override), granule
    if variant.reads_indices:
        return None, granule  # a score region reading indices would read each split's own keys
    # A run-time K2 (its only run-time dim) is split as the long aligned K2 it is planned as (RUN_TIME_KEYS):
    # split-k2 cuts the run-time keys into that many ranges of whole granules
    keys_only = shape.run_time and set(shape.run_time) <= set(shape.k2)
    split_shape = replace(shape, run_time=()) if keys_only else shape
    splits = k2_splits(split_shape, target) if override is None else override
    return (splits if splits and splits > 1 else None), granule


def _page_splits(shape: AttentionShape, target: Target, variant: Variant, granule: int, override: int | None
                 ) -> int | None:
    """A paged attention is split (flash-decoding) in whole pages: the most splits up to the decode heuristic's
    (or the user's) that divides the pages, so that page-kv splits the page table as split-k2 splits the keys and
    each split's K2 loop steps through its pages, each split's pages a multiple of the fewest that hold whole MMA
    steps of keys (pages of 8 keys under a 16-key step: 2). Unsupported where the pages hold no whole MMA step or
    the attention cannot be split; a user's split that cuts a page or such a step is refused."""
    page = variant.page
    # a run-time page count (the page table's length; its only run-time dim) is split as the nominal keys it is
    # planned as (RUN_TIME_KEYS): split-k2 cuts the table into that many ranges of whole pages
    run_time_pages = bool(shape.run_time) and set(shape.run_time) <= set(shape.k2)
    if variant.reads_indices or (shape.run_time and not run_time_pages) or shape.splits or len(shape.k2) != 1:
        raise Unsupported("a paged K/V with a score region reading indices, a run-time size besides its page "
                          "count or an attention split already is not built")
    pages = shape.sizes[shape.k2[0]] // page
    least = least_pages(page, granule)  # a split's pages hold whole MMA steps of keys
    if run_time_pages and least > 1 and variant.lengths:
        raise Unsupported(run_time_pages_refusal(page, granule))
    if pages % least:
        raise Unsupported(paged_step_refusal(page, pages, granule, variant.lengths))
    if override is not None and (pages % override or pages // override % least):
        raise TilefuseError(f"config: k2_splits={override} does not split the {pages} pages of a paged K/V into "
                            f"whole pages of whole MMA steps ({least} pages of {page} keys)")
    # the split kernel's K2 step: its pages a step as configure takes them (of the whole K/V's pages: they hold
    # whole MMA steps, checked above; one a step under seq_lens or of a run-time page count)
    step = page * pages_per_step(page, pages, k2_tile(shape, target), granule, variant.lengths or run_time_pages)
    wanted = override if override is not None else k2_splits(replace(shape, run_time=()), target, step) or 1
    splits = max(s for s in range(1, min(wanted, pages) + 1) if pages % s == 0 and pages // s % least == 0)
    return splits if splits > 1 else None


def merged_query_dims(shape: AttentionShape) -> AttentionShape:
    """The shape once its query dims are merged into the innermost (merge_dims: the other dims keep their order)."""
    return _merged(shape, shape.m)


def merged_keys(shape: AttentionShape) -> AttentionShape:
    """The shape with its K2 dims merged into the innermost (a paged dispatch's (pages, page): the keys as the
    program stages planned them). Pages of run-time count: keys of run-time length, planned as RUN_TIME_KEYS."""
    merged = _merged(shape, shape.k2)
    if not any(d in shape.run_time for d in shape.k2[:-1]):
        return merged
    (k2,) = merged.k2
    sizes = tuple(RUN_TIME_KEYS if d == k2 else n for d, n in enumerate(merged.sizes))
    return replace(merged, sizes=sizes, run_time=tuple(sorted({*merged.run_time, k2})))


def _merged(shape: AttentionShape, dims: tuple[int, ...]) -> AttentionShape:
    """The shape with DIMS (one role's) merged into the innermost of them, the other dims kept in order."""
    sizes = {d: shape.sizes[d] for d in range(len(shape.sizes)) if d not in dims[:-1]}
    sizes[dims[-1]] = math.prod(shape.sizes[d] for d in dims)
    return _kept_dims(shape, sizes)


def unsplit(shape: AttentionShape) -> AttentionShape:
    """A split dispatch's attention with its splits back in K2 (what split-k2 saw, up to IREE's merged dims)."""
    splits = math.prod(shape.sizes[d] for d in shape.splits)
    keep = [d for d in range(len(shape.sizes)) if d not in shape.splits]
    return _kept_dims(shape, {d: shape.sizes[d] * (splits if d in shape.k2 else 1) for d in keep})


def _kept_dims(shape: AttentionShape, sizes: dict[int, int]) -> AttentionShape:
    """The shape over the dims `sizes` keeps (in order, renumbered from 0), each of its size there; the roles of
    the dims it drops go with them."""
    at = {d: i for i, d in enumerate(sorted(sizes))}

    def roles(dims):
        return tuple(at[d] for d in dims if d in at)

    return AttentionShape(tuple(sizes[d] for d in sorted(sizes)), roles(shape.batch), roles(shape.m),
                          roles(shape.k1), roles(shape.k2), roles(shape.n), shape.element_type, roles(shape.splits),
                          shape.kv_element_type, roles(shape.run_time), shape.v_element_type)


def plan_dispatch(shape: AttentionShape, target: Target, overrides: dict | None, causal: Causal | None,
                  share_kv: bool, tail_stages: bool = True, page: int | None = None, lengths: bool = False,
                  range_splits: int | None = None, masked: bool = False) -> AttentionPlan:
    """The plan of a dispatch's online_attention: its config (the heuristic's, a proven causal mask's tiling, the
    user's fields merged and checked), and a check that the program stages did what a plan of this attention
    says: a split dispatch split as its unsplit attention is planned (else TilefuseError: the stages and
    configure disagree), nothing left to pad (else Unsupported, as any attention the path cannot tile).

    A K2 of run-time length is planned as a long aligned one (RUN_TIME_KEYS: whole K2 steps), whose last step the
    k2-tail stage pads in the kernel (split-k2 cuts a decode's into ranges of run-time length, one attention each in
    a split forall of `range_splits` iterations, codegen/split_ranges.py: checked against the plan's split); a
    run-time M likewise (RUN_TIME_ROWS: whole workgroup tiles), whose last subgroup tiles the m-tail stage pads:
    `tail_stages` says the path has those stages (else Unsupported). A run-time K2 shares no K/V tile: share-kv
    copies whole tiles into workgroup memory, and k2-tail's last tile is a masked read of fewer keys, which it does
    not copy (yet), so it reads its fragments from global memory. A run-time M alone shares them as a static one
    does: m-tail keeps every subgroup of the last workgroup (those past the last row compute padding and store
    nothing), so all reach the barriers. Run-time head dims (planned at RUN_TIME_HEAD) share no K/V tile either
    (their tiles are padded in the kernel); a run-time N is tiled by one PV MMA tile per workgroup: m-tail writes
    the last one's real columns as it writes real rows (one masked window per lane, which a lane's columns allow
    only within one MMA tile), and a run-time K1 is bounded (`k1_bound`). Static head dims that are not whole
    tiles (d=72, left to the kernel by plan_program) are planned as the whole tiles above them
    (`heuristics.kernel_heads`, the config's `tiling.kernel_heads`, which m-tail pads the tile to), sharing no K/V
    tile either, a padded N tiled as a run-time one.
    `page`: the keys per page of a paged K/V (ir/paged.py), whose keys are two dims (pages, page: page-kv).
    `masked`: the attention has a mask operand."""
    heads = [d for d in shape.run_time if d in shape.k1 + shape.n]
    if shape.run_time and not tail_stages:
        role, stage = (("M", "m-tail") if any(d in shape.m for d in shape.run_time) else
                       ("head dim", "m-tail") if heads else ("K2", "k2-tail"))
        raise Unsupported(f"a run-time {role} needs the {stage} stage (paths tilefuse, tilefuse-noshare)")
    if len(shape.k2) > 1 and page is None:
        raise Unsupported(f"{len(shape.k2)} k2 dimensions; the tilefuse path handles one, or a paged K/V's (pages, "
                          f"page) with K and V both gathered in the dispatch (a paged K/V whose head dims are padded "
                          f"is not)")
    granule = k2_granule(shape, target)
    keys = merged_keys(shape)  # a paged K/V's keys as the program stages planned them
    if page is not None and keys.sizes[keys.k2[0]] // page % least_pages(page, granule):
        # before the config: small pages the program stages left unplanned (unpadded)
        raise Unsupported(paged_step_refusal(page, keys.sizes[keys.k2[0]] // page, granule, lengths))
    run_time_keys = any(d in shape.k2 for d in shape.run_time)
    # pages of run-time count: one page a step where a page holds whole MMA steps (every step whole); smaller
    # pages several a step, whose last step k2-tail pads in pages and masks (a mask of the attention's own it
    # does not merge with that: refused)
    if page is not None and run_time_keys and least_pages(page, granule) > 1 and masked:
        raise Unsupported(run_time_pages_refusal(page, granule))
    # static head dims that are not whole tiles: tiled as the whole tiles above them, padded in the kernel (m-tail;
    # K/V tiles padded there are not shared either)
    padded_heads = kernel_heads(shape, target) if tail_stages else None
    tiled = shape if padded_heads is None else _with_heads(shape, padded_heads)
    config = choose_config(tiled, target, share_kv and not run_time_keys and not heads and padded_heads is None,
                           lengths or (page is not None and run_time_keys), page)
    config = replace(config, tiling=replace(causal_tiling(_n_tile(config, tiled, shape), causal, tiled),
                                            kernel_heads=padded_heads))
    if overrides:
        config = config.merged(overrides)
        config.check_fits(tiled.sizes, shape.k2, overridden(overrides))
        # (the split's place is the plan's, below: the field merged as the user wrote it is a request)
        config = replace(config, tiling=replace(config.tiling, k2_split_place=None))
    # (a split of one page: IREE dropped the unit pages dim, the page is the one K2 dim)
    pages = None if page is None else config.tiling.reduction[shape.k2[0]] if len(shape.k2) == 2 else 1
    if pages is not None and pages > 1 and not tail_stages:
        raise Unsupported("a K2 step of several pages needs the page-step stage (paths tilefuse, tilefuse-noshare)")
    splits = math.prod(shape.sizes[d] for d in shape.splits) if shape.splits else range_splits
    if splits is not None:
        planned, _ = _splits(unsplit(keys), target, overrides, Variant(page=page, lengths=lengths))
        if planned != splits:
            raise TilefuseError(f"configure: the dispatch's attention is split in {splits} where its plan splits "
                                f"it in {planned}: split-k2 and configure disagree")
        config = replace(config, tiling=replace(config.tiling, k2_splits=splits))  # (the range forall's: recorded)
        if shape.splits and _split_place(splits, unsplit(keys), target, overrides) is not None:
            config = split_in_workgroup(config, shape, target)
    padded = aligned_sizes(keys, target, page or user_k2_tile(overrides), m_tail=tail_stages,
                           heads_in_kernel=tail_stages)
    if padded != keys.sizes:
        raise Unsupported(f"the attention {list(keys.sizes)} is not padded to its plan's tiles {list(padded)} "
                          f"(the pad-to-tiles stage pads it; this program was not padded)")
    return AttentionPlan(shape.sizes, config.qk.mnk()[0], shape.sizes, None, splits, granule,
                         tail_stages and rows_in_kernel(shape, target), config,
                         RUN_TIME_HEAD if any(d in shape.k1 for d in heads) else None, bool(heads), pages,
                         config.tiling.k2_split_place)


def _with_heads(shape: AttentionShape, heads: tuple[int, int]) -> AttentionShape:
    """SHAPE with its (K1, N) of these sizes."""
    (k1,), (n,) = shape.k1, shape.n
    return replace(shape, sizes=tuple({k1: heads[0], n: heads[1]}.get(d, s) for d, s in enumerate(shape.sizes)))


def _n_tile(config: TilefuseConfig, tiled: AttentionShape, shape: AttentionShape):
    """The tiling with the workgroup tile of a run-time N, or of a static N that is not whole tiles (`tiled`'s N
    above SHAPE's), one PV MMA tile wide (else as it is): m-tail writes the last tile's real columns masked per
    lane, which the lane stage does only within one MMA tile (a lane's columns in several blocks of several
    columns, gfx942's col_major accumulator, have no masked write yet). The price: every N tile's workgroup
    computes QK^T again, reading K once per N tile (design/tilefuse-path.md, "Unaligned head dims")."""
    (n,) = shape.n
    if n not in shape.run_time and tiled.sizes[n] == shape.sizes[n]:
        return config.tiling
    workgroup = list(config.tiling.workgroup)
    workgroup[n] = config.pv.mnk()[1]
    return replace(config.tiling, workgroup=tuple(workgroup))


def causal_tiling(tiling, causal: Causal | None, shape: AttentionShape):
    """The tiling with the causal fields of a proven-causal mask, where the tiles can use them: a workgroup's rows
    within one query head (the workgroup tile divides the head's rows). Otherwise the mask alone (every tile)."""
    if causal is None:
        return tiling
    period = causal.period if causal.period != shape.sizes[causal.row] else None
    rows = tiling.workgroup[causal.row] or shape.sizes[causal.row]
    if period is not None and period % rows:
        return tiling
    return replace(tiling, causal=causal.offset, causal_period=period, causal_window=causal.window)
