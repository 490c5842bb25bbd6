"""One plan per attention op (tilefuse/codegen/plan.py): made once, carried out by the program stages, checked by
configure."""

import json

import iree.compiler.ir as ir
import pytest

from tilefuse.ir import irutil
from tilefuse.driver.compile import CompileOptions, compile_file
from tilefuse.errors import TilefuseError, Unsupported
from tilefuse.ir.attention import AttentionShape, attention_shape
from tilefuse.codegen.stages.configure import configure_attention
from tilefuse.codegen.stages.pack_query_groups import pack_query_groups
from tilefuse.codegen.stages.pad_to_tiles import pad_attention_to_tiles
from tilefuse.codegen.paths import TILEFUSE, Path, Stage
from tilefuse.codegen.stage import StageInput
from tilefuse.codegen.plan import AttentionPlan, Variant, plan_dispatch, plan_program
from tilefuse.problem import AttentionProblem
from tilefuse.codegen.stages.split_k2 import split_k2
from tilefuse.tools.suite import get_problem
from tilefuse.target.targets import get_target
from tilefuse.checkers.verify import VerifyOptions, verify_file

GQA_DECODE = AttentionProblem(name="gqa_decode", heads=8, kv_heads=2, m=1, k2=256, k1=128)
# The dispatch's dims: IREE merges batch and heads (batch·heads, M, K1, K2, N)
K2_TILE_128 = {"tiling": {"reduction": [0, 0, 0, 128, 0]}}


@pytest.fixture(autouse=True)
def context():
    with ir.Context() as ctx:
        yield ctx


def _unaligned(keys=257) -> AttentionShape:
    """(batch, heads, M, K1, K2, N), as IREE's attention analysis orders a 4-D problem."""
    return AttentionShape((1, 8, 257, 64, keys, 64), (0, 1), (2,), (3,), (4,), (5,), "f16")


def test_a_users_k2_tile_is_what_the_keys_are_padded_to():
    """Without it the keys pad to the heuristic's 64-key tile (320), which a 128-key tile does not divide."""
    target = get_target("gfx942")
    assert plan_program(_unaligned(), target, None, Variant()).padded[4] == 320
    assert plan_program(_unaligned(), target, K2_TILE_128, Variant()).padded[4] == 384


