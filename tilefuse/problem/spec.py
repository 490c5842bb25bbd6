"""An attention problem: its typed description, validated, with the sizes derived from it and its small
version; rendering, inputs and the reference live beside it (render.py, inputs.py, reference.py)."""

from __future__ import annotations

import math
import shlex
from dataclasses import asdict, dataclass, fields, replace

import numpy as np

from ..errors import TilefuseError
from ..ir.facts import FINITE_MAX, FP8_FLOATS, HALF_FLOATS
from ..ir.rounding import round_to
from . import render
from .inputs import seeded_inputs
from .reference import exact_output

# fp8 problems in E4M3 (attention's usual operand format) or E5M2 (2 mantissa bits, the range of f16: caches
# that keep outliers), each in CDNA3's FNUZ form (gfx942) and the OCP form (gfx950, sm_89). `dtype` fp8: Q, K and V
# in it, the result in f32 (what an fp8 attention accumulates; models cast it after); `kv_dtype` fp8 under a
# 16-bit `dtype`: an fp8 KV cache, the result in `dtype`.
FP8_DTYPES = FP8_FLOATS
DTYPES = HALF_FLOATS + FP8_DTYPES
MASKS = ("none", "additive", "boolean", "causal")
LAYOUTS = ("3d", "4d")
EPILOGUES = ("none", "cast", "residual", "head-merge")
# How GQA reaches the attention op: q split into (kv_heads, group) with k/v broadcast by the indexing maps, or k/v
# repeated to every query head before a multi-head attention (render.py)
GQA_LAYOUTS = ("grouped", "repeated")
# Sequence lengths an input can leave to run time (`?` in the IR; m and k2 are then the sizes verify runs it at)
DYNAMIC_DIMS = ("m", "k2")
# Where each run-time length lies in an argument's shape (from the end: q is [.., M, K1], k and v [.., K2, D], the
# mask [M, K2]): what ir_shapes types `?` and at_shapes reads back.
_LENGTH_DIMS = {"q": {-2: "m"}, "k": {-2: "k2"}, "v": {-2: "k2"}, "mask": {-2: "m", -1: "k2"}}


