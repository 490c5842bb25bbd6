"""Invariants of the tilefuse path, checked on the real stage snapshots of every built-in problem. Its config
heuristic without compiles: test_heuristics.py; its stage table: test_paths.py."""

import json

import iree.compiler.ir as ir
import pytest

from compile_targets import FULL_COMPILE_TARGETS
from tilefuse.ir import irutil
from tilefuse.driver.compile import CompileOptions, compile_file, plain_compile
from tilefuse.errors import Unsupported
from tilefuse.codegen.paths import TILEFUSE, Stage
from tilefuse.problem import AttentionProblem
from tilefuse.tools.suite import CORE, get_problem
from tilefuse.checkers.verify import CPU_DEFECT, CPU_DEFECT_VERDICT, VerifyOptions, verify_file

pytestmark = pytest.mark.slow

HINTS = ("attention_qk_matmul", "attention_pv_matmul")


def _mapping(op) -> str:
    return str(op.attributes["mapping"]) if "mapping" in op.attributes else ""


def _ancestors(op):
    parent = op.parent
    while parent is not None and parent.name != "builtin.module":
        yield parent
        parent = parent.parent


def _stage(report, dump, name):
    (d,) = [d for d in report.dispatches if d.has_attention]
    (s,) = [s for s in d.stages if s.name == name]
    return ir.Module.parse((dump / s.snapshot).read_text(), ir.Context()), d


@pytest.fixture(scope="module", params=FULL_COMPILE_TARGETS)
def compiled(request, tmp_path_factory):
    """Every core suite problem, compiled once per target (the shape problems: test_shapes.py)."""
    out = {}
    for problem in CORE:
        dump = tmp_path_factory.mktemp(f"{problem.name}_{request.param}")
        src = dump / "input.mlir"
        src.write_text(problem.to_mlir())
        out[problem.name] = (compile_file(src, CompileOptions(request.param, "tilefuse", dump / "o.vmfb", dump / "d")), dump / "d")
    return request.param, out


def test_every_suite_problem_compiles_with_mma(compiled):
    """Unaligned sequences and decode too: pad-to-tiles pads them (recorded in the report), so every attention
    dispatch is lowered by the path itself, with MMA."""
    target, out = compiled
    for problem in CORE:
        report, _ = out[problem.name]
        assert report.ok, f"{problem.name} on {target}: {report.error}"
        (d,) = [d for d in report.dispatches if d.has_attention]
        assert d.lowered_by == "path" and d.fallback is None and d.isa.mma_ops > 0, problem.name
        fold, unrepeat, causal, paged, seq_lens, pack, pad, split, page, widen, seq_lens_mask = report.program_stages
        assert not fold.changes and not widen.changes, problem.name  # no online_attention, no fp8 cache
        assert not paged.changes and not page.changes and not seq_lens.changes and not seq_lens_mask.changes, \
            problem.name  # no paged K/V
        assert not unrepeat.changes, problem.name  # the suite's GQA is grouped, no K/V repeated
        assert bool(causal.changes) == (problem.mask == "causal"), problem.name  # the suite's mask is proven causal
        assert not pack.changes, problem.name  # no suite problem has an unaligned GQA group
        # the one decode splits where its loop would not keep the memory pipes full: on MI300X 4 ways; the H100's
        # unsplit loop already does (heuristics.k2_splits)
        assert bool(split.changes) == (problem.name == "decode_f16_d128" and target == "gfx942"), problem.name
        if problem.m % 16 == 0 and problem.k2 % 64 == 0:
            assert not pad.changes, problem.name
            assert (report.program == report.input) == (problem.mask != "causal"), problem.name
        else:
            (change,) = pad.changes
            grown = [(a, b) for a, b in zip(change["sizes"], change["padded"]) if a != b]
            assert grown and all(b > a for a, b in grown), change
            assert report.program.endswith("program/11-seq-lens-mask.mlir")


