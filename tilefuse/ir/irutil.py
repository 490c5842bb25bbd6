"""Small helpers over iree.compiler.ir objects."""

from collections.abc import Iterator
from functools import cache, lru_cache

import iree.compiler.ir as ir
from iree.compiler.dialects import gpu, iree_codegen, iree_gpu, linalg, vector


def walk(op) -> Iterator[ir.Operation]:
    """Pre-order walk over `op` and everything nested in it."""
    op = op.operation
    yield op
    for region in op.regions:
        for block in region.blocks:
            for child in block.operations:
                yield from walk(child)


DYNAMIC = -9223372036854775808  # ShapedType::kDynamic in static offset/size arrays


def indexing_maps(op) -> list[ir.AffineMap]:
    return [ir.AffineMapAttr(a).value for a in ir.ArrayAttr(op.attributes["indexing_maps"])]


@lru_cache(maxsize=4096)
def enum_name(attr: ir.Attribute, enum, builder: str) -> str:
    """The name of the `enum` member an enum attribute holds. IREE 3.13's bindings build such attributes from
    their enums (the `builder` registered for the attribute, e.g. "gpu.GPU_ShuffleModeAttr") but cannot read
    them back; attributes are uniqued, so comparing with each member's attribute is exact (and the answer is
    kept: the interpreters ask it of the same attributes for every op they run)."""
    build = ir.AttrBuilder.get(builder)
    for member in enum:
        if build(member, attr.context) == attr:
            return str(member)
    raise ValueError(f"{attr} is not a {builder}")


def combining_kind(op) -> str:
    """The combiner of a vector reduction / contraction (`kind`, #vector.kind) or gpu.subgroup_reduce (`op`)."""
    if "kind" in op.attributes:
        return enum_name(op.attributes["kind"], vector.CombiningKind, "vector.Vector_CombiningKindAttr")
    return enum_name(op.attributes["op"], gpu.AllReduceOperation, "gpu.GPU_AllReduceOperationAttr")


def lane_distributed(op) -> bool:
    """Whether an iree_codegen.inner_tiled has distributed semantics (operands are lane fragments). The bindings
    have no reader for #iree_gpu.mma_semantics; it has two flags, so it is compared with both distributed forms."""
    semantics = op.attributes["semantics"]
    return any(semantics == ir.Attribute.parse(f"#iree_gpu.mma_semantics<distributed = true, opaque = {o}>",
                                               op.context) for o in ("true", "false"))


def iterator_types(op) -> list[str]:
    """A structured op's iterator types by name ("parallel", "reduction")."""
    return [enum_name(a, linalg.IteratorType, "linalg.IteratorTypeEnum")
            for a in ir.ArrayAttr(op.attributes["iterator_types"])]


@cache
def _mapping_kinds(context: ir.Context) -> dict[ir.Attribute, str]:
    # IREE 3.13's bindings have no classes for #gpu.warp / #gpu.thread / #iree_gpu.lane_id /
    # #iree_codegen.workgroup_mapping (dialects.gpu binds the MappingId enum only); attributes are uniqued, so
    # membership among every value of each is exact. workgroup_mapping<z:k> numbers the dims folded into z.
    kinds = {f"#gpu.{kind}<{m}>": kind for kind in ("warp", "thread", "block") for m in gpu.MappingId}
    kinds.update({f"#iree_gpu.lane_id<{d}>": "lane" for d in range(3)})
    kinds.update({f"#iree_codegen.workgroup_mapping<{d}>": "workgroup"
                  for d in ("x", "y", *(f"z{'' if k == 0 else f':{k}'}" for k in range(8)))})
    # split-k2's forall over the splits of a run-time K2: IREE's reconcile-translation-info folds it into the
    # workgroup ids after the hand-off, so its iterations are workgroups
    kinds.update({f"#iree_linalg_ext.split_reduction_mapping<{d}>": "workgroup" for d in range(3)})
    return {ir.Attribute.parse(text, context): kind for text, kind in kinds.items()}


def forall_mapping(op) -> str | None:
    """What an scf.forall's iterations are mapped to: "workgroup", "block", "warp", "thread", "lane"; None when
    it has no mapping."""
    if "mapping" not in op.attributes:
        return None
    kinds = {_mapping_kinds(op.context).get(m) for m in ir.ArrayAttr(op.attributes["mapping"])}
    if len(kinds) != 1 or None in kinds:
        raise ValueError(f"scf.forall mapping {op.attributes['mapping']} mixes or is not a known GPU mapping")
    return kinds.pop()


