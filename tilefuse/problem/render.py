"""A problem as IREE input MLIR: a func.func `@attention` around iree_linalg_ext.attention, its first line a
header recording the problem so `tilefuse verify` can rebuild the reference.

The function's arguments are, in order, q, k, v, then `mask` (additive or boolean masks only; a causal mask is
built inside the function) and `residual` (residual epilogue only). GQA is expressed the way IREE's frontends do
it: q is reshaped to split the query heads into (kv_heads, group) and k/v's indexing maps simply omit the group
dimension, i.e. they broadcast. With `gqa_layout="repeated"` k and v are instead repeated over each group of query
heads first (a broadcasting `linalg.generic` and `tensor.collapse_shape`, what torch's `repeat_interleave` exports), and the
attention is a plain multi-head one.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .spec import AttentionProblem

PROBLEM_HEADER = "// tilefuse.problem: "
# -inf as the IR writes a 16-bit float's bits (MLIR's float literals have no infinity)
_MINUS_INF_BITS = {"f16": "0xFC00", "bf16": "0xFF80"}


def to_mlir(p: AttentionProblem) -> str:
    return f"{PROBLEM_HEADER}{json.dumps(p.to_dict(), sort_keys=True)}\n" + _Renderer(p).render()


def header_fields(text: str) -> dict | None:
    """The problem's fields from the header line of `text`; None when `text` is no `tilefuse problem` file."""
    first = text.split("\n", 1)[0]
    if not first.startswith(PROBLEM_HEADER):
        return None
    return json.loads(first[len(PROBLEM_HEADER):])


class DynamicLength(str):
    """A sequence length known only at run time, by name (m or k2)."""

    @property
    def name(self) -> str:
        return str(self)