def test_invariants_per_stage(compiled):
    target, out = compiled
    for problem in CORE:
        report, dump = out[problem.name]
        # S1: one workgroup forall holds the undecomposed op and its consumer.
        m, d = _stage(report, dump, "workgroup-tile")
        (att,) = irutil.ops_named(m, "iree_linalg_ext.online_attention")
        wg = [a for a in _ancestors(att) if a.name == "scf.forall" and "workgroup_mapping" in _mapping(a)]
        assert len(wg) == 1, problem.name
        assert len(irutil.ops_named(m, "scf.forall")) == 1
        consumers = {use.owner.name for r in att.results for use in r.uses}
        assert "linalg.generic" in consumers
        for r in att.results:
            for use in r.uses:
                assert wg[0] in list(_ancestors(use.owner)), f"{problem.name}: consumer outside the workgroup forall"
        # S2: a subgroup-mapped forall inside it holds the undecomposed op, with no K2 loop yet.
        m, _ = _stage(report, dump, "subgroup-distribute")
        (att,) = irutil.ops_named(m, "iree_linalg_ext.online_attention")
        chain = [a.name + _mapping(a) for a in _ancestors(att)]
        assert any("#gpu.warp" in c for c in chain), problem.name
        assert not any(c.startswith("scf.for") and not c.startswith("scf.forall") for c in chain)
        # S3: the K2 loop is inside the subgroup forall.
        m, _ = _stage(report, dump, "reduction-tile")
        (att,) = irutil.ops_named(m, "iree_linalg_ext.online_attention")
        names = [a.name + _mapping(a) for a in _ancestors(att)]
        assert names[0] == "scf.for" and "#gpu.warp" in names[1], names
        # S4: no attention op; exactly two contractions carry a config: qk_attrs' and pv_attrs' (twice for a
        # causal problem: causal-peel made two K2 loops).
        cfg = d.config["decomposition_config"]
        m, _ = _stage(report, dump, "decompose")
        assert not irutil.ops_named(m, "iree_linalg_ext.online_attention")
        carriers = [op for op in irutil.walk(m.operation) if "lowering_config" in op.attributes]
        configs = [str(op.attributes["lowering_config"]) for op in carriers]
        qk = cfg.split("qk_attrs = {lowering_config = ")[1][:-2]
        pv = cfg.split("pv_attrs = {lowering_config = ")[1].split("}, qk_attrs")[0]
        copies = 2 if problem.mask == "causal" else 1
        assert sorted(configs) == sorted([qk, pv] * copies) and qk != pv, problem.name
        assert all(op.name == "linalg.generic" and "reduction" in str(op.attributes["iterator_types"])
                   for op in carriers)
        # No hint attributes and no function-level schedule, anywhere on the path.
        for s in d.stages:
            text = (dump / s.snapshot).read_text()
            assert not any(h in text for h in HINTS)
            assert "mma_schedule" not in text
        assert "#iree_codegen.no_pipeline" in d.config["translation_info"]
        assert "mma" not in d.config["translation_info"]


def test_k_and_v_are_shared_through_workgroup_memory_between_barriers(compiled):
    """share-kv: with several subgroups, each K2 iteration copies the K and V tiles into two workgroup buffers
    (nothing else lives there: Q, P and the accumulators stay in registers), with a barrier after the copies and
    one before the next; a single subgroup shares nothing. Races are the SIMT interpreter's to find
    (test_verify: every problem, both targets)."""
    target, out = compiled
    for problem in CORE:
        report, dump = out[problem.name]
        m, d = _stage(report, dump, "share-kv")
        subgroups = d.config["tilefuse"]["shape"]["workgroup_size"][1]
        allocs = [op for op in irutil.ops_named(m, "memref.alloc") if "workgroup" in str(op.results[0].type)]
        # A causal problem's K2 loop is peeled (causal-peel): whole tiles, then the diagonal ones; both loops
        # share the two buffers.
        loops = [op for op in irutil.ops_named(m, "scf.for") if irutil.ops_named(op, "iree_codegen.inner_tiled")]
        assert len(loops) == (2 if problem.mask == "causal" else 1), problem.name
        barriers = {[o.name for o in loop.regions[0].blocks[0].operations].count("gpu.barrier") for loop in loops}
        if subgroups == 1:
            assert not allocs and barriers == {0} and d.isa.lds_bytes == 0, problem.name
            continue
        assert len(allocs) == 2 and barriers == {2}, problem.name
        assert all(str(a.results[0].type).startswith("memref<1x") for a in allocs)  # one K2 tile each
        assert 0 < d.isa.lds_bytes <= 64 * 1024 and d.isa.mma_ops > 0, problem.name


