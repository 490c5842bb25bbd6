"""Attention problems: a typed description that renders IREE input MLIR and computes the NumPy reference.

The rendered function is `@attention`; its arguments are, in order, q, k, v, then `mask` (additive or
boolean masks only; a causal mask is built inside the function) and `residual` (residual epilogue only).
GQA is expressed the way IREE's frontends do it: q is reshaped to split the query heads into
(kv_heads, group) and k/v's indexing maps simply omit the group dimension, i.e. they broadcast.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields, replace

import numpy as np

from .errors import TilefuseError

PROBLEM_HEADER = "// tilefuse.problem: "
DTYPES = ("f16", "bf16")
MASKS = ("none", "additive", "boolean", "causal")
LAYOUTS = ("3d", "4d")
EPILOGUES = ("none", "cast", "residual", "head-merge")


def round_to(dtype: str, x: np.ndarray) -> np.ndarray:
    """Round float values to `dtype` (f16 or bf16, round-to-nearest-even), returned as float32."""
    x = np.asarray(x, dtype=np.float32)
    if dtype == "f16":
        return x.astype(np.float16).astype(np.float32)
    if dtype == "bf16":
        bits = x.view(np.uint32).astype(np.uint64)
        rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
        return rounded.astype(np.uint32).view(np.float32)
    if dtype == "f32":
        return x
    raise TilefuseError(f"unknown dtype '{dtype}'")


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
    layout: str = "4d"  # "3d": [B*H, S, D]; "4d": [B, H, S, D]
    epilogue: str = "none"

    def __post_init__(self):
        def bad(msg):
            raise TilefuseError(f"problem '{self.name}': {msg}")

        for field, allowed in (("dtype", DTYPES), ("mask", MASKS), ("layout", LAYOUTS), ("epilogue", EPILOGUES)):
            if getattr(self, field) not in allowed:
                bad(f"{field} must be one of {', '.join(allowed)}, got '{getattr(self, field)}'")
        for field in ("batch", "heads", "m", "k2", "k1"):
            if getattr(self, field) < 1:
                bad(f"{field} must be positive")
        if self.kv_heads is not None and (self.kv_heads < 1 or self.heads % self.kv_heads):
            bad(f"heads ({self.heads}) must be a multiple of kv_heads ({self.kv_heads})")
        if self.n is not None and self.n < 1:
            bad("n must be positive")
        if self.epilogue == "head-merge" and self.layout != "4d":
            bad("the head-merge epilogue needs the 4d layout")
        if self.mask == "causal" and self.k2 < self.m:
            bad("a causal mask needs k2 >= m (every query must see at least one key)")

    # ---- derived sizes -------------------------------------------------------------------------
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
    def scale_value(self) -> float:
        """The scale as the IR holds it: a constant of the element type."""
        s = self.scale if self.scale is not None else 1.0 / math.sqrt(self.k1)
        return float(round_to(self.dtype, np.float32(s)))

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
        if self.mask in ("additive", "boolean"):
            s["mask"] = [self.m, self.k2]
        if self.epilogue == "residual":
            s["residual"] = self.q_batch + [self.m, self.nv]
        return s

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
        return replace(self, batch=1, heads=kv * self.group,
                       kv_heads=None if self.kv_heads is None else kv, m=m, k2=max(k2, m) if self.mask == "causal" else k2)

    def with_(self, **changes) -> "AttentionProblem":
        return replace(self, **changes)

    # ---- MLIR ------------------------------------------------------------------------------------
    def to_mlir(self) -> str:
        """The input MLIR; its first line records the problem so `tilefuse verify` can rebuild the reference."""
        return f"{PROBLEM_HEADER}{json.dumps(self.to_dict(), sort_keys=True)}\n" + _Renderer(self).render()

    @classmethod
    def from_mlir_header(cls, text: str) -> "AttentionProblem | None":
        first = text.split("\n", 1)[0]
        if not first.startswith(PROBLEM_HEADER):
            return None
        return cls.from_dict(json.loads(first[len(PROBLEM_HEADER):]))

    # ---- inputs and reference --------------------------------------------------------------------
    def random_inputs(self, seed: int = 0) -> dict[str, np.ndarray]:
        """Inputs as float32 (bool for a boolean mask) whose values are exact in the problem's dtype."""
        rng = np.random.default_rng(seed)
        out = {}
        for name, shape in self.shapes().items():
            if name == "mask" and self.mask == "boolean":
                keep = rng.random(shape) < 0.8
                keep[:, 0] = True  # every query keeps one key, so no softmax row is empty
                out[name] = keep
            elif name == "mask":
                out[name] = round_to(self.dtype, rng.uniform(-4.0, 0.0, shape))
            else:
                out[name] = round_to(self.dtype, rng.standard_normal(shape))
        return out

    def reference(self, inputs: dict[str, np.ndarray]) -> np.ndarray:
        """The exact answer in float64, rounded where the IR stores to a narrow type."""
        q = np.asarray(inputs["q"], np.float64).reshape(-1, self.group, self.m, self.k1)
        k = np.asarray(inputs["k"], np.float64).reshape(-1, self.k2, self.k1)
        v = np.asarray(inputs["v"], np.float64).reshape(-1, self.k2, self.nv)
        s = np.einsum("hgmd,hkd->hgmk", q, k) * self.scale_value
        if self.mask == "additive":
            s = s + np.asarray(inputs["mask"], np.float64)
        elif self.mask in ("boolean", "causal"):
            s = np.where(self._keep(inputs), s, -np.inf)
        p = np.exp(s - s.max(axis=-1, keepdims=True))
        o = np.einsum("hgmk,hkn->hgmn", p / p.sum(axis=-1, keepdims=True), v)
        o = round_to(self.dtype, o.reshape(self.q_batch + [self.m, self.nv]))
        if self.epilogue == "residual":
            o = round_to(self.dtype, o + inputs["residual"])
        elif self.epilogue == "head-merge":
            o = o.transpose(0, 2, 1, 3).reshape(self.result_shape())
        return o

    def _keep(self, inputs) -> np.ndarray:
        if self.mask == "boolean":
            return np.asarray(inputs["mask"], bool)
        rows = np.arange(self.m)[:, None] + (self.k2 - self.m)
        return np.arange(self.k2)[None, :] <= rows


