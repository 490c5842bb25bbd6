"""tilefuse's config selection for an online_attention op (see design/tilefuse-path.md, "Config heuristic").

The structure is FlashAttention-2 per subgroup: a workgroup owns `subgroups x 16` query rows of one batch
entry; each subgroup owns 16 rows (one MMA tile of M) and runs its own K2 loop over all keys, with no
reduction across subgroups. Both matmuls get a subgroup basis of all ones: after the subgroup stage a matmul
is one subgroup's work.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from ..ir import intrinsics
from .config import MAX_THREADS, SUBGROUPS, AttentionTiling, MatmulConfig, TilefuseConfig, WorkgroupShape
from ..errors import TilefuseError, Unsupported
from ..ir.intrinsics import Intrinsic
from ..ir.attention import AttentionShape
from ..ir.facts import ELEMENT_BYTES, FP8_FLOATS, HALF_FLOATS, MMA_FLOATS
from ..ir.lane_layout import key_order, matmul_roles
from ..target.machines import MACHINES, PRIMARY
from ..target.targets import Target

MAX_SUBGROUPS = 4
# The N (value head dim) workgroup tile: N is split across workgroups, which recompute QK^T but keep the PV
# accumulator and V tile small. Below head dims of 256, K1 + the N tile (the columns of K and V one K2 iteration
# of 64 keys holds) stays within this, never narrower than 64: gfx942 d=128 with N=128 (256 columns) took 276
# VGPRs (one wave per SIMD), with N=64 166; d=160 with N=80 (240) 242, Phi-3's d=96 in one 96-wide tile 208,
# 28 % under two 48-wide ones in the estimate (design/tilefuse-path.md, "Config heuristic").
MAX_KV_COLUMNS = 240


def n_tile(k1: int, n: int, pv_n: int) -> int:
    """N in the fewest workgroup tiles (each one recomputes QK^T) of whole PV MMA tiles that fit the budget;
    32 at head dims of 256 and more (d=256 with N=64 took 116 VGPRs, with N=32 86). N is padded to a multiple of
    it where it does not divide N (`aligned_sizes`)."""
    widest = max(32 if max(k1, n) >= 256 else max(MAX_KV_COLUMNS - k1, 64), pv_n)
    tiles = -(-n // widest)
    while _round_up(-(-n // tiles), pv_n) > widest:  # rounding to whole MMA tiles went past the budget
        tiles += 1
    return _round_up(-(-n // tiles), pv_n)


def _round_up(size: int, multiple: int) -> int:
    return -(-size // multiple) * multiple


@dataclass(frozen=True)
class AttentionIntrinsics:
    """The attention pair (design/tilefuse-path.md, "Intrinsics"). The PV matmul takes a target intrinsic for the
    problem's element type (f32 accumulation, the fewest rows: one subgroup owns one MMA tile of query rows), the
    first in the target's order that admits a QK partner; the QK matmul takes, among the PV intrinsic and IREE's
    virtual variants of it with the same M and N, one whose accumulator layout *is* the PV LHS layout, so P goes
    from one matmul to the next in registers — the widest K of those (fewer, longer instructions over the head
    dim), in the orientation (col_major) where they agree; where none does, a virtual variant of the intrinsic is
    the PV one with the intrinsic as QK (gfx942's fp8, `_pv_and_partners`). Where no pair lets P stay put (RDNA3's
    WMMA: the accumulator holds half a row per lane, the LHS a whole row), the pair is the first PV intrinsic
    twice, in the orientation whose query rows sit in the same lanes, and the lane stage moves P within rows (fp8
    without a pair is refused: its keys would move between lanes)."""

    qk: str
    pv: str
    col_major: bool
    p_in_registers: bool  # the QK accumulator layout is the PV LHS layout (no data moves between the matmuls)
    # Every QK intrinsic that would do (qk first), widest K first: a head dim the widest does not divide takes a
    # narrower one (gfx942's d=80: five 16x16x16 MFMAs per tile, not three 16x16x32 ones on a zero-padded 96).
    qk_choices: tuple[str, ...] = ()

    def qk_for_head_dim(self, k1: int) -> str:
        """The widest QK intrinsic whose K divides the head dim K1 (the narrowest where none does)."""
        return next((q for q in self.qk_choices if k1 % Intrinsic.named(q).mnk[2] == 0), self.qk_choices[-1])

    def head_dim_multiple(self) -> int:
        """What the pad-to-tiles stage rounds K1 up to: the narrowest QK intrinsic's K (zero columns of Q and K
        add nothing to QK^T), which never issues more hardware MMAs than a wider one on more padding."""
        return Intrinsic.named(self.qk_choices[-1]).mnk[2]


def _p_layouts_agree(qk: Intrinsic, pv: Intrinsic, col_major: bool, relabel: bool = False) -> tuple[bool, bool]:
    """(query rows in the same lanes, P's keys in the same lanes too), for P as QK's accumulator (m, n = k2)
    against PV's LHS (m, k = k2), compared over as many keys as whole tiles of both hold. With `relabel`, the keys
    agree also where they sit in the same lanes, as many per lane, in other register slots: PV then reads its K
    in the accumulator's order, V's keys permuted alike (`lane_layout.key_order`; gfx950's and sm_89's fp8, CDNA's
    f32)."""
    with intrinsics.CONTEXT:
        acc = matmul_roles(intrinsics.attr(qk.name, col_major))["acc"]
        pv_roles = matmul_roles(intrinsics.attr(pv.name, col_major))
    lhs, rhs = pv_roles["lhs"], pv_roles["rhs"]
    (_, qk_n, _), (_, _, pv_k) = qk.mnk, pv.mnk
    keys = math.lcm(qk_n, pv_k)
    rows = acc["m"] == lhs["m"]
    same = acc["n"].repeated(keys // qk_n) == lhs["k"].repeated(keys // pv_k)
    relabeled = relabel and key_order(acc["n"].repeated(keys // qk_n), lhs["k"], rhs["k"]) is not None
    return rows, rows and (same or relabeled)


def _qk_partners(pv: Intrinsic, col_major: bool, relabel: bool = False, also: tuple = ()) -> list[Intrinsic]:
    """The QK intrinsics that go with a PV intrinsic (it, its virtual variants and `also`), widest K first."""
    partners = [q for q in dict.fromkeys([pv, *pv.virtual_variants(), *also])
                if q.mnk[:2] == pv.mnk[:2] and _p_layouts_agree(q, pv, col_major, relabel)[1]]
    return sorted(partners, key=lambda q: -q.mnk[2])


def _qk_partner(pv: Intrinsic, col_major: bool) -> Intrinsic | None:
    return next(iter(_qk_partners(pv, col_major)), None)


def _pv_and_partners(real: Intrinsic, col_major: bool, relabel: bool,
                     also: tuple = ()) -> tuple[Intrinsic, list[Intrinsic]]:
    """The PV intrinsic a target intrinsic gives and its QK partners (widest K first; none: P cannot stay put).
    The intrinsic itself where a partner exists (f16 / bf16: the QK is it or a virtual variant with a longer K);
    else a virtual variant of it as PV, with the intrinsic as QK: gfx942's fp8 VMFMAs read their K operand in
    the order the real MFMA's accumulator holds P (IREE's own fp8 attention pairs them so)."""
    partners = _qk_partners(real, col_major, relabel, also)
    if partners:
        return real, partners
    for pv in real.virtual_variants():
        qks = [q for q in [real, pv] if q.mnk[:2] == pv.mnk[:2] and _p_layouts_agree(q, pv, col_major, relabel)[1]]
        if qks:
            return pv, sorted(qks, key=lambda q: -q.mnk[2])
    return real, []


def _pv_intrinsics(available: tuple, element_type: str) -> list[Intrinsic]:
    if element_type not in MMA_FLOATS:
        raise Unsupported(f"{element_type} attention: tilefuse configures the float operand types "
                          f"({', '.join(MMA_FLOATS)})")
    pvs = [i for i in map(Intrinsic.named, (a.name for a in available))
           if not i.virtual and not i.blocks and i.element_types == (element_type, element_type, "f32")]
    if not pvs:
        raise Unsupported(f"the target has no MMA intrinsic for {element_type} operands with f32 accumulation")
    return pvs


def attention_intrinsic_pairs(available: tuple, element_type: str) -> list[AttentionIntrinsics]:
    """Every pair that keeps P in registers, in the target's order of PV intrinsics, the widest QK K first, each
    with the narrower QK partners after its own as its head-dim choices: the heuristic takes the first with the
    fewest rows, a config search (tilefuse/tools/tune) tries them all. Pairs whose P keys need relabeling
    (`_p_layouts_agree`) only where the element type has no pair of identical layouts (gfx950's and sm_89's
    fp8; gfx942's keeps its VMFMA pair, the kernels built before); a relabeled pair's QK may also be another of
    the target's intrinsics for the type with the same M and N (gfx950: 16x16x32 fp8 beside 16x16x128, so a
    head dim of 64 is not padded to 128)."""
    pvs = _pv_intrinsics(available, element_type)
    return _pairs(pvs, relabel=False) or _pairs(pvs, relabel=True)


def _pairs(pvs: list[Intrinsic], relabel: bool) -> list[AttentionIntrinsics]:
    pairs = []
    for real in pvs:
        for col_major in (False, True):
            pv, partners = _pv_and_partners(real, col_major, relabel, tuple(pvs) if relabel else ())
            qks = [q.name for q in partners]
            pairs += [AttentionIntrinsics(qk, pv.name, col_major, True, tuple(qks[i:])) for i, qk in enumerate(qks)]
    return pairs


def attention_intrinsics(available: tuple, element_type: str) -> AttentionIntrinsics:
    """The pair for `element_type` operands from a target's `available` intrinsics (IREE's enums, in the
    target's order of preference)."""
    pvs = _pv_intrinsics(available, element_type)
    rows = min(p.mnk[0] for p in pvs)
    pair = next((p for p in attention_intrinsic_pairs(available, element_type)
                 if Intrinsic.named(p.pv).mnk[0] == rows), None)
    if pair is not None:
        return pair
    if element_type in FP8_FLOATS:
        # no pair holds P's keys in the lanes the PV operand wants them in: moving fp8 between lanes is not built
        raise Unsupported(f"{element_type} attention: no {element_type} intrinsic pair of the target keeps P in "
                          f"registers (the accumulator's keys sit in other lanes than the PV operand's; not built)")
    pv = next(p for p in pvs if p.mnk[0] == rows)
    col_major = next((cm for cm in (False, True) if _p_layouts_agree(pv, pv, cm)[0]), False)
    return AttentionIntrinsics(pv.name, pv.name, col_major, False, (pv.name,))