def test_padding_alone_gives_stock_mma_on_an_unaligned_problem(tmp_path):
    """What pad-to-tiles buys, apart from the pipeline: stock lowers clip (77 queries and keys) without MMA, and
    with MMA on the padded program (path stock-padded)."""
    src = tmp_path / "clip.mlir"
    src.write_text(get_problem("clip_f16_s77").to_mlir())
    plain, padded = (compile_file(src, CompileOptions("gfx942", p, tmp_path / f"{p}.vmfb", tmp_path / p))
                     for p in ("stock", "stock-padded"))
    assert not plain.program_stages and plain.program == str(src)
    (attention,) = [d for d in plain.dispatches if d.has_attention]
    assert attention.isa.mma_ops == 0
    (attention,) = [d for d in padded.dispatches if d.has_attention]
    assert attention.isa.mma_ops > 0 and padded.program_stages[-1].changes


def test_tilefuse_noshare_is_the_same_kernel_without_workgroup_memory(tmp_path):
    src = tmp_path / "p.mlir"
    src.write_text(get_problem("mha_f16_d64").to_mlir())
    shared, private = (compile_file(src, CompileOptions("gfx942", p, tmp_path / f"{p}.vmfb", tmp_path / p)).dispatches[0].isa
                       for p in ("tilefuse", "tilefuse-noshare"))
    assert shared.mma_ops == private.mma_ops > 0
    assert shared.lds_bytes > 0 and shared.barriers == 2
    assert private.lds_bytes == 0 and private.barriers == 0


def test_fallback_to_stock_is_reported(tmp_path):
    src = tmp_path / "u.mlir"  # f32 attention on sm_80: IREE 3.13 lists no f32 mma.sync
    text = AttentionProblem(name="f32", batch=1, heads=2, m=128, k2=128, k1=64).to_mlir().replace("f16", "f32")
    src.write_text(text.split("\n", 1)[1])  # without the problem header (its dtype is not a problem's)
    report = compile_file(src, CompileOptions("sm_80", "tilefuse", tmp_path / "o.vmfb", tmp_path / "d", fallback="stock"))
    assert report.ok
    (d,) = report.dispatches
    assert d.fallback["from"] == "tilefuse" and d.fallback["to"] == "stock"
    assert "the target has no MMA intrinsic for f32 operands with f32 accumulation" in d.fallback["reason"]
    assert [s.name for s in d.stages][-1] == "lower" and d.pipeline == "VectorDistribute"
    saved = json.loads((tmp_path / "d" / "report.json").read_text())
    assert saved["dispatches"][0]["fallback"]["to"] == "stock"


def _decline(module, stage_input):
    raise Unsupported("declined by the test")


def test_a_refused_padded_problem_falls_back_to_exactly_plain_stock(tmp_path):
    """pad-to-tiles pads M and K2, then configure declines (a tilefuse path whose configure declines everything:
    what the path supports changes, the fallback's contract does not): the fallback undoes the padding of the
    attention (the padded program costs more than stock), which leaves the program the user wrote, so its ISA is
    plain iree-compile's."""
    src = tmp_path / "u.mlir"
    src.write_text(AttentionProblem(name="u100", batch=1, heads=2, m=100, k2=100, k1=64).to_mlir())
    declining = TILEFUSE.replacing("tilefuse-declining", {"configure": Stage("configure", python=_decline)})
    report = compile_file(src, CompileOptions("gfx942", declining, tmp_path / "o.vmfb", tmp_path / "d", fallback="stock"))
    plain = plain_compile(src, "gfx942", tmp_path / "p.vmfb", tmp_path / "p")
    assert report.ok and report.program == str(src) and not any(s.changes for s in report.program_stages)
    (reverted,) = report.attention_fallbacks
    assert reverted["function"] == "attention" and "stage 'configure' failed" in reverted["reason"]
    assert [c["stage"] for c in reverted["undone"]] == ["pad-to-tiles"] and report.program_fallback is None
    assert [d.name for d in report.dispatches] == [d.name for d in plain.dispatches]
    for d, p in zip(report.dispatches, plain.dispatches):
        assert d.fallback["to"] == "stock" and d.isa == p.isa, d.name
    # no snapshot of the padded program's dispatches is left to be mistaken for what was compiled
    assert sorted(p.name for p in (tmp_path / "d" / "stages").iterdir()) == sorted(d.name for d in report.dispatches)