@dataclass(frozen=True)
class AttentionProblem:
    name: str = "attention"
    batch: int = 1
    heads: int = 8
    kv_heads: int | None = None  # None: same as heads (MHA)
    m: int = 1024  # queries
    k2: int = 1024  # keys
    k1: int = 64  # head dim of q and k
    n: int | None = None  # head dim of v and the output; None: same as k1
    dtype: str = "f16"
    mask: str = "none"
    scale: float | None = None  # None: 1/sqrt(k1)
    kv_dtype: str | None = None  # None: dtype; an fp8 type under a 16-bit dtype: an fp8 KV cache
    # V's fp8 format where it is not K's (mixed E4M3 x E5M2 of one family: FNUZ or OCP); None: K's
    v_dtype: str | None = None
    # The per-tensor dequantization scales of fp8 K and V (what fp8 checkpoints and caches carry): the scores are
    # scale·k_scale·q·k (k_scale folded into the attention's scale operand, as serving code does), the result is
    # v_scale·softmax·V (a multiply after the attention).
    k_scale: float | None = None
    v_scale: float | None = None
    layout: str = "4d"  # "3d": [B*H, S, D]; "4d": [B, H, S, D]
    epilogue: str = "none"
    gqa_layout: str = "grouped"
    dynamic: str | None = None  # comma-separated DYNAMIC_DIMS: lengths known only at run time ("k2", "m,k2")
    # A paged KV cache of pages of this many keys: k and v are page pools (pool_pages, kv_heads, page, d) read
    # through a page table (batch, k2 / page) of shuffled page ids (render.py); None: K/V as one tensor each
    paged: int | None = None
    # A paged decode's per-sequence lengths as serving code passes them: a `seq_lens` argument (batch) i32 from
    # which the program builds the mask, key j of row b seen where j < seq_lens[b] (render.py). "drawn": lengths
    # drawn with the inputs (1 to k2); "L0,L1,...": these lengths, one per batch row; None: no such argument
    seq_lens: str | None = None

    def __post_init__(self):
        def bad(msg):
            raise TilefuseError(f"problem '{self.name}': {msg}")

        for field, allowed in (("dtype", DTYPES), ("mask", MASKS), ("layout", LAYOUTS), ("epilogue", EPILOGUES),
                               ("gqa_layout", GQA_LAYOUTS)):
            if getattr(self, field) not in allowed:
                bad(f"{field} must be one of {', '.join(allowed)}, got '{getattr(self, field)}'")
        for field in ("batch", "heads", "m", "k2", "k1"):
            if getattr(self, field) < 1:
                bad(f"{field} must be positive")
        if self.kv_heads is not None and (self.kv_heads < 1 or self.heads % self.kv_heads):
            bad(f"heads ({self.heads}) must be a multiple of kv_heads ({self.kv_heads})")
        if self.gqa_layout != "grouped" and self.hkv == self.heads:
            bad(f"gqa_layout '{self.gqa_layout}' needs fewer kv_heads than heads")
        if self.n is not None and self.n < 1:
            bad("n must be positive")
        if self.kv_dtype is not None and (self.kv_dtype not in FP8_DTYPES or self.dtype not in HALF_FLOATS):
            bad(f"kv_dtype is an fp8 KV cache ({', '.join(FP8_DTYPES)}) under a 16-bit dtype, got {self.kv_dtype} "
                f"under {self.dtype}")
        if self.v_dtype is not None and (self.kv_element not in FP8_DTYPES or self.v_dtype not in FP8_DTYPES
                                         or self.v_dtype == self.kv_element
                                         or self.v_dtype.endswith("FNUZ") != self.kv_element.endswith("FNUZ")):
            bad(f"v_dtype is V's fp8 format where it is not K's (E4M3 with E5M2, both FNUZ or both OCP) under an fp8 "
                f"dtype or kv_dtype, got {self.v_dtype} with K in {self.kv_element}")
        if self.dtype in FP8_DTYPES and self.epilogue in ("cast", "residual"):
            bad(f"the {self.epilogue} epilogue of an fp8 attention (its result is f32)")
        if (self.k_scale is not None or self.v_scale is not None) and self.kv_element == self.dtype \
                and self.dtype not in FP8_DTYPES:
            bad("k_scale and v_scale dequantize fp8 K and V: give an fp8 dtype or kv_dtype")
        if self.epilogue == "head-merge" and self.layout != "4d":
            bad("the head-merge epilogue needs the 4d layout")
        if self.mask == "causal" and self.k2 < self.m:
            bad("a causal mask needs k2 >= m (every query must see at least one key)")
        if self.dynamic is not None:
            unknown = set(self.dynamic_dims) - set(DYNAMIC_DIMS)
            if unknown or not self.dynamic_dims:
                bad(f"dynamic must name some of {', '.join(DYNAMIC_DIMS)} (comma-separated), got '{self.dynamic}'")
            # The run-time-length forms the renderer writes: serving's decode and prefill (a mask of the run-time
            # lengths, no epilogue)
            if (self.epilogue, self.gqa_layout) != ("none", "grouped"):
                bad("dynamic lengths take no epilogue and the grouped GQA layout")
        if self.paged is not None:
            if self.paged < 1 or self.k2 % self.paged:
                bad(f"paged: the page size ({self.paged}) must divide k2 ({self.k2}): a sequence is whole pages (a "
                    f"shorter one is masked)")
            # The form serving code writes (render.py); the others are not built for a gathered K/V. A run-time
            # K2 is a page table of run-time length (a decode's cache grows by pages); rows stay static.
            if (self.layout, self.gqa_layout, self.epilogue) != ("4d", "grouped", "none") \
                    or self.dynamic_dims not in ((), ("k2",)) \
                    or self.mask not in ("none", "additive") or self.dtype in FP8_DTYPES:
                bad("paged takes the 4d layout, the grouped GQA layout, no epilogue, static rows (a run-time k2 is "
                    "a page table of run-time length), a 16-bit dtype (pages of a 16-bit or an fp8 --kv-dtype) and "
                    "no mask or an additive one")
        if self.seq_lens is not None:
            if self.paged is None or self.mask != "none":
                bad("seq_lens takes a paged KV cache (--paged) and no other mask: the lengths are the mask")
            if self.seq_lens != "drawn":
                lengths = self.seq_lens.split(",")
                if len(lengths) != self.batch or not all(x.isdigit() and int(x) <= self.k2 for x in lengths):
                    bad(f"seq_lens must be 'drawn' or {self.batch} comma-separated lengths of 0 to k2 ({self.k2}), "
                        f"one per batch row, got '{self.seq_lens}'")
        if not math.isfinite(self.scale_value):  # the IR would hold `arith.constant inf`, which does not parse
            bad(f"scale {self.scale:g} overflows {self.result_dtype} (its largest finite value is "
                f"{FINITE_MAX[self.result_dtype]:.5g}); "
                f"give a smaller --scale")

    # ---- derived sizes -------------------------------------------------------------------------
    @property
    def dynamic_dims(self) -> tuple[str, ...]:
        return tuple(d for d in (self.dynamic or "").split(",") if d)

    @property
    def pages(self) -> int:
        """Pages per sequence (paged problems)."""
        return self.k2 // self.paged

    @property
    def pool_pages(self) -> int:
        """Pages in the pool: twice what the batch reads, so a wrong page id reads a page of no sequence."""
        return 2 * self.batch * self.pages

    @property
    def hkv(self) -> int:
        return self.kv_heads or self.heads

    @property
    def group(self) -> int:
        return self.heads // self.hkv

    @property
    def nv(self) -> int:
        return self.n or self.k1

    @property
    def kv_element(self) -> str:
        return self.kv_dtype or self.dtype

    @property
    def v_element(self) -> str:
        return self.v_dtype or self.kv_element

    @property
    def result_dtype(self) -> str:
        """The attention's result type: f32 for fp8 operands, else the (query's) dtype."""
        return "f32" if self.dtype in FP8_DTYPES else self.dtype

    @property
    def scale_value(self) -> float:
        """The scale as the IR holds it: σ·k_scale, a constant of the result type."""
        s = self.scale if self.scale is not None else 1.0 / math.sqrt(self.k1)
        with np.errstate(over="ignore"):  # too large for the type: inf, which __post_init__ refuses
            return float(round_to(self.result_dtype, np.float32(s) * np.float32(self.k_scale or 1.0)))

    @property
    def v_scale_value(self) -> float | None:
        """v_scale as the IR holds it (a constant of the result type); None: no multiply."""
        return None if self.v_scale is None else float(round_to(self.result_dtype, np.float32(self.v_scale)))

    @property
    def q_batch(self) -> list[int]:
        return [self.batch * self.heads] if self.layout == "3d" else [self.batch, self.heads]

    @property
    def kv_batch(self) -> list[int]:
        return [self.batch * self.hkv] if self.layout == "3d" else [self.batch, self.hkv]

    def shapes(self) -> dict[str, list[int]]:
        """Shapes of the function arguments, by name, in argument order."""
        s = {
            "q": self.q_batch + [self.m, self.k1],
            "k": self.kv_batch + [self.k2, self.k1],
            "v": self.kv_batch + [self.k2, self.nv],
        }
        if self.paged is not None:
            s["k"] = [self.pool_pages, self.hkv, self.paged, self.k1]
            s["v"] = [self.pool_pages, self.hkv, self.paged, self.nv]
            s["page_table"] = [self.batch, self.pages]
        if self.seq_lens is not None:
            s["seq_lens"] = [self.batch]
        if self.mask in ("additive", "boolean"):
            s["mask"] = [self.m, self.k2]
        if self.epilogue == "residual":
            s["residual"] = self.q_batch + [self.m, self.nv]
        return s

    def ir_shapes(self) -> dict[str, list[int | None]]:
        """The arguments' shapes as the IR types them: None for a length known only at run time."""
        return {name: [None if self._length_dims(name).get(d - len(shape)) in self.dynamic_dims else size
                       for d, size in enumerate(shape)] for name, shape in self.shapes().items()}

    def _length_dims(self, name: str) -> dict[int, str]:
        """Where each run-time length lies in argument NAME's shape (_LENGTH_DIMS); a paged K/V's keys are its page
        table's pages (the pools keep their size)."""
        if self.paged is not None and name in ("k", "v", "page_table"):
            return {-1: "k2"} if name == "page_table" else {}
        return _LENGTH_DIMS.get(name, {})

    def at_shapes(self, shapes: list[tuple[int, ...]]) -> "AttentionProblem":
        """The problem at the run-time lengths its arguments take in `shapes` (in argument order): each length read
        where the IR types it `?` (verify --dim over a problem file; a page table's length in pages). One length read
        two ways must agree."""
        lengths: dict[str, tuple[int, str]] = {}  # length -> (size, the argument it was first read in)
        for (name, typed), shape in zip(self.ir_shapes().items(), shapes):
            for d, (n, size) in enumerate(zip(typed, shape)):
                if n is None:
                    length = self._length_dims(name)[d - len(typed)]
                    size = size * self.paged if name == "page_table" else size
                    first, where = lengths.setdefault(length, (size, name))
                    if first != size:
                        raise TilefuseError(f"--dim: {length.upper()} is {first} in {where} and {size} in {name}: "
                                            f"one length of the problem, the same in each")
        if self.paged is not None and lengths.get("k2", (self.k2,))[0] != self.k2:
            raise TilefuseError(f"--dim: a paged problem's pages are verified at its header's count ({self.pages}: its "
                                f"pools are sized by it); write the problem at the pages to verify")
        return self.with_(**{length: size for length, (size, _) in lengths.items()})

    def result_shape(self) -> list[int]:
        if self.epilogue == "head-merge":
            return [self.batch, self.m, self.heads * self.nv]
        return self.q_batch + [self.m, self.nv]

    def flops(self) -> float:
        """4*B*H*M*K2*D with D the mean of k1 and n; halved for a causal mask."""
        f = 2.0 * self.batch * self.heads * self.m * self.k2 * (self.k1 + self.nv)
        return f / 2 if self.mask == "causal" else f

    def to_dict(self) -> dict:
        return asdict(self)

    def describe(self) -> str:
        """One line for tables (`problem --list`, fuzz cases): the sizes and dtype, then every other field that
        differs from its default as name=value (a paged cache, run-time dims, an fp8 cache, scales: a new field
        shows without touching this)."""
        heads = f"H={self.heads}" + (f"/KV={self.hkv}" if self.hkv != self.heads else "")
        shown = {"name", "batch", "heads", "kv_heads", "m", "k2", "k1", "n", "dtype"}
        default = AttentionProblem()
        rest = [f"{f.name}={getattr(self, f.name)}" for f in fields(self)
                if f.name not in shown and getattr(self, f.name) != getattr(default, f.name)]
        return " ".join([f"B={self.batch} {heads} M={self.m} K2={self.k2} K1={self.k1} N={self.nv} {self.dtype}"]
                        + rest)

    def command(self) -> str:
        """The `tilefuse problem` command line that writes this problem to NAME.mlir (what a user reruns a fuzz
        case or a calibration point from)."""
        args = ["tilefuse", "problem"]
        for f in fields(self):
            if getattr(self, f.name) is not None:
                args += [f"--{f.name.replace('_', '-')}", str(getattr(self, f.name))]
        return shlex.join(args + ["-o", f"{self.name}.mlir"])

    @classmethod
    def from_dict(cls, d: dict) -> "AttentionProblem":
        known = {f.name for f in fields(cls)}
        unknown = set(d) - known
        if unknown:
            raise TilefuseError(f"unknown problem fields: {', '.join(sorted(unknown))}")
        return cls(**d)

    def small(self) -> "AttentionProblem":
        """The same problem kept small for numerics: one or two KV heads, the same GQA group, head dims, dtype,
        mask, layout and epilogue; sequence lengths that keep their structure: aligned ones become 128 (two
        64-row / 64-key tiles), unaligned ones 8 + (s mod 8) (still unaligned; IREE's SIMT attention steps one
        key at a time, which is slow to interpret), short ones stay."""

        def seq(s):
            if s <= 16:
                return s
            return 128 if s % 64 == 0 else 8 + s % 8

        kv = min(self.hkv, 2)
        m, k2 = seq(self.m), seq(self.k2)
        if self.paged is not None:  # whole pages: at most two (or the one page a short sequence fills)
            k2 = min(self.k2, 2 * self.paged)
        given = self.seq_lens not in (None, "drawn")  # lengths given per batch row: the batch and keys they index
        batch, k2 = (self.batch, self.k2) if given else (1, k2)
        return replace(self, batch=batch, heads=kv * self.group,
                       kv_heads=None if self.kv_heads is None else kv, m=m, k2=max(k2, m) if self.mask == "causal" else k2)

    def with_(self, **changes) -> "AttentionProblem":
        return replace(self, **changes)

    # ---- MLIR, inputs and reference ----------------------------------------------------------------
    def to_mlir(self) -> str:
        """The input MLIR; its first line records the problem so `tilefuse verify` can rebuild the reference."""
        return render.to_mlir(self)

    @classmethod
    def from_mlir_header(cls, text: str) -> "AttentionProblem | None":
        found = render.header_fields(text)
        return None if found is None else cls.from_dict(found)

    def random_inputs(self, seed: int = 0) -> dict[str, np.ndarray]:
        """Inputs as float32 (bool for a boolean mask) whose values are exact in the problem's dtype."""
        return seeded_inputs(self, seed)

    def reference(self, inputs: dict[str, np.ndarray]) -> np.ndarray:
        """The exact answer in float64, rounded where the IR stores to a narrow type."""
        return exact_output(self, inputs)