def keys_relabeled(qk: str, pv: str, col_major: bool) -> bool:
    """Whether PV must read its keys in the order QK's accumulator holds P (`_p_layouts_agree` agrees only with
    `relabel`): the tilefuse lane stage does that; IREE's vector distribution would move P instead."""
    pair = (Intrinsic.named(qk), Intrinsic.named(pv), col_major)
    return not _p_layouts_agree(*pair)[1] and _p_layouts_agree(*pair, relabel=True)[1]


def qk_variant(pv_name: str, col_major: bool) -> str:
    """The QK intrinsic that goes with a PV intrinsic (the 2024 hint path's anchor for the QK matmul)."""
    qk = _qk_partner(Intrinsic.named(pv_name), col_major)
    return qk.name if qk is not None else pv_name


def _k2_tile(k1: int, n: int, k2: int, multiple: int) -> int:
    """64 keys per K2 step (32 when a head dim >= 256), or one MMA tile of keys where that holds more (gfx950's fp8
    16x16x128: 128); fewer keys than that in one step of whole MMA tiles (`multiple`): IREE e2e `small`'s 32 keys
    unpadded, one key padded to 16, not 64. The keys are padded to it and split in whole ones of it; the loop of an
    fp8 cache decoded in registers may step through it in shorter steps (`decoded_step`)."""
    step = _round_up(32 if max(k1, n) >= 256 else 64, multiple)
    return step if k2 >= step else _round_up(k2, multiple)