def test_config_override_reaches_the_op(tmp_path):
    src = tmp_path / "p.mlir"
    src.write_text(get_problem("mha_f16_d64").to_mlir())
    report = compile_file(src, CompileOptions("gfx942", "tilefuse", tmp_path / "o.vmfb", tmp_path / "d",
                                              config_overrides={"tiling": {"reduction": [0, 0, 0, 32, 0]}}))
    assert report.ok, report.error
    (d,) = report.dispatches
    assert d.config["tilefuse"]["tiling"]["reduction"] == [0, 0, 0, 32, 0]
    assert "reduction = [0, 0, 0, 32, 0]" in d.config["lowering_config"]


def test_lane_stage_refuses_a_p_operand_layout_it_would_have_to_move(tmp_path):
    """col_major mma.sync: the QK accumulator's lanes are not the PV operand's; the lane stage says so instead of
    exchanging through workgroup memory (not built)."""
    src = tmp_path / "p.mlir"
    src.write_text(get_problem("mha_f16_d64").small().to_mlir())
    report = compile_file(src, CompileOptions("sm_80", "tilefuse", tmp_path / "o.vmfb", tmp_path / "d",
                                              config_overrides={"qk": {"col_major": True}, "pv": {"col_major": True}}))
    assert not report.ok
    assert "stage 'thread-distribute' failed" in report.error and "two lane layouts" in report.error


@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
def test_head_dim_384_uses_mma_where_stock_emits_none(tmp_path, target):
    """IREE 3.13's stock path lowers d=384 without MMA (its SIMT attention config); the tilefuse path keeps the
    intrinsics, without spills, its K/V tiles shared within the workgroup memory budget."""
    src = tmp_path / "d384.mlir"
    src.write_text(get_problem("mha_f16_d64").with_(name="mha_f16_d384", batch=1, heads=8, m=1024, k2=1024,
                                                    k1=384, n=384).to_mlir())
    stock = compile_file(src, CompileOptions(target, "stock", tmp_path / "s.vmfb", tmp_path / "s"))
    ours = compile_file(src, CompileOptions(target, "tilefuse", tmp_path / "t.vmfb", tmp_path / "t"))
    assert stock.ok and ours.ok, (stock.error, ours.error)
    assert stock.dispatches[0].isa.mma_ops == 0
    isa = ours.dispatches[0].isa
    assert isa.mma_ops > 0 and isa.lds_bytes <= 64 * 1024 and not isa.vgpr_spills


def test_head_dim_384_numerics(tmp_path):
    # One head of 64 queries and 64 keys still has two K2 steps and twelve workgroups (N in 32-wide tiles), at a
    # fifth of the small problem's interpretation time.
    problem = get_problem("mha_f16_d64").with_(name="mha_f16_d384", k1=384, n=384).small().with_(heads=1, m=64, k2=64)
    src = tmp_path / "p.mlir"
    src.write_text(problem.to_mlir())
    report = verify_file(src, VerifyOptions("gfx942", "tilefuse", tmp_path / "w"))
    # IREE 3.13's llvm-cpu is wrong for head dims >= 192: alone against the interpreted program, the NumPy
    # reference and every stage, it is reported as IREE's defect instead of failing.
    cpu = {c.stage: c for c in report.checks}["llvm-cpu"]
    assert cpu.status == CPU_DEFECT and cpu.reason.startswith(CPU_DEFECT_VERDICT), cpu
    assert report.ok and all(c.status == "ok" for c in report.checks if c is not cpu), report.checks


WMMA = {"mma_kind": "WMMAR3_F32_16x16x16_F16", "col_major": True}