class _Renderer:
    """Writes the problem as a func.func around iree_linalg_ext.attention (3.13 properties syntax)."""

    def __init__(self, p: AttentionProblem):
        self.p = p
        self.lines: list[str] = []
        self.counter = 0
        self.lengths: dict[str, str] = {}  # run-time length -> its SSA value
        # The sequence lengths as the IR writes them: a number, or `?` where known only at run time
        self.M = DynamicLength("m") if "m" in p.dynamic_dims else p.m
        self.K2 = DynamicLength("k2") if "k2" in p.dynamic_dims else p.k2
        # A paged K/V's pages per sequence: the page table's length, run-time with K2 (K2 = pages * page)
        self.PAGES = DynamicLength("pages") if p.paged and "k2" in p.dynamic_dims else p.pages if p.paged else None

    def ttype(self, shape, elem) -> str:
        """The tensor type; a run-time length (a `DynamicLength` in SHAPE) is `?`."""
        return "tensor<" + "x".join("?" if isinstance(d, DynamicLength) else str(d) for d in shape) + f"x{elem}>"

    def sizes(self, shape) -> str:
        """The `tensor.empty` operands of SHAPE: its run-time lengths, read from the arguments."""
        return ", ".join(self.length(d.name) for d in shape if isinstance(d, DynamicLength))

    def length(self, name: str) -> str:
        """The SSA value of run-time length NAME (m: Q's rows, k2: K's rows, pages: the page table's), read once
        with tensor.dim; a paged K2 is the pages times the page."""
        if name in self.lengths:
            return self.lengths[name]
        index, value = self.fresh(), f"%{name}"
        if name == "k2" and self.p.paged:
            self.emit(f"{index} = arith.constant {self.p.paged} : index")
            self.emit(f"{value} = arith.muli {self.length('pages')}, {index} : index")
        else:
            operand, shape, elem = {
                "m": ("%q", self.p.q_batch + [self.M, self.p.k1], self.p.dtype),
                "k2": ("%k", self.p.kv_batch + [self.K2, self.p.k1], self.p.kv_element),
                "pages": ("%page_table", [self.p.batch, self.PAGES], "i64")}[name]
            self.emit(f"{index} = arith.constant {len(shape) - 2 if name != 'pages' else 1} : index")
            self.emit(f"{value} = tensor.dim {operand}, {index} : {self.ttype(shape, elem)}")
        self.lengths[name] = value
        return value

    def static_or_length(self, d) -> str:
        return self.length(d.name) if isinstance(d, DynamicLength) else str(d)

    def fresh(self) -> str:
        self.counter += 1
        return f"%{self.counter}"

    def emit(self, line: str):
        self.lines.append("  " + line)

    def render(self) -> str:
        p = self.p
        elem = p.dtype
        args = []
        types = {"q": elem, "k": p.kv_element, "v": p.v_element, "page_table": "i64", "seq_lens": "i32",
                 "mask": "i1" if p.mask == "boolean" else p.result_dtype, "residual": elem}
        for name, shape in p.shapes().items():
            if name in "qkv" and not (p.paged and name in "kv"):
                shape = shape[:-2] + [self.K2 if name in ("k", "v") else self.M, shape[-1]]
            elif name == "mask":
                shape = [self.M, self.K2]
            elif name == "page_table":
                shape = [p.batch, self.PAGES]
            args.append(f"%{name}: {self.ttype(shape, types[name])}")
        result = p.result_shape()
        result = result if p.epilogue == "head-merge" else result[:-2] + [self.M, result[-1]]
        head = f"func.func @attention({', '.join(args)}) -> {self.ttype(result, p.result_dtype)} {{"
        out = self.attention()
        out = self.dequantize_v(out)
        out = self.epilogue(out)
        self.emit(f"return {out} : {self.ttype(result, p.result_dtype)}")
        return "\n".join([head, *self.lines, "}", ""])

    def attention(self) -> str:
        p = self.p
        gqa = p.group > 1 and p.gqa_layout == "grouped"
        kv_batch = p.q_batch if p.group > 1 and not gqa else p.kv_batch
        k, v = (self.paged_kv(x, d) if p.paged else x for x, d in (("%k", p.k1), ("%v", p.nv)))
        k, v = (self.repeat_heads(x, d, t) if kv_batch != p.kv_batch else x
                for x, d, t in ((k, p.k1, p.kv_element), (v, p.nv, p.v_element)))
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
            expanded = ", ".join(map(self.static_or_length, batch + [self.M, p.k1]))
            self.emit(
                f"{q} = tensor.expand_shape %q {split} output_shape [{expanded}] : "
                f"{self.ttype(p.q_batch + [self.M, p.k1], p.dtype)} into {self.ttype(batch + [self.M, p.k1], p.dtype)}"
            )
        scale = self.fresh()
        self.emit(f"{scale} = arith.constant {p.scale_value!r} : {p.result_dtype}")
        maps = [amap(bd + [m, k1]), amap(kvd + [k2, k1]), amap(kvd + [k2, n]), amap([])]
        ins = [
            (q, self.ttype(batch + [self.M, p.k1], p.dtype)),
            (k, self.ttype(kv_batch + [self.K2, p.k1], p.kv_element)),
            (v, self.ttype(kv_batch + [self.K2, p.nv], p.v_element)),
            (scale, p.result_dtype),
        ]
        if p.mask != "none":
            maps.append(amap([m, k2]))
            ins.append(self.mask_operand())
        elif p.seq_lens is not None:
            maps.append(amap([bd[0], m, k2]))
            ins.append(self.length_mask())
        maps.append(amap(bd + [m, n]))
        acc_elem = "f32" if p.epilogue == "cast" else p.result_dtype
        out_type = self.ttype(batch + [self.M, p.nv], acc_elem)
        init = self.fresh()
        self.emit(f"{init} = tensor.empty({self.sizes(batch + [self.M])}) : {out_type}")
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
                f"{self.ttype(p.q_batch + [self.M, p.nv], acc_elem)}"
            )
            res = merged
        return res

    def paged_kv(self, pool: str, head_dim: int) -> str:
        """K or V read from its page pool as serving code writes it: the sequences' pages gathered through the page
        table (b, pages, kv_heads, page, d), the heads moved before the pages, pages and page merged into the key
        dim (b, kv_heads, k2, d)."""
        p = self.p
        elem = p.kv_element
        pool_t = self.ttype([p.pool_pages, p.hkv, p.paged, head_dim], elem)
        gathered_shape = [p.batch, self.PAGES, p.hkv, p.paged, head_dim]
        gathered_t = self.ttype(gathered_shape, elem)
        moved_shape = [p.batch, p.hkv, self.PAGES, p.paged, head_dim]
        moved_t = self.ttype(moved_shape, elem)
        table_t = self.ttype([p.batch, self.PAGES], "i64")
        sizes = self.sizes(gathered_shape)
        empty, gathered, empty_moved, moved, merged = (self.fresh() for _ in range(5))
        self.emit(f"{empty} = tensor.empty({sizes}) : {gathered_t}")
        self.emit(f"{gathered} = iree_linalg_ext.gather dimension_map = [0] ins({pool}, %page_table : {pool_t}, "
                  f"{table_t}) outs({empty} : {gathered_t}) -> {gathered_t}")
        self.emit(f"{empty_moved} = tensor.empty({sizes}) : {moved_t}")
        self.emit(f"{moved} = linalg.transpose ins({gathered} : {gathered_t}) outs({empty_moved} : {moved_t}) "
                  f"permutation = [0, 2, 1, 3, 4]")
        self.emit(f"{merged} = tensor.collapse_shape {moved} [[0], [1], [2, 3], [4]] : {moved_t} into "
                  f"{self.ttype(p.kv_batch + [self.K2, head_dim], elem)}")
        return merged

    def repeat_heads(self, value: str, head_dim: int, elem: str) -> str:
        """k or v (of element type `elem`) with each KV head repeated for the `group` query heads that read it
        (query head h reads KV head h // group, as in the grouped layout)."""
        p = self.p
        g = len(p.kv_batch)
        wide = p.kv_batch + [p.group, p.k2, head_dim]
        empty, wide_value, value_out = self.fresh(), self.fresh(), self.fresh()
        self.emit(f"{empty} = tensor.empty() : {self.ttype(wide, elem)}")
        dims = [f"d{i}" for i in range(len(wide))]
        maps = [f"affine_map<({', '.join(dims)}) -> ({', '.join(dims[:g] + dims[g + 1:])})>",
                f"affine_map<({', '.join(dims)}) -> ({', '.join(dims)})>"]
        parallel = ", ".join(['"parallel"'] * len(wide))
        self.emit(f"{wide_value} = linalg.generic {{indexing_maps = [{', '.join(maps)}], iterator_types = "
                  f"[{parallel}]}} ins({value} : "
                  f"{self.ttype(p.kv_batch + [p.k2, head_dim], elem)}) outs({empty} : {self.ttype(wide, elem)}) {{")
        self.lines.append(f"  ^bb0(%x: {elem}, %o: {elem}):")
        self.emit(f"  linalg.yield %x : {elem}")
        self.emit(f"}} -> {self.ttype(wide, elem)}")
        heads = [[i] for i in range(g - 1)] + [[g - 1, g], [g + 1], [g + 2]]
        self.emit(f"{value_out} = tensor.collapse_shape {wide_value} {heads} : {self.ttype(wide, elem)} into "
                  f"{self.ttype(p.q_batch + [p.k2, head_dim], elem)}")
        return value_out

    def mask_operand(self) -> tuple[str, str]:
        p = self.p
        if p.mask == "additive":
            return "%mask", self.ttype([self.M, self.K2], p.result_dtype)
        if p.mask == "boolean":
            return "%mask", self.ttype([self.M, self.K2], "i1")
        # Causal: key j is visible to query i when j <= i + (k2 - m), aligning the last query with the last key.
        t = self.ttype([self.M, self.K2], "i1")
        offset = self.causal_offset()
        empty, mask = self.fresh(), self.fresh()
        self.emit(f"{empty} = tensor.empty({self.sizes([self.M, self.K2])}) : {t}")
        self.emit(
            f"{mask} = linalg.generic {{indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], "
            f'iterator_types = ["parallel", "parallel"]}} outs({empty} : {t}) {{'
        )
        self.lines.append("  ^bb0(%out: i1):")
        self.emit("  %i = linalg.index 0 : index")
        self.emit("  %j = linalg.index 1 : index")
        self.emit(f"  %last = arith.addi %i, {offset} : index")
        self.emit("  %visible = arith.cmpi sle, %j, %last : index")
        self.emit("  linalg.yield %visible : i1")
        self.emit(f"}} -> {t}")
        return mask, t

    def length_mask(self) -> tuple[str, str]:
        """The additive mask of the sequences' lengths, (batch, m, k2): 0 where key j < seq_lens[b], else -inf, as
        a torch export builds it (an arange compared with the lengths broadcast, then a where; one generic once
        IREE fuses the elementwise ops)."""
        p = self.p
        t = self.ttype([p.batch, p.m, self.K2], p.result_dtype)
        sizes = self.sizes([self.K2])
        empty, mask = self.fresh(), self.fresh()
        self.emit(f"{empty} = tensor.empty({sizes}) : {t}")
        self.emit(
            f"{mask} = linalg.generic {{indexing_maps = [affine_map<(d0, d1, d2) -> (d0)>, "
            f"affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = [\"parallel\", \"parallel\", \"parallel\"]}} "
            f"ins(%seq_lens : {self.ttype([p.batch], 'i32')}) outs({empty} : {t}) {{")
        self.lines.append(f"  ^bb0(%len: i32, %out: {p.result_dtype}):")
        self.emit("  %j = linalg.index 2 : index")
        self.emit("  %key = arith.index_cast %j : index to i32")
        self.emit("  %seen = arith.cmpi slt, %key, %len : i32")
        self.emit(f"  %zero = arith.constant 0.0 : {p.result_dtype}")
        self.emit(f"  %hidden = arith.constant {_MINUS_INF_BITS[p.result_dtype]} : {p.result_dtype}")
        self.emit(f"  %bias = arith.select %seen, %zero, %hidden : {p.result_dtype}")
        self.emit(f"  linalg.yield %bias : {p.result_dtype}")
        self.emit(f"}} -> {t}")
        return mask, t

    def causal_offset(self) -> str:
        """k2 - m, the causal mask's diagonal: a constant, or computed from the run-time lengths."""
        if not isinstance(self.M, DynamicLength) and not isinstance(self.K2, DynamicLength):
            offset = self.fresh()
            self.emit(f"{offset} = arith.constant {self.p.k2 - self.p.m} : index")
            return offset
        k2, m = (self.length(d.name) if isinstance(d, DynamicLength) else self.fresh() for d in (self.K2, self.M))
        for value, d in ((k2, self.K2), (m, self.M)):
            if not isinstance(d, DynamicLength):
                self.emit(f"{value} = arith.constant {d} : index")
        offset = self.fresh()
        self.emit(f"{offset} = arith.subi {k2}, {m} : index")
        return offset

    def dequantize_v(self, att: str) -> str:
        """The attention's result times v_scale (V's dequantization scale, applied once to the result)."""
        p = self.p
        if p.v_scale_value is None:
            return att
        elem = "f32" if p.epilogue == "cast" else p.result_dtype
        t = self.ttype(p.q_batch + [self.M, p.nv], elem)
        rank = len(p.q_batch) + 2
        ident = self.identity(rank)
        scale, init, res = self.fresh(), self.fresh(), self.fresh()
        self.emit(f"{scale} = arith.constant {p.v_scale_value!r} : {elem}")
        self.emit(f"{init} = tensor.empty({self.sizes(p.q_batch + [self.M])}) : {t}")
        parallel = ", ".join(['"parallel"'] * rank)
        self.emit(f"{res} = linalg.generic {{indexing_maps = [{ident}, {ident}], iterator_types = [{parallel}]}} "
                  f"ins({att} : {t}) outs({init} : {t}) {{")
        self.lines.append(f"  ^bb0(%a: {elem}, %o: {elem}):")
        self.emit(f"  %d = arith.mulf %a, {scale} : {elem}")
        self.emit(f"  linalg.yield %d : {elem}")
        self.emit(f"}} -> {t}")
        return res

    @staticmethod
    def identity(rank: int) -> str:
        ds = ", ".join(f"d{i}" for i in range(rank))
        return f"affine_map<({ds}) -> ({ds})>"

    def epilogue(self, att: str) -> str:
        p = self.p
        shape = p.q_batch + [p.m, p.nv]
        rank = len(shape)
        ident = self.identity(rank)
        par = ", ".join(['"parallel"'] * rank)
        t = self.ttype(shape, p.result_dtype)
        if p.epilogue == "none":
            return att
        if p.epilogue == "head-merge":
            tr_t = self.ttype([p.batch, p.m, p.heads, p.nv], p.result_dtype)
            init, tr, merged = self.fresh(), self.fresh(), self.fresh()
            self.emit(f"{init} = tensor.empty() : {tr_t}")
            self.emit(f"{tr} = linalg.transpose ins({att} : {t}) outs({init} : {tr_t}) permutation = [0, 2, 1, 3]")
            self.emit(f"{merged} = tensor.collapse_shape {tr} [[0], [1], [2, 3]] : {tr_t} into "
                      f"{self.ttype(p.result_shape(), p.result_dtype)}")
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