def test_the_program_stages_carry_out_one_plan_per_op():
    """pack-query-groups plans the GQA decode (4 heads of a group as rows, padded to 16, its keys split) and the
    later stages do what the plan says: the plan carried by the op's location is the one they record."""
    module = ir.Module.parse(GQA_DECODE.to_mlir())
    changes, plans = [], {}
    for stage in (pack_query_groups, pad_attention_to_tiles, split_k2):
        result = stage(module, StageInput(get_target("gfx942"), session=None, plans=plans))
        changes.append(list(result.changes))
        plans = {**plans, **result.plans}
    (plan,) = plans.values()
    assert plan.sizes == (1, 2, 4, 1, 128, 256, 128) and plan.packed == (1, 2, 4, 128, 256, 128)
    assert changes[1] == [{"sizes": list(plan.packed), "padded": list(plan.padded), "key_mask": "none"}]
    assert plan.padded == (1, 2, 16, 128, 256, 128)
    assert changes[2] == [{"k2_splits": plan.k2_splits, "keys_per_split": 256 // plan.k2_splits}]


def test_a_paths_m_tail_keeps_a_decodes_packed_rows_for_the_kernel_to_pad():
    """The GQA decode's 4 packed rows: on a path with m-tail the plan pads nothing in the program (the pad of Q,
    an argument, would be a copy dispatch of its own) and records that the kernel pads them; the decode is
    split too (the latency-bound rule sizes it by the real rows' partials). Without m-tail (tilefuse-vd,
    stock-padded) pad-to-tiles pads the rows to 16."""
    for m_tail, rows in ((True, 4), (False, 16)):
        module, plans = ir.Module.parse(GQA_DECODE.to_mlir()), {}
        for stage in (pack_query_groups, pad_attention_to_tiles, split_k2):
            result = stage(module, StageInput(get_target("gfx942"), session=None, plans=plans, m_tail=m_tail))
            module, plans = result.module, {**plans, **result.plans}
        (plan,) = plans.values()
        assert plan.staged[2] == rows and plan.m_tail == m_tail and plan.k2_splits > 1


def test_a_dispatch_of_fewer_rows_than_one_tile_needs_the_m_tail_stage():
    """(batch·KV heads, rows, K1, K2, N): a group's 4 query heads as rows; configure's plan takes it on a path
    with m-tail (the tile stages) and refuses it, as unpadded, on one without."""
    decode = AttentionShape((8, 4, 128, 4096, 128), (0,), (1,), (2,), (3,), (4,), "f16")
    assert plan_dispatch(decode, get_target("sm_80"), None, None, True).m_tail
    with pytest.raises(Unsupported, match="not padded to its plan's tiles"):
        plan_dispatch(decode, get_target("sm_80"), None, None, True, tail_stages=False)


def test_a_score_region_reading_indices_keeps_its_rows_padded_in_the_program():
    """A causal region's mask is computed in the tile from the indices, which m-tail does not pad: such rows are
    pad-to-tiles' even on a path with m-tail."""
    shape = AttentionShape((1, 8, 13, 64, 13, 64), (0, 1), (2,), (3,), (4,), (5,), "f16")
    target = get_target("gfx942")
    assert plan_program(shape, target, None, Variant(), m_tail=True).m_tail
    plan = plan_program(shape, target, None, Variant(reads_indices=True), m_tail=True)
    assert plan.padded[2] == 16 and not plan.m_tail
    # ... and so are its head dims that are not whole tiles (causal-bound and causal-peel take the accumulator
    # straight to the result tile, which m-tail's slice of the real columns would stand before: fuzz seed 2088)
    d40 = AttentionShape((1, 1, 8, 40, 242, 40), (0, 1), (2,), (3,), (4,), (5,), "f16")
    assert plan_program(d40, target, None, Variant(), m_tail=True).padded[3] == 40
    causal = plan_program(d40, target, None, Variant(reads_indices=True), m_tail=True)
    assert (causal.padded[3], causal.padded[5]) == (48, 48)


@pytest.mark.parametrize("target, heads, n_tile", [("gfx942", (80, 80), 16), ("sm_80", (80, 72), 72)])
def test_head_dims_that_are_not_whole_tiles_are_the_kernels_on_a_path_with_m_tail(target, heads, n_tile):
    """d=72 (a GQA decode, 32/8 heads, 4096 keys: batch, heads, group, rows, K1, K2, N): on a path with m-tail
    pad-to-tiles leaves K1 and N as they are (the rows are the kernel's too), and configure tiles them at the
    whole tiles above them (`kernel_heads`, recorded in the config for m-tail), a padded N one PV MMA tile a
    workgroup (sm_80: N=72 is whole 8-column tiles, K1 alone padded, N whole); the paths without m-tail keep the
    program's pad (to 80), and so does a paged K/V whose N would be padded or whose step reads several pages."""
    shape = AttentionShape((1, 8, 4, 1, 72, 4096, 72), (0, 1), (2, 3), (4,), (5,), (6,), "f16")
    t = get_target(target)
    kernel = plan_program(shape, t, None, Variant(packable=True), m_tail=True)
    assert kernel.padded is None or (kernel.padded[-3], kernel.padded[-1]) == (72, 72)
    program = plan_program(shape, t, None, Variant(packable=True), m_tail=False)
    assert program.padded[-3] == 80
    # a paged K/V under seq_lens (one page a step): K1 alone the kernel's (sm_80); a padded N (gfx942) or several
    # pages a step keep the program's pad of both
    paged = plan_program(shape, t, None, Variant(packable=True, page=16, lengths=True), m_tail=True)
    assert (paged.padded[-3] if paged.padded else 72) == (72 if heads[1] == 72 else 80)
    assert plan_program(shape, t, None, Variant(packable=True, page=16), m_tail=True).padded[-3] == 80
    dispatch = AttentionShape((8, 4, 72, 4096, 72), (0,), (1,), (2,), (3,), (4,), "f16")
    plan = plan_dispatch(dispatch, t, None, None, True)
    assert plan.config.tiling.kernel_heads == heads and plan.config.tiling.workgroup[4] == n_tile
    assert plan.to_dict()["config"]["tiling"]["kernel_heads"] == list(heads)
    with pytest.raises(Unsupported, match="head dims K1=72, N=72 are not multiples"):
        plan_dispatch(dispatch, t, None, None, True, tail_stages=False)


def test_a_stage_refuses_an_attention_its_plan_was_not_made_for():
    module = ir.Module.parse(get_problem("unaligned_f16_s257").to_mlir())
    (op,) = irutil.ops_named(module, "iree_linalg_ext.attention")
    other = plan_program(_unaligned(keys=300), get_target("gfx942"), None, Variant())
    with pytest.raises(TilefuseError, match="pad-to-tiles: .* has sizes .* where its plan expects"):
        pad_attention_to_tiles(module, StageInput(get_target("gfx942"), session=None,
                                                  plans={str(op.location): other}))


def test_configure_refuses_a_split_its_plan_does_not_make():
    """A decode dispatch split in 4 where the plan of its attention (256 keys, 8 heads: 1 MB of K/V) splits it in 2
    (gfx942): split-k2 and configure disagree, a TilefuseError, not a silent config for another split."""
    # (batch·heads, rows, K1, keys per split, N, split)
    split = AttentionShape((8, 16, 128, 64, 128, 4), (0, 5), (1,), (2,), (3,), (4,), "f16", (5,))
    with pytest.raises(TilefuseError, match="split in 4 where its plan splits it in 2"):
        plan_dispatch(split, get_target("gfx942"), None, None, share_kv=True)
    assert plan_dispatch(split, get_target("gfx942"), {"tiling": {"k2_splits": 4}}, None, True).k2_splits == 4


def test_a_run_time_k2_decode_is_split_as_its_long_aligned_keys_and_configure_checks_the_ranges():
    """A decode whose only run-time dim is K2 is planned split as RUN_TIME_KEYS keys are (split-k2 cuts the run-time
    keys into that many ranges); a run-time M as well leaves it unsplit. The dispatch of one range (its run-time K2,
    no split dim) inside a split forall of another count is refused, as a static split is."""
    from tilefuse.ir.attention import RUN_TIME_KEYS, RUN_TIME_ROWS
    # (batch·heads, rows, K1, K2, N)
    keys = AttentionShape((8, 16, 128, RUN_TIME_KEYS, 128), (0,), (1,), (2,), (3,), (4,), "f16", run_time=(3,))
    static = AttentionShape((8, 16, 128, RUN_TIME_KEYS, 128), (0,), (1,), (2,), (3,), (4,), "f16")
    target = get_target("gfx942")
    planned = plan_program(keys, target, None, Variant()).k2_splits
    assert planned is not None and planned == plan_program(static, target, None, Variant()).k2_splits
    rows_too = AttentionShape((8, RUN_TIME_ROWS, 128, RUN_TIME_KEYS, 128), (0,), (1,), (2,), (3,), (4,), "f16",
                              run_time=(1, 3))
    assert plan_program(rows_too, target, None, Variant()).k2_splits is None
    plan = plan_dispatch(keys, target, None, None, share_kv=True, range_splits=planned)
    assert plan.k2_splits == plan.config.tiling.k2_splits == planned
    with pytest.raises(TilefuseError, match=f"split in {planned // 2} where its plan splits it in {planned}"):
        plan_dispatch(keys, target, None, None, share_kv=True, range_splits=planned // 2)


def test_a_plan_is_json():
    module = ir.Module.parse(get_problem("mha_f16_d64").to_mlir())
    (op,) = irutil.ops_named(module, "iree_linalg_ext.attention")  # online_attention's iteration space is its
    plan = plan_dispatch(attention_shape(op), get_target("sm_80"), None, None, True)
    assert isinstance(plan, AttentionPlan)
    assert json.loads(json.dumps(plan.to_dict()))["config"]["tiling"]["workgroup"] == list(plan.config.tiling.workgroup)


@pytest.mark.slow
@pytest.mark.parametrize("target", ["gfx942", "sm_80"])
def test_a_users_k2_tile_reaches_pad_to_tiles(tmp_path, target):
    """257 keys with a 128-key reduction tile: padded to 384 (not the heuristic's 320, which the tile does not
    divide: `config tiling.reduction: ... does not divide K2 (320)` before the plan), verified on the target;
    report.json's plan is the config the dispatch carries."""
    src = tmp_path / "u.mlir"
    src.write_text(get_problem("unaligned_f16_s257").to_mlir())
    report = compile_file(src, CompileOptions(target, "tilefuse", tmp_path / "o.vmfb", tmp_path / "dump",
                                              config_overrides=K2_TILE_128))
    assert report.ok, report.error
    (pad,) = [s for s in report.program_stages if s.name == "pad-to-tiles"]
    assert pad.changes[0]["padded"][4] == 384
    (d,) = [d for d in report.dispatches if d.has_attention]
    assert d.plan["sizes"][3] == 384 and d.plan["config"] == d.config["tilefuse"]
    assert d.plan["config"]["tiling"]["reduction"][3] == 128
    result = verify_file(src, VerifyOptions(target, "tilefuse", tmp_path / "v", config_overrides=K2_TILE_128,
                                            cross_check=False))
    assert result.ok, [(c.stage, c.status) for c in result.checks if c.status != "ok"]


@pytest.mark.slow
@pytest.mark.parametrize("target, heads", [("gfx942", [80, 80]), ("sm_80", [80, 72])])
def test_a_decode_of_head_dim_72_is_padded_in_the_kernel_and_verifies(tmp_path, target, heads):
    """A GQA decode at d=72 (8/2 heads, 512 keys): the program copies nothing (no tensor.pad after pad-to-tiles,
    one attention dispatch and its combine), the dispatch's config records the heads m-tail pads its tile to, and
    every stage verifies on the target (tensor and SIMT interpreters, race detector)."""
    src = tmp_path / "d72.mlir"
    src.write_text(GQA_DECODE.with_(k1=72, k2=512).to_mlir())
    report = compile_file(src, CompileOptions(target, "tilefuse", tmp_path / "o.vmfb", tmp_path / "dump"))
    assert report.ok, report.error
    program = sorted((tmp_path / "dump" / "program").glob("*-pad-to-tiles.mlir"))[0].read_text()
    assert "tensor.pad" not in program
    (d,) = [d for d in report.dispatches if d.has_attention]
    assert d.config["tilefuse"]["tiling"]["kernel_heads"] == heads
    result = verify_file(src, VerifyOptions(target, "tilefuse", tmp_path / "v", cross_check=False))
    assert result.ok, [(c.stage, c.status) for c in result.checks if c.status != "ok"]


def test_a_stage_running_a_sequence_its_libraries_lack_is_refused_when_its_path_is_built():
    configure = Stage("configure", python=configure_attention, uses=("stock",), runs=("stock_configur",))
    with pytest.raises(TilefuseError, match="stage 'configure' runs the sequence 'stock_configur', which its "
                                            r"libraries \(stock\) do not define"):
        TILEFUSE.replacing("typo", {"configure": configure})
    with pytest.raises(TilefuseError, match="'tilefuse_cleanup', which its libraries \\(stock\\)"):
        Path("p", [Stage("lanes", "stock", "stock_configure", runs=("tilefuse_cleanup",))], "none")


def test_a_stage_runs_only_the_sequences_it_declares():
    with pytest.raises(TilefuseError, match="ran the sequence 'stock_configure' without declaring it"):
        StageInput(get_target("gfx942"), session=None).run_sequence(None, "stock_configure")