# The share of a lane's registers (Backend.lane_registers) that a K2 step of an fp8 cache decoded in registers
# (widen-kv's integer decode: Target.decodes_fp8) may hold as the query fragment, the accumulator and the step's K
# and V decoded to 16 bits (`decoded_step`); the rest holds P, the softmax's row state, addresses and the decode's
# temporaries. An f16 cache's loads feed the MMAs as they come (d=128 decode, 64-key step: 240 registers, no
# spill); decoded ones are held. ptxas, sm_80, 32/8 heads, 4096 keys, E4M3FN cache (that state in registers):
# d=128 decode 16-key step (160) and d=64 decode 64-key (176) no spill; d=128 decode 32-key (224) spilled 52 B,
# d=128 prompt of 16 rows 64-key (256) 3864 B, d=256 decode 16-key (320) 320 B, d=128 decode 64-key (352: the step
# before) 5572 B, d=256 decode 32-key (448) 6456 B. 0.75 x 255 = 191 parts them.
DECODED_STATE_SHARE = 0.75


def decoded_step(shape: AttentionShape, target: Target, k1: int, n: int, step: int, multiple: int) -> int:
    """The K2 loop's step within the plan's `step` (which the keys are padded to and split in): the longest divisor
    of it in whole `multiple`s (MMA tiles of keys) whose lane state fits DECODED_STATE_SHARE of the lane's registers,
    where the target decodes the attention's fp8 K/V under a 16-bit query with integer ops and sizes steps by
    registers (else `step`; `multiple` where none fits). The state: Q's fragment (the MMA rows x K1, 16-bit), the
    accumulator (rows x the N tile, f32) and the step's K and V (keys x (K1 + the N tile), 16-bit), over the
    subgroup's lanes; the N tile all of N for a decode (one MMA tile of rows or fewer: a split keeps N whole,
    `_split_n_tile`), else `n_tile`'s. `k1`, `n`: the head dims as tiled (padded)."""
    registers = target.backend.lane_registers
    k = shape.kv_element_type
    v = shape.v_element_type or k
    if registers is None or shape.element_type not in HALF_FLOATS or k not in FP8_FLOATS \
            or not target.decodes_fp8(k, v):
        return step
    rows = mma_rows(shape, target)
    _, pv_n, _ = MatmulConfig(_pair(shape, target).pv).mnk()
    cols = n if math.prod(shape.sizes[d] for d in shape.m) <= rows else n_tile(k1, n, pv_n)
    lane_bytes = 4 * target.subgroup_size

    def fits(keys: int) -> bool:
        state = -(-(rows * k1 * 2 + rows * cols * 4 + keys * (k1 + cols) * 2) // lane_bytes)
        return state <= DECODED_STATE_SHARE * registers

    return next((d for d in range(step, multiple, -multiple) if step % d == 0 and fits(d)), multiple)


def pages_per_step(page: int, pages: int, step: int, granule: int, lengths: bool = False) -> int | None:
    """The whole pages one K2 step of a paged K/V reads (of `pages`, a split's): one where a page holds whole MMA
    steps (`granule` keys) and at least the heuristic's `step` keys (the step then tiles the page); else the most,
    up to `step` keys, of whole MMA steps, dividing `pages` (pages of 8 keys under a 16-key MMA step: 2, or 8 for a
    64-key step). None: no number of pages dividing `pages` holds whole MMA steps. `lengths`: the sequences'
    lengths bound the loop (seq_lens): one page a step where a page holds whole MMA steps (a step of several would
    read the pages past a sequence's end in its last live step); pages of fewer keys are read several a step as
    above, through a page table the seq-lens stage made live (codegen/page_table.py: no page past the end read)."""
    least = least_pages(page, granule)
    if least == 1 and (page >= step or lengths):
        return 1
    return max((p for p in range(least, max(least, step // page) + 1, least) if pages % p == 0), default=None)


def least_pages(page: int, granule: int) -> int:
    """The fewest pages of `page` keys that hold whole MMA steps of `granule` keys."""
    return granule // math.gcd(page, granule)


def run_time_pages_refusal(page: int, granule: int) -> str:
    return (f"paged K/V of a run-time page count under a mask: pages of {page} keys hold no whole {granule}-key MMA "
            f"step of the target (a step of several pages, its last one partial, is masked by k2-tail only where "
            f"the attention has no mask of its own)")


def page_keys_multiple(shape: AttentionShape, target: Target, page: int) -> int:
    """The keys a paged attention's K2 is padded to a multiple of (pad-to-tiles pads its page table: page_table.py):
    one page where its pages hold whole MMA steps (nothing is padded); else whole K2 steps of pages, the most pages
    of whole MMA steps up to the heuristic's step (25 pages of 8 keys: 32, four 64-key steps, as unpaged keys pad)."""
    if shape.run_time or any(len(getattr(shape, r)) != 1 for r in ("k1", "k2", "n")):
        return page  # (aligned_sizes and the split refuse these)
    (k1,), (k2,), (n,) = shape.k1, shape.k2, shape.n
    granule = k2_granule(shape, target)
    least = least_pages(page, granule)
    step = _k2_tile(shape.sizes[k1], shape.sizes[n], shape.sizes[k2], granule)
    if page == 1:  # IREE drops the unit page dim from the dispatch: its keys are the pages, tiled as keys are
        return step
    if shape.sizes[k2] // page % least == 0:
        return page
    return page * max(least, step // page // least * least)


def paged_step_refusal(page: int, pages: int, granule: int, lengths: bool = False) -> str:
    if lengths:
        return (f"paged K/V with seq_lens: no number of its {pages} pages of {page} keys (a split's) is a whole "
                f"number of the target's {granule}-key MMA steps, and pages past a sequence's end are not padded")
    return (f"paged K/V: no number of its {pages} pages of {page} keys (a split's) is a whole number of the "
            f"target's {granule}-key MMA steps")


def k2_tile(shape: AttentionShape, target: Target) -> int:
    """Keys per K2 loop iteration of an (aligned) attention on the target."""
    (k1,), (k2,), (n,) = shape.k1, shape.k2, shape.n
    return _k2_tile(shape.sizes[k1], shape.sizes[n], shape.sizes[k2], k2_granule(shape, target))


def k2_granule(shape: AttentionShape, target: Target) -> int:
    """The fewest keys a K2 step can hold: whole MMA tiles of both matmuls (P's keys are QK's N and PV's K)."""
    _, pv_n, pv_k = MatmulConfig(_pair(shape, target).pv).mnk()
    return math.lcm(pv_n, pv_k)


def _pair(shape: AttentionShape, target: Target) -> AttentionIntrinsics:
    """The attention's intrinsic pair. fp8 Q and K with V in the other fp8 format (mixed E4M3 x E5M2): P takes V's
    type (IREE's decomposition truncates P to it), so PV is V's pair and its QK intrinsics are swapped for Q's
    type of the same shape and layouts (`_qk_of_type`). A 16-bit query's fp8 cache is widened before the
    dispatch (widen-kv): its pair is the query's."""
    q = shape.element_type
    k = shape.kv_element_type or q
    v = shape.v_element_type or k
    if q not in FP8_FLOATS or (k, v) == (q, q):
        return attention_intrinsics(target.mma_intrinsics, q)
    if k != q:
        raise Unsupported(f"QK of {q} x {k} operands: not built (tilefuse takes QK's intrinsic for one fp8 type)")
    pair = attention_intrinsics(target.mma_intrinsics, v)
    pv = Intrinsic.named(pair.pv)
    choices = tuple(_qk_of_type(Intrinsic.named(c), pv, pair.col_major, q, target.mma_intrinsics)
                    for c in pair.qk_choices)
    if None in choices:
        raise Unsupported(f"{q} Q/K with {v} V: the target has no {q} QK intrinsic of the shape and layouts of its "
                          f"{v} pair ({pair.qk} / {pair.pv})")
    return replace(pair, qk=choices[0], qk_choices=choices)


def _qk_of_type(qk: Intrinsic, pv: Intrinsic, col_major: bool, element_type: str, available: tuple) -> str | None:
    """An `element_type` intrinsic of the target (or a virtual variant) that can stand in for `qk` beside `pv`:
    the same M, N, K, and P's layouts agree with PV's as `qk`'s do (with and without relabeled keys)."""
    reals = [i for i in map(Intrinsic.named, (a.name for a in available))
             if not i.virtual and not i.blocks and i.element_types == (element_type, element_type, "f32")]
    agree = [_p_layouts_agree(qk, pv, col_major, relabel) for relabel in (False, True)]
    return next((c.name for r in reals for c in (r, *r.virtual_variants()) if c.mnk == qk.mnk
                 and [_p_layouts_agree(c, pv, col_major, relabel) for relabel in (False, True)] == agree), None)


def _matmuls(shape: AttentionShape, target: Target) -> tuple[MatmulConfig, MatmulConfig]:
    pair = _pair(shape, target)
    if not shape.m:
        raise Unsupported("no query dimension: the subgroup stage distributes query rows")
    for role in ("k1", "n"):
        if len(getattr(shape, role)) != 1:
            raise Unsupported(f"{len(getattr(shape, role))} {role} dimensions; the tilefuse path handles one of each")
    (k1,), (n,) = shape.k1, shape.n
    rank = len(shape.sizes)
    qk_kind = pair.qk_for_head_dim(shape.sizes[k1])
    return (MatmulConfig(qk_kind, pair.col_major, (1,) * rank, tuple(d for d in range(rank) if d != n)),
            MatmulConfig(pair.pv, pair.col_major, (1,) * rank, tuple(d for d in range(rank) if d != k1)))


def mma_rows(shape: AttentionShape, target: Target) -> int:
    """The query rows of one MMA tile of the attention's QK intrinsic on the target."""
    pair = _pair(shape, target)
    return MatmulConfig(pair.qk, pair.col_major).mnk()[0]


def rows_in_kernel(shape: AttentionShape, target: Target) -> bool:
    """The innermost query dim is static and fewer rows than one MMA tile (a GQA decode's group packed into
    rows): a path with the m-tail stage pads them to the tile in the kernel, not pad-to-tiles in the program.
    The program-level pad of Q read from a function argument (a decode's) is a copy dispatch of its own (a whole
    launch), and the split partials and the combine then hold the real rows only. Not one row (an MHA decode):
    IREE drops a unit query dim from the dispatch, whose attention then has no rows to tile."""
    m = shape.m[-1]
    return m not in shape.run_time and 1 < shape.sizes[m] < mma_rows(shape, target)


def aligned_sizes(shape: AttentionShape, target: Target, k2_tile: int | None = None,
                  m_tail: bool = False, heads_in_kernel: bool = False) -> tuple[int, ...]:
    """The iteration space rounded up to what choose_config tiles without remainder: the innermost query dim
    to the MMA rows (IREE collapses several query dims, e.g. GQA's group and rows, into one inside the
    dispatch; `m_tail`: the path pads fewer rows than one MMA tile in the kernel, `rows_in_kernel`), the head
    dims (K1 to the narrowest QK intrinsic's K, N to whole N tiles, `n_tile`; `heads_in_kernel`: left as they
    are, the path's m-tail pads them in the kernel to `kernel_heads`), the keys to the K2 tile
    (`k2_tile`: the user's, else the heuristic's). The pad-to-tiles stage pads to these (tilefuse/codegen/plan.py;
    design/tilefuse-path.md, "Unaligned sequences")."""
    pair = _pair(shape, target)
    if not shape.m or any(len(getattr(shape, r)) != 1 for r in ("k1", "k2", "n")):
        raise Unsupported("padding needs query dims and one dim each of K1, K2 and N")
    mma_m, pv_n, pv_k = MatmulConfig(pair.pv, pair.col_major).mnk()
    (k1,), (k2,), (n,) = shape.k1, shape.k2, shape.n
    sizes = list(shape.sizes)
    if not (m_tail and rows_in_kernel(shape, target)):
        sizes[shape.m[-1]] = _round_up(sizes[shape.m[-1]], mma_m)
    sizes[k1], sizes[n] = _tiled_heads(shape, pair)
    sizes[k2] = _round_up(sizes[k2], k2_tile or _k2_tile(sizes[k1], sizes[n], sizes[k2], math.lcm(pv_n, pv_k)))
    if heads_in_kernel:
        sizes[k1], sizes[n] = shape.sizes[k1], shape.sizes[n]
    return tuple(sizes)


def kernel_heads(shape: AttentionShape, target: Target) -> tuple[int, int] | None:
    """The (K1, N) a path with the m-tail stage tiles an attention's static head dims at where they are not
    whole tiles (d=72: (80, 80) on gfx942, (80, 72) on sm_80), m-tail padding the subgroup's tile to them with
    zeros; None where they are (or are run-time: RUN_TIME_HEAD's). The program then holds no pad of the head dims:
    a pad there is a copy dispatch of the whole K/V (design/tilefuse-path.md, "Unaligned head dims")."""
    (k1,), (n,) = shape.k1, shape.n
    if k1 in shape.run_time or n in shape.run_time:
        return None
    tiled = _tiled_heads(shape, _pair(shape, target))
    return tiled if tiled != (shape.sizes[k1], shape.sizes[n]) else None


def _tiled_heads(shape: AttentionShape, pair) -> tuple[int, int]:
    """K1 rounded up to the narrowest QK intrinsic's K, N to whole N tiles (`n_tile`)."""
    (k1,), (n,) = shape.k1, shape.n
    tiled_k1 = _round_up(shape.sizes[k1], pair.head_dim_multiple())
    pv_n = MatmulConfig(pair.pv, pair.col_major).mnk()[1]
    return tiled_k1, _round_up(shape.sizes[n], n_tile(tiled_k1, shape.sizes[n], pv_n))


# flash-decoding: a split covers at least this many K2 tiles, so the partials (f32 acc, max, sum per split: about
# 2·4/(K2/S·2·2) of the K/V bytes a split reads at d=N) stay small and each workgroup's loop has work to overlap.
MIN_TILES_PER_SPLIT = 2
# The residency of a split kernel (one subgroup owning all of N): the d=128 decodes take 230 VGPRs on gfx942 (2
# waves per SIMD) and 254 registers on sm_80 (8 warps per SM, 2 per sub-partition), so the machine holds 2 of its
# workgroups per SIMD, not the 8 / 16 wave slots. Read from the suite's compiles (ISA, ptxas), not derived: a
# lighter kernel (a smaller head dim) would hold more and is given fewer splits than it could use.
SPLIT_WAVES_PER_SIMD = 2
# FlashAttention-2's rule (num_splits_heuristic, csrc/flash_attn/flash_api.cpp): the fewest splits whose grid
# quantizes onto the resident workgroups within this share of the best split's efficiency; more splits only add
# partials (each split writes its acc-sized partials) once the rounds are as full as they get.
SPLIT_EFFICIENCY = 0.85
# A dispatch moving fewer bytes than this is latency bound on every machine tilefuse targets: it is under what
# HBM delivers in one loaded memory latency (bandwidth x latency: A100 2.0 TB/s x ~600 ns = 1.2 MB, H100 2.0 MB,
# MI300X 4.2 MB; RX 7900 XTX 0.96 TB/s and RTX 4090 1.0 TB/s x ~1 us). Its time is the longest chain of
# dependent loads, a split's K2 loop, not its bytes, so it is split into one step of the fewest keys each.
LATENCY_BOUND_BYTES = 1 << 20
# The bytes of K/V loads a split kernel's wave keeps in flight (the estimate's: half its registers), planned
# before its registers are known (the estimate reads them from the ISA): 16 KiB is half of 128 VGPRs x 64 lanes x
# 4 B on gfx942 and of 255 registers x 32 lanes x 4 B on sm_80, the fewer the d=128 split kernels take (gfx942
# 118-126 VGPRs, 218-230 with 64-key page or 2-step loops; sm_80 202-255 registers). A step's loads then take
# bytes / 16 KiB round trips rounded up, which `_pipes_full` bounds by one more (126 VGPRs hold 16,128 B: a 32 KiB
# step is 3 round trips, not 2): a kernel holding more gets a split count one past its crossover at most.
SPLIT_LOADS_IN_FLIGHT = 16 * 1024


def _simds(target: Target) -> int:
    """The SIMDs of the machine the split is planned for: the one the target's code is estimated and benched on
    where target/machines.py has it (sm_80 code runs on the H100), else the target's own chip (`Target.simds`,
    from IREE). Sized as IREE's a100, sm_80's decode_f16_d128 would take 32 splits, which the estimate rates
    slower than 8 on the A100 too (the fill rule does not weigh the partials' bytes; design/tilefuse-path.md)."""
    return MACHINES[PRIMARY[target.name]].simds if target.name in PRIMARY else target.simds


def _resident_splits(target: Target) -> int:
    """How many one-subgroup split workgroups the target's machine holds at once (one round)."""
    return _simds(target) * SPLIT_WAVES_PER_SIMD


def k2_splits(shape: AttentionShape, target: Target, step_keys: int | None = None) -> int | None:
    """The split-k2 program stage's split of K2 for a decode-like attention (its query rows one MMA tile), on the
    target's machine holding SPLIT_WAVES_PER_SIMD one-subgroup split workgroups per SIMD (`_simds`):

    - a latency-bound one (its K/V and the partials of that split under LATENCY_BOUND_BYTES): one step of the
      fewest keys an MMA step holds (`k2_granule`) per split, as many splits as one round of resident
      workgroups holds: the chain of dependent loads is one step long;
    - otherwise, on a target with an estimate machine, the fewest splits that keep the memory pipes full
      (`_pipes_full`): past them a split only adds partials' bytes and the combine's reads;
    - where none does (or the target has no machine), FlashAttention-2's rule: among the splits dividing the K2
      tiles into at least MIN_TILES_PER_SPLIT each, the fewest whose grid, one workgroup per (batch entry,
      split), fills its rounds within SPLIT_EFFICIENCY of the best.

    `step_keys`: the keys one K2 step of the split kernel loads (a paged K/V's pages a step); default `k2_tile`.
    None where it does not apply (more rows, unaligned keys) or where no split (1) is that good."""
    if shape.splits or shape.run_time or any(len(getattr(shape, r)) != 1 for r in ("m", "k1", "k2", "n")):
        return None
    (m,), (k1,), (k2,), (n,) = shape.m, shape.k1, shape.k2, shape.n
    keys = shape.sizes[k2]
    tiles, rest = divmod(keys, k2_tile(shape, target))
    if shape.sizes[m] > mma_rows(shape, target) or rest:  # (fewer: one tile padded in the kernel, m-tail)
        return None
    resident = _resident_splits(target)
    workgroups = math.prod(shape.sizes[d] for d in shape.batch)
    granule = k2_granule(shape, target)
    kv_bytes = workgroups * keys * (shape.sizes[k1] + shape.sizes[n]) * ELEMENT_BYTES[
        shape.kv_element_type or shape.element_type]
    # per split: P and L, f32, of the accumulator's (rows, N) tile
    partial_bytes = workgroups * 2 * shape.sizes[m] * shape.sizes[n] * 4
    finest = keys // granule
    if workgroups <= resident and kv_bytes + finest * partial_bytes <= LATENCY_BOUND_BYTES:
        splits = max(s for s in range(1, finest + 1) if finest % s == 0 and workgroups * s <= resident)
        return splits if splits > 1 else None
    step = step_keys or k2_tile(shape, target)
    steps = keys // step
    full = _pipes_full(shape, target, step, [s for s in range(1, steps // MIN_TILES_PER_SPLIT + 1) if steps % s == 0],
                       kv_bytes, partial_bytes)
    if full is not None:
        return full if full > 1 else None

    def efficiency(splits: int) -> float:
        rounds = workgroups * splits / resident
        return rounds / math.ceil(rounds)

    choices = [s for s in range(1, max(1, tiles // MIN_TILES_PER_SPLIT) + 1) if tiles % s == 0]
    best = max(map(efficiency, choices))
    splits = next(s for s in choices if efficiency(s) >= SPLIT_EFFICIENCY * best)
    return splits if splits > 1 else None


def _pipes_full(shape: AttentionShape, target: Target, step: int, choices: list[int], kv_bytes: int,
                partial_bytes: int) -> int | None:
    """The fewest of `choices` splits at which one split's chain of K2 steps takes no longer than the dispatch's
    bytes (K/V and the splits' partials) at the machine's fitted bandwidth: past it the loads in flight cover
    bandwidth x latency (Little's law) and a split only adds partials and the combine's reads; short of it the
    loop is latency bound. A step is its round trips and one wave's work (the MMAs of the tile's padded rows,
    the softmax of its scores), with the physics and figures the estimate uses (target/machines.py,
    design/performance.md). None: no choice fills the pipes, or the target has no estimate machine."""
    if target.name not in PRIMARY:
        return None
    machine = MACHINES[PRIMARY[target.name]]
    (k1,), (n,) = shape.k1, shape.n
    rows = mma_rows(shape, target)
    step_bytes = step * (shape.sizes[k1] + shape.sizes[n]) * ELEMENT_BYTES[shape.kv_element_type or shape.element_type]
    trips = step_bytes / SPLIT_LOADS_IN_FLIGHT + 1
    fit = machine.fit
    # (one SIMD's time for one wave's step: the whole machine's for that work, times its SIMDs)
    wave_work = machine.simds * machine.work_seconds(fit, 2 * rows * step * (shape.sizes[k1] + shape.sizes[n]),
                                                     rows * step, element_bytes=ELEMENT_BYTES[shape.element_type])
    workgroups = math.prod(shape.sizes[d] for d in shape.batch)
    keys = shape.sizes[shape.k2[0]]
    for splits in choices:
        rounds = math.ceil(workgroups * splits / _resident_splits(target))
        chain = rounds * keys // (splits * step) * (trips * machine.latency_s + wave_work)
        if chain <= (kv_bytes + splits * partial_bytes) / (machine.hbm_bytes_per_s * fit.hbm_efficiency):
            return splits
    return None


def _split_n_tile(shape: AttentionShape, target: Target, pv_n: int, k2_step: int) -> int:
    """The N tile of a split dispatch's workgroups. A latency-bound split (its loop one K2 step: `k2_splits`)
    takes one memory round trip and then one wave's MMAs and softmax: N tiles of one PV MMA each spread that work
    over more workgroups (each recomputes QK^T), as long as the grid stays within one round of resident split
    workgroups. Every other split keeps all of N (its loop's work grows with N only through PV). Each N tile's
    workgroup writes its own columns of P and L (L repeated along N: split-k2), so nothing is written twice."""
    (n,) = shape.n
    sizes = shape.sizes
    grid = math.prod(sizes[d] for d in (*shape.batch, *shape.m[:-1])) * (sizes[n] // pv_n)
    if math.prod(sizes[d] for d in shape.k2) == k2_step and grid <= _resident_splits(target):
        return pv_n
    return sizes[n]


def k2_split_place(splits: int | None, target: Target, requested: str | None) -> str | None:
    """Where split-k2's S splits go: None, one workgroup each and a combine dispatch after (the default: on gfx942
    the estimate has the one-dispatch form still over stock's on the decodes it was built for, and its code
    spills on both targets, design/tilefuse-path.md "Flash-decoding in one dispatch"); SUBGROUPS where the config
    asks (`tiling.k2_split_place`): the S splits the
    subgroups of one workgroup, combined in its workgroup memory, one dispatch. A workgroup holds at most
    MAX_THREADS / subgroup size subgroups (16 on gfx942, 32 on sm_80)."""
    if requested != SUBGROUPS or splits is None:
        return None
    most = MAX_THREADS // target.subgroup_size
    if splits > most:
        raise TilefuseError(f"config: k2_split_place={SUBGROUPS} puts each of the {splits} splits on a subgroup of "
                            f"one workgroup, which holds at most {most} on {target.name}: set k2_splits <= {most}")
    return SUBGROUPS


def split_in_workgroup(config: TilefuseConfig, shape: AttentionShape, target: Target) -> TilefuseConfig:
    """The config of a dispatch whose splits are the subgroups of one workgroup (k2_split_place SUBGROUPS): the
    split dim's workgroup tile whole and its subgroup tile 1 (one subgroup a split, S x subgroup size threads),
    nothing shared (each subgroup reads its own keys). The partials, P and L of every split (2 x S x rows x N
    tile x 4 bytes), live in workgroup memory until the combine reads them: N is tiled (each N tile's workgroup
    recomputing QK^T) until they take at most half the target's workgroup memory, so that two workgroups fit a
    CU / SM (64 KiB on gfx942: 32 KiB of partials, 16 x 8 rows x 32 columns)."""
    tiling = config.tiling
    (split,), (n,), m = shape.splits, shape.n, shape.m[-1]
    sizes = shape.sizes
    workgroup, subgroup = list(tiling.workgroup), list(tiling.subgroup)
    workgroup[split], subgroup[split] = sizes[split], 1
    rows = min(workgroup[m], sizes[m])  # (rows fewer than the tile: the real ones, m-tail stores only those)
    _, pv_n, _ = config.pv.mnk()
    budget = target.facts.workgroup_memory_bytes // 2
    fits = [t for t in range(pv_n, sizes[n] + 1, pv_n)
            if sizes[n] % t == 0 and 2 * sizes[split] * rows * t * 4 <= budget]
    if not fits:
        raise Unsupported(f"the partials of {sizes[split]} splits of {rows} rows do not fit half the "
                          f"{target.facts.workgroup_memory_bytes} bytes of workgroup memory at any N tile")
    workgroup[n] = max(fits)
    threads = sizes[split] * target.subgroup_size
    return replace(config, qk=replace(config.qk, promote_operands=()), pv=replace(config.pv, promote_operands=()),
                   tiling=replace(tiling, workgroup=tuple(workgroup), subgroup=tuple(subgroup),
                                  k2_split_place=SUBGROUPS),
                   shape=WorkgroupShape((threads, 1, 1), target.subgroup_size,
                                        min_workgroups_per_sm(target, sizes[split])))


# Columns of the in-workgroup combine's output a thread computes (split-combine's thread tiles): four f32, one
# 128-bit read of each split's partials from workgroup memory (N tiles are multiples of 8).
COMBINE_VECTOR = 4


def combine_thread_tile(rank: int) -> tuple[int, ...]:
    """The thread tiles of the in-workgroup combine's division (its output's dims, N innermost)."""
    return (1,) * (rank - 1) + (COMBINE_VECTOR,)


def choose_config(shape: AttentionShape, target: Target, share_kv: bool = False, lengths: bool = False,
                  page: int | None = None) -> TilefuseConfig:
    """`share_kv`: with more than one subgroup, K and V (each matmul's RHS) go through workgroup memory, read once
    per workgroup instead of once per subgroup (`promote_operands = [1]`, done by the share-kv stage). `lengths`:
    a paged attention stepping one page a step where a page holds whole MMA steps (`pages_per_step`): the
    sequences' lengths bound its loop, or its pages are of run-time count (no partial step of pages; smaller pages
    are read several a step, the last step's missing pages masked by k2-tail). `page`: a paged K/V's keys per page
    (pages of one key are the dispatch's one key dim: IREE drops the unit page dim; a step reads `pages_per_step`
    of them)."""
    qk, pv = _matmuls(shape, target)
    (k1,), (n,) = shape.k1, shape.n
    *outer_k2, k2 = shape.k2  # a paged K/V's (pages, page) (plan.py): a step reads `pages_per_step` whole pages
    # Several query dims (GQA's group and rows under a mask that only indexes the rows, which keeps IREE from
    # merging them): the innermost holds the MMA rows, the others are tiled by 1 like batch dims.
    *outer_m, m = shape.m
    rank = len(shape.sizes)
    mma_m, _, mma_k = qk.mnk()
    _, pv_n, pv_k = pv.mnk()
    sizes = shape.sizes
    # fewer rows than one MMA tile: one subgroup's tile, padded in the kernel (m-tail; plan_dispatch refuses it
    # on a path without that stage)
    subgroups = 1 if sizes[m] < mma_m else next((s for s in (MAX_SUBGROUPS, 2, 1) if sizes[m] % (s * mma_m) == 0),
                                                None)
    if subgroups is None:
        raise Unsupported(f"unaligned M={sizes[m]}: not a multiple of the {mma_m}-row MMA tile "
                          f"(the pad-to-tiles stage pads it; this program was not padded)")
    granule = math.lcm(pv_n, pv_k)

    def step(keys: int) -> int:
        return decoded_step(shape, target, sizes[k1], sizes[n], _k2_tile(sizes[k1], sizes[n], keys, granule), granule)

    k2_tile = step(sizes[k2])
    gathered = page == 1 and not outer_k2  # a step of one-key pages: a gather of its keys
    if gathered:
        k2_tile = pages_per_step(1, sizes[k2], k2_tile, granule, lengths) or k2_tile
    pages = 1
    if outer_k2:
        (outer,) = outer_k2
        pages = pages_per_step(sizes[k2], sizes[outer], step(sizes[outer] * sizes[k2]), granule, lengths)
        if pages is None:
            raise Unsupported(paged_step_refusal(sizes[k2], sizes[outer], granule, lengths))
        if pages > 1:
            k2_tile = sizes[k2]
    if sizes[k2] % k2_tile:
        raise Unsupported(f"unaligned K2={sizes[k2]}: not a multiple of the {k2_tile}-key tile "
                          f"(the pad-to-tiles stage pads it; this program was not padded)")
    if sizes[k1] % mma_k or sizes[n] % pv_n:
        raise Unsupported(f"head dims K1={sizes[k1]}, N={sizes[n]} are not multiples of the MMA tile "
                          f"(the pad-to-tiles stage pads them; this program was not padded)")
    n_cols = _split_n_tile(shape, target, pv_n, pages * k2_tile) if shape.splits else n_tile(sizes[k1], sizes[n], pv_n)
    if sizes[n] % n_cols:
        raise Unsupported(f"N={sizes[n]} does not split into {n_cols}-wide workgroup tiles "
                          f"(the pad-to-tiles stage pads it; this program was not padded)")

    def per_dim(values: dict[int, int]) -> tuple[int, ...]:
        return tuple(values.get(d, 0) for d in range(rank))

    tiling = AttentionTiling(
        workgroup=per_dim({**{b: 1 for b in (*shape.batch, *outer_m)}, m: subgroups * mma_m, n: n_cols}),
        reduction=per_dim({**{d: pages for d in outer_k2}, k2: k2_tile}),
        subgroup=per_dim({m: mma_m}),
        k2_splits=math.prod(sizes[d] for d in shape.splits) if shape.splits else None,
    )
    if share_kv and subgroups > 1 and pages == 1 and not gathered:  # (share-kv copies a slice, not a gather)
        qk, pv = (replace(c, promote_operands=(1,)) for c in (qk, pv))
    return TilefuseConfig(tiling, qk, pv, WorkgroupShape((target.subgroup_size, subgroups, 1), target.subgroup_size,
                                                         min_workgroups_per_sm(target, subgroups)))


# NVIDIA: the warps per SM a tilefuse kernel asks ptxas to keep resident, PTX .minnctapersm = these / subgroups.
# Left to itself with IREE's `.maxntid`, ptxas aims at 128 registers (four 4-warp blocks per SM) for kernels
# whose state needs 130-145 and spills 4-12 bytes in the K2 loop of about half of the suite's kernels; any cap
# below what a kernel would take (168 for three blocks, an explicit .maxnreg) makes ptxas fill it and spill
# again. Eight warps allow the full 255: ptxas takes 147-168 where K/V come through workgroup memory (three
# blocks of four warps fit), 224-255 where each subgroup loads them into its registers (two blocks), 248 at
# d=384 (design/tilefuse-path.md, "Registers on NVIDIA").
NVIDIA_RESIDENT_WARPS = 8


def min_workgroups_per_sm(target: Target, subgroups: int) -> int | None:
    """None where the backend takes no such hint (AMD: its register budget is left to LLVM, as before)."""
    if not target.backend.takes_min_workgroups:
        return None
    return max(1, NVIDIA_RESIDENT_WARPS // subgroups)
