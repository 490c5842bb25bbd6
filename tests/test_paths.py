"""The paths' stage tables (tilefuse/codegen/paths.py), without compiles: the tilefuse path's stage order, every
transform-dialect sequence a stage names is defined in its library for every target, and every sequence a stage's
sequences include is defined in the libraries the stage declares (`Stage.libraries`)."""

import iree.compiler.ir as ir
import pytest

from tilefuse.codegen import TRANSFORMS_DIR
from tilefuse.ir import irutil
from tilefuse.codegen.paths import PATHS, STOCK, TILEFUSE, TILEFUSE_NOSHARE, TILEFUSE_VD
from tilefuse.target.targets import TARGETS


def test_stage_names():
    assert [s.name for s in TILEFUSE.program_stages] == ["fold-online", "unrepeat-kv", "causal-mask", "paged-form",
                                                         "seq-lens", "pack-query-groups", "pad-to-tiles", "split-k2",
                                                         "page-kv", "widen-kv", "seq-lens-mask"]
    assert TILEFUSE_NOSHARE.stage_names() == [s for s in TILEFUSE.stage_names() if s != "share-kv"]
    assert TILEFUSE.stage_names() == ["configure", "workgroup-tile", "split-combine", "subgroup-distribute", "m-tail",
                                      "reduction-tile",
                                      "k2-tail", "seq-lens-bound", "causal-bound", "causal-peel", "page-step",
                                      "decompose", "encode-fp8",
                                      "thread-distribute", "vectorize", "bufferize", "map-to-ids", "share-kv", "lower"]
    # One stage name, one job: the stages both paths have are the same stage (or the same sequence).
    # tilefuse-vd: transform sequences only after configure (it is a strategy for stock iree-compile), so no
    # Python tile stages (split-combine, m-tail, k2-tail, seq-lens-bound, causal-bound, causal-peel, page-step)
    assert TILEFUSE_VD.stage_names() == ["configure", "workgroup-tile", "subgroup-distribute", "reduction-tile",
                                         "decompose", "anchor-layouts", "vectorize", "bufferize", "thread-distribute",
                                         "map-to-ids", "lower"]
    assert all(s.python is None for s in TILEFUSE_VD.stages[1:])
    for name in ("workgroup-tile", "decompose", "bufferize", "lower"):
        assert TILEFUSE.stage(name) == TILEFUSE_VD.stage(name) == STOCK.stage(name)
    assert TILEFUSE.stage("map-to-ids") == TILEFUSE_VD.stage("map-to-ids")


@pytest.fixture(scope="module")
def library_modules():
    """library name -> its module, each library parsed by IREE once for the tests that read them."""
    ctx = ir.Context()
    return {f.stem: ir.Module.parse(f.read_text(), ctx) for f in TRANSFORMS_DIR.glob("*.mlir")}


@pytest.fixture(scope="module")
def library_sequences(library_modules):
    """library name -> the named sequences it defines."""
    return {name: {ir.StringAttr(op.attributes["sym_name"]).value
                   for op in irutil.ops_named(module, "transform.named_sequence")}
            for name, module in library_modules.items()}


@pytest.mark.parametrize("path", sorted(PATHS))
def test_every_sequence_a_stage_names_is_in_its_library(path, library_sequences):
    stages = PATHS[path].program_stages + PATHS[path].stages
    for stage in stages:
        for target in TARGETS.values():
            sequence = stage.sequence_for(target)
            if sequence is not None:
                assert sequence in library_sequences[stage.library], (stage.name, target.name)
    assert any(stage.sequence_for(next(iter(TARGETS.values()))) for stage in stages), "no sequence checked"


@pytest.fixture(scope="module")
def library_definitions(library_modules):
    """sequence name -> (the library defining it, the sequences its body includes); declarations left out."""
    out = {}
    for name, module in library_modules.items():
        for op in irutil.ops_named(module, "transform.named_sequence"):
            if len(op.regions[0].blocks):
                includes = {ir.FlatSymbolRefAttr(i.attributes["target"]).value
                            for i in irutil.ops_named(op, "transform.include")}
                out[ir.StringAttr(op.attributes["sym_name"]).value] = (name, includes)
    return out


@pytest.mark.parametrize("path", sorted(PATHS))
def test_a_stage_declares_every_library_its_sequences_include_from(path, library_definitions):
    """A sequence stage: everything its sequence includes, transitively. A Python stage (it may run any sequence of
    the libraries it uses): everything those libraries' sequences include."""
    def closure(names):
        seen, todo = set(), list(names)
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo += library_definitions[name][1]
        return seen

    for stage in PATHS[path].program_stages + PATHS[path].stages:
        if stage.python is not None:
            roots = [n for n, (lib, _) in library_definitions.items() if lib in stage.uses]
        else:
            roots = [stage.sequence_for(t) for t in TARGETS.values()]
        needed = {library_definitions[n][0] for n in closure(roots)}
        assert needed <= set(stage.libraries), (stage.name, sorted(needed - set(stage.libraries)))


def test_private_allocations_go_on_the_stack_and_workgroup_ones_stay():
    """The hand-off gives private buffers the alloca iree-compile's allocation function makes (and drops their
    deallocs); workgroup buffers stay memref.alloc (IREE lowers them to LDS / shared memory)."""
    from tilefuse.driver.compile import _stack_private_allocations

    with ir.Context() as ctx:
        ctx.allow_unregistered_dialects = True
        module = ir.Module.parse("""
          func.func @f() {
            %p = memref.alloc() : memref<4x8xf32, #gpu.address_space<private>>
            %w = memref.alloc() : memref<64x64xf16, #gpu.address_space<workgroup>>
            "use"(%p, %w) : (memref<4x8xf32, #gpu.address_space<private>>, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
            memref.dealloc %w : memref<64x64xf16, #gpu.address_space<workgroup>>
            memref.dealloc %p : memref<4x8xf32, #gpu.address_space<private>>
            return
          }""")
        _stack_private_allocations(module, "d")
        text = str(module)
    assert "memref.alloca() : memref<4x8xf32, #gpu.address_space<private>>" in text
    assert "memref.alloc() : memref<64x64xf16, #gpu.address_space<workgroup>>" in text
    assert text.count("memref.dealloc") == 1 and "private>>\n    return" not in text
    assert '"use"(%alloca, %alloc)' in text


def test_a_dynamically_sized_private_allocation_is_refused():
    from tilefuse.driver.compile import _stack_private_allocations
    from tilefuse.errors import StageError

    with ir.Context():
        module = ir.Module.parse("""
          func.func @f(%n: index) {
            %p = memref.alloc(%n) : memref<?xf32, #gpu.address_space<private>>
            return
          }""")
        with pytest.raises(StageError, match="dynamically sized memref.alloc of private memory"):
            _stack_private_allocations(module, "d")