def projected_dims(amap: ir.AffineMap) -> list[int] | None:
    """The loop dims a projected-permutation map reads, in result order; None for any other map."""
    if not all(isinstance(e, ir.AffineDimExpr) for e in amap.results):
        return None
    return [e.position for e in amap.results]


def promoted_operands(op) -> list[int]:
    """The `promote_operands` of an op's #iree_gpu.lowering_config ([] without one)."""
    if "lowering_config" not in op.attributes or not iree_gpu.LoweringConfigAttr.isinstance(
            op.attributes["lowering_config"]):
        return []
    config = iree_gpu.LoweringConfigAttr(op.attributes["lowering_config"]).attributes
    if "promote_operands" not in config:
        return []
    return [ir.IntegerAttr(a).value for a in ir.ArrayAttr(config["promote_operands"])]


def enclosing_func(op: ir.Operation) -> ir.Operation:
    """The function an op sits in: a func.func (a dispatch), or a util.func (a program after IREE's input
    conversion)."""
    while op.name not in ("func.func", "util.func"):
        op = op.parent
    return op


def ops_named(root, name: str) -> list[ir.Operation]:
    return [op for op in walk(root) if op.name == name]


def standalone(op: ir.Operation) -> ir.Module:
    """A new module holding a copy of `op`, in its context. A copy, not a re-parse of `str(op)`: an op printed
    alone drops the `dense_resource` blobs it references (the weights a model inlines), and a module parsed from that
    text refers to resources that no longer exist."""
    with op.context, ir.Location.unknown():
        module = ir.Module.create()
        with ir.InsertionPoint(module.body):
            op.clone()
    return module


def dispatched_at_load_only(program: ir.Module) -> frozenset[str]:
    """The executables of PROGRAM (IREE's executable sources) that only `util.initializer`s dispatch: IREE runs
    those once, when the module loads (constants a model computes from its weights), not on every call. One walk
    of the host code (the top-level initializers and functions), not of the executables."""
    at_load: dict[str, bool] = {}
    for host in program.body.operations:
        if host.operation.name not in ("util.initializer", "util.func"):
            continue
        for op in walk(host.operation):
            if op.name == "stream.cmd.dispatch":
                for entry in ir.ArrayAttr(op.attributes["entry_points"]):
                    name = ir.SymbolRefAttr(entry).value[0]
                    at_load[name] = at_load.get(name, True) and host.operation.name == "util.initializer"
    return frozenset(name for name, only in at_load.items() if only)


def sym_name(op) -> str:
    return ir.StringAttr(op.operation.attributes["sym_name"]).value


def funcs(root) -> list[ir.Operation]:
    return ops_named(root, "func.func")


def translation_info(func: ir.Operation) -> iree_codegen.TranslationInfoAttr | None:
    if "translation_info" not in func.attributes:
        return None
    return iree_codegen.TranslationInfoAttr(func.attributes["translation_info"])


def pipeline_name(func: ir.Operation) -> str | None:
    """`VectorDistribute` for `#iree_gpu.pipeline<VectorDistribute>`, etc."""
    ti = translation_info(func)
    if ti is None:
        return None
    text = str(ti.pass_pipeline)
    if text == "#iree_codegen.no_pipeline":
        return "none"
    return text[text.find("<") + 1 : text.rfind(">")] if "<" in text else text


def set_no_pipeline(func: ir.Operation) -> None:
    """Hand-off: keep workgroup/subgroup size and configuration, let IREE lower nothing more itself."""
    ti = translation_info(func)
    with func.context:
        func.attributes["translation_info"] = iree_codegen.TranslationInfoAttr.get(
            iree_codegen.NoPipelineAttr.get(), None, ti.workgroup_size, ti.subgroup_size, ti.configuration
        )


def error_line(exc: Exception) -> str:
    """The first `error:` diagnostic of an MLIRError (its full text lists every note)."""
    lines = [l.strip() for l in str(exc).splitlines() if l.strip()]
    for line in lines:
        if "error:" in line:
            return line[line.find("error:"):]
    return lines[0] if lines else type(exc).__name__


def fork_safe_context():
    """An MLIR context without a thread pool: one that lives across the fork (the transform session, the shared
    contexts of intrinsics.py and xdsl/interchange.py) must not have started pool threads in the parent."""
    ctx = ir.Context()
    ctx.enable_multithreading(False)
    return ctx