def test_lane_stage_changes_p_layout_by_a_shuffle_on_rdna3(tmp_path):
    """RDNA3 WMMA: the QK accumulator gives each lane half of a row's keys, the PV LHS wants all of them; the lane
    stage gathers the partner lane's half (gpu.shuffle xor 16) and interleaves, without workgroup memory."""
    src = tmp_path / "p.mlir"
    src.write_text(get_problem("mha_f16_d64").small().to_mlir())
    report = compile_file(src, CompileOptions("gfx1100", "tilefuse", tmp_path / "o.vmfb", tmp_path / "d",
                                              config_overrides={"qk": WMMA, "pv": WMMA}))
    assert report.ok, report.error
    (d,) = [d for d in report.dispatches if d.has_attention]
    assert d.isa.mma_ops > 0
    (stage,) = [s for s in d.stages if s.name == "thread-distribute"]
    text = (tmp_path / "d" / stage.snapshot).read_text()
    assert "gpu.shuffle xor %" in text and "%c16_i32, %c32_i32" in text and "vector.interleave" in text


def test_p_layout_change_gives_each_lane_the_whole_row():
    """The layout change alone, interpreted: lane l holds keys 2o + (l floordiv 16) mod 2 of row l mod 16 (the QK
    accumulator of WMMAR3, col_major) and ends with all 16 keys of its row (the PV LHS)."""
    import numpy as np
    from iree.compiler.dialects import iree_gpu
    from tilefuse.interp import Interpreter
    from tilefuse.ir.lane_layout import matmul_roles
    from tilefuse.codegen.stages.thread_distribute.analysis import LaneLayouts
    from tilefuse.codegen.stages.thread_distribute.fragments import LaneRewriter
    from tilefuse.codegen.stages.thread_distribute.layout_change import changed_dim, gather_halves

    with ir.Context(), ir.Location.unknown():
        roles = matmul_roles(iree_gpu.MMAAttr.get(iree_gpu.MMAIntrinsic.WMMAR3_F32_16x16x16_F16, True))
        src, dst = (roles["acc"]["m"], roles["acc"]["n"]), (roles["lhs"]["m"], roles["lhs"]["k"])
        assert changed_dim(src, dst) == 1 and changed_dim(dst, src) is None
        module = ir.Module.parse("""
          func.func @f(%src: tensor<32x1x8xf16>) -> tensor<32x1x16xf16> {
            %out = tensor.empty() : tensor<32x1x16xf16>
            %r = scf.forall (%lane) in (32) shared_outs(%o = %out) -> (tensor<32x1x16xf16>) {
              %frag = tensor.extract_slice %src[%lane, 0, 0] [1, 1, 8] [1, 1, 1] : tensor<32x1x8xf16> to tensor<1x8xf16>
              %full = tensor.empty() : tensor<1x16xf16>
              scf.forall.in_parallel {
                tensor.parallel_insert_slice %full into %o[%lane, 0, 0] [1, 1, 16] [1, 1, 1]
                  : tensor<1x16xf16> into tensor<32x1x16xf16>
              }
            } {mapping = [#iree_gpu.lane_id<0>]}
            return %r : tensor<32x1x16xf16>
          }""")
        func = module.body.operations[0]
        forall = func.regions[0].blocks[0].operations[1]
        body = forall.regions[0].blocks[0]
        frag, placeholder = body.operations[0], body.operations[1]
        rw = LaneRewriter(LaneLayouts(), 32, body.arguments[0], body, {})
        with ir.InsertionPoint(placeholder):
            whole = gather_halves(frag.result, src, dst, rw)
        placeholder.result.replace_all_uses_with(whole)
        placeholder.erase()
        module.operation.verify()
        rows = np.arange(16 * 16, dtype=np.float16).reshape(16, 16)
        lanes = np.arange(32)
        held = np.stack([rows[l % 16, 2 * np.arange(8) + (l // 16) % 2] for l in lanes])[:, None, :]
        (out,) = Interpreter().run_block(func.regions[0].blocks[0], {func.arguments[0]: held})
    np.testing.assert_array_equal(np.asarray(out)[:, 0, :], rows[lanes % 16])