class _Renderer:
    """Writes the problem as a func.func around iree_linalg_ext.attention (3.13 properties syntax)."""

    def __init__(self, p: AttentionProblem):
        self.p = p
        self.lines: list[str] = []
        self.counter = 0

    @staticmethod
    def ttype(shape, elem) -> str:
        return "tensor<" + "x".join(map(str, shape)) + f"x{elem}>"

    def fresh(self) -> str:
        self.counter += 1
        return f"%{self.counter}"

    def emit(self, line: str):
        self.lines.append("  " + line)

    def render(self) -> str:
        p = self.p
        elem = p.dtype
        args = []
        for name, shape in p.shapes().items():
            e = "i1" if (name == "mask" and p.mask == "boolean") else elem
            args.append(f"%{name}: {self.ttype(shape, e)}")
        head = f"func.func @attention({', '.join(args)}) -> {self.ttype(p.result_shape(), elem)} {{"
        out = self.attention()
        out = self.epilogue(out)
        self.emit(f"return {out} : {self.ttype(p.result_shape(), elem)}")
        return "\n".join([head, *self.lines, "}", ""])

    def attention(self) -> str:
        p = self.p
        gqa = p.group > 1
        # Batch iteration dims: query batch dims, with the head dim split into (kv_heads, group) under GQA.
        batch = p.kv_batch + [p.group] if gqa else p.q_batch
        nb = len(batch)
        dims = [f"d{i}" for i in range(nb + 4)]
        bd, m, k1, k2, n = dims[:nb], dims[nb], dims[nb + 1], dims[nb + 2], dims[nb + 3]
        kvd = bd[:-1] if gqa else bd

        def amap(results):
            return f"affine_map<({', '.join(dims)}) -> ({', '.join(results)})>"

        # The head dim of q (and of the output) is the last query batch dim; split it as (hkv, group).
        split = [[i] for i in range(len(p.q_batch) - 1)] + [[len(p.q_batch) - 1, len(p.q_batch)]]
        split += [[len(p.q_batch) + 1], [len(p.q_batch) + 2]]
        q = "%q"
        if gqa:
            q = self.fresh()
            self.emit(
                f"{q} = tensor.expand_shape %q {split} output_shape {batch + [p.m, p.k1]} : "
                f"{self.ttype(p.q_batch + [p.m, p.k1], p.dtype)} into {self.ttype(batch + [p.m, p.k1], p.dtype)}"
            )
        scale = self.fresh()
        self.emit(f"{scale} = arith.constant {p.scale_value!r} : {p.dtype}")
        maps = [amap(bd + [m, k1]), amap(kvd + [k2, k1]), amap(kvd + [k2, n]), amap([])]
        ins = [
            (q, self.ttype(batch + [p.m, p.k1], p.dtype)),
            ("%k", self.ttype(p.kv_batch + [p.k2, p.k1], p.dtype)),
            ("%v", self.ttype(p.kv_batch + [p.k2, p.nv], p.dtype)),
            (scale, p.dtype),
        ]
        if p.mask != "none":
            maps.append(amap([m, k2]))
            ins.append(self.mask_operand())
        maps.append(amap(bd + [m, n]))
        acc_elem = "f32" if p.epilogue == "cast" else p.dtype
        out_type = self.ttype(batch + [p.m, p.nv], acc_elem)
        init = self.fresh()
        self.emit(f"{init} = tensor.empty() : {out_type}")
        res = self.fresh()
        self.emit(
            f"{res} = iree_linalg_ext.attention <{{indexing_maps = [{', '.join(maps)}]}}> "
            f"ins({', '.join(v for v, _ in ins)} : {', '.join(t for _, t in ins)}) outs({init} : {out_type}) {{"
        )
        self.lines.append("  ^bb0(%score: f32):")
        self.emit("  iree_linalg_ext.yield %score : f32")
        self.emit(f"}} -> {out_type}")
        if gqa:
            merged = self.fresh()
            self.emit(
                f"{merged} = tensor.collapse_shape {res} {split} : {out_type} into "
                f"{self.ttype(p.q_batch + [p.m, p.nv], acc_elem)}"
            )
            res = merged
        return res

    def mask_operand(self) -> tuple[str, str]:
        p = self.p
        if p.mask == "additive":
            return "%mask", self.ttype([p.m, p.k2], p.dtype)
        if p.mask == "boolean":
            return "%mask", self.ttype([p.m, p.k2], "i1")
        # Causal: key j is visible to query i when j <= i + (k2 - m), aligning the last query with the last key.
        t = self.ttype([p.m, p.k2], "i1")
        empty, mask = self.fresh(), self.fresh()
        self.emit(f"{empty} = tensor.empty() : {t}")
        self.emit(
            f"{mask} = linalg.generic {{indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], "
            f'iterator_types = ["parallel", "parallel"]}} outs({empty} : {t}) {{'
        )
        self.lines.append("  ^bb0(%out: i1):")
        self.emit("  %i = linalg.index 0 : index")
        self.emit("  %j = linalg.index 1 : index")
        self.emit(f"  %offset = arith.constant {p.k2 - p.m} : index")
        self.emit("  %last = arith.addi %i, %offset : index")
        self.emit("  %visible = arith.cmpi sle, %j, %last : index")
        self.emit("  linalg.yield %visible : i1")
        self.emit(f"}} -> {t}")
        return mask, t

    def epilogue(self, att: str) -> str:
        p = self.p
        shape = p.q_batch + [p.m, p.nv]
        rank = len(shape)
        ident = "affine_map<(" + ", ".join(f"d{i}" for i in range(rank)) + ") -> (" + ", ".join(
            f"d{i}" for i in range(rank)) + ")>"
        par = ", ".join(['"parallel"'] * rank)
        t = self.ttype(shape, p.dtype)
        if p.epilogue == "none":
            return att
        if p.epilogue == "head-merge":
            tr_t = self.ttype([p.batch, p.m, p.heads, p.nv], p.dtype)
            init, tr, merged = self.fresh(), self.fresh(), self.fresh()
            self.emit(f"{init} = tensor.empty() : {tr_t}")
            self.emit(f"{tr} = linalg.transpose ins({att} : {t}) outs({init} : {tr_t}) permutation = [0, 2, 1, 3]")
            self.emit(f"{merged} = tensor.collapse_shape {tr} [[0], [1], [2, 3]] : {tr_t} into "
                      f"{self.ttype(p.result_shape(), p.dtype)}")
            return merged
        init, res = self.fresh(), self.fresh()
        self.emit(f"{init} = tensor.empty() : {t}")
        if p.epilogue == "cast":
            self.emit(f"{res} = linalg.generic {{indexing_maps = [{ident}, {ident}], iterator_types = [{par}]}} "
                      f"ins({att} : {self.ttype(shape, 'f32')}) outs({init} : {t}) {{")
            self.lines.append(f"  ^bb0(%a: f32, %o: {p.dtype}):")
            self.emit(f"  %c = arith.truncf %a : f32 to {p.dtype}")
            self.emit(f"  linalg.yield %c : {p.dtype}")
        else:  # residual
            self.emit(f"{res} = linalg.generic {{indexing_maps = [{ident}, {ident}, {ident}], "
                      f"iterator_types = [{par}]}} ins({att}, %residual : {t}, {t}) outs({init} : {t}) {{")
            self.lines.append(f"  ^bb0(%a: {p.dtype}, %r: {p.dtype}, %o: {p.dtype}):")
            self.emit(f"  %a32 = arith.extf %a : {p.dtype} to f32")
            self.emit(f"  %r32 = arith.extf %r : {p.dtype} to f32")
            self.emit("  %s = arith.addf %a32, %r32 : f32")
            self.emit(f"  %c = arith.truncf %s : f32 to {p.dtype}")
            self.emit(f"  linalg.yield %c : {p.dtype}")
        self.emit(f"}} -> {t}")
        return res


def tolerance(dtype: str) -> tuple[float, float]:
    """(atol, rtol) for outputs of `dtype` against the float64 reference: a few ulps of the storage type
    plus f32-accumulation error over the softmax and the PV sum."""
    return {"f16": (2e-3, 1e-2), "bf16": (1.6e-2, 4e-2), "f32": (1e-5, 1e-5)}[dtype]
