"""`tilefuse verify` catches planted miscompiles in the tilefuse path's snapshots: a min for the row max, an
off-by-one slice, a dropped rescale, a scale a few ulps off, an unknown op, a wrong reduction cluster, two lanes
writing one element, share-kv without its barriers."""

import re

import iree.compiler.ir as ir
import numpy as np
import pytest

from tilefuse.errors import NotInterpretable

from tilefuse.ir import irutil
from tilefuse.checkers.bound import problem_bound
from tilefuse.interp import Interpreter, run_program
from tilefuse.interp.core import OutOfBounds
from tilefuse.problem import AttentionProblem
from tilefuse.checkers.verify import VerifyOptions, compare, verify_file

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tilefuse_small(tmp_path_factory):
    """A verified small tilefuse compile: its snapshots, host program and reference."""
    problem = AttentionProblem(name="plant", batch=1, heads=2, m=128, k2=128, k1=64)  # two K2 steps
    work = tmp_path_factory.mktemp("plant")
    src = work / "p.mlir"
    src.write_text(problem.to_mlir())
    report = verify_file(src, VerifyOptions("gfx942", "tilefuse", work / "w"))
    assert report.ok
    ctx = ir.Context()
    host = ir.Module.parse((work / "w" / "flow.mlir").read_text(), ctx)
    inputs = problem.random_inputs(0)
    return (problem, work / "w" / "stages" / "attention_dispatch_0", host, inputs, problem.reference(inputs),
            problem_bound(problem, inputs), ctx)


def _run(tilefuse_small, module):
    problem, _, host, inputs, want, bound, _ = tilefuse_small
    (got,) = run_program(host, {"attention_dispatch_0": module}, [inputs[n] for n in problem.shapes()],
                         Interpreter())
    return compare(got, want, bound).ok


def _snapshot(tilefuse_small, name, edit=lambda text: text):
    _, stages, *_, ctx = tilefuse_small
    (path,) = stages.glob(f"*-{name}.mlir")
    return ir.Module.parse(edit(path.read_text()), ctx)


def test_unplanted_snapshots_pass(tilefuse_small):
    for stage in ("reduction-tile", "decompose"):
        assert _run(tilefuse_small, _snapshot(tilefuse_small, stage))


def test_catches_min_instead_of_max_in_the_row_max(tilefuse_small):
    planted = _snapshot(tilefuse_small, "decompose", lambda t: t.replace("arith.maximumf", "arith.minimumf"))
    assert not _run(tilefuse_small, planted)


def test_catches_an_off_by_one_slice_offset(tilefuse_small):
    module = _snapshot(tilefuse_small, "reduction-tile")
    # Shift the K2 offset of the K slice inside the K2 loop by one key.
    (loop,) = irutil.ops_named(module, "scf.for")
    iv = loop.regions[0].blocks[0].arguments[0]
    slices = [op for op in irutil.walk(loop) if op.name == "tensor.extract_slice" and iv in list(op.operands)]
    target = slices[0]
    with ir.Location.unknown(module.context), ir.InsertionPoint(target):
        one = ir.Operation.create("arith.constant", results=[iv.type],
                                  attributes={"value": ir.IntegerAttr.get(iv.type, 1)})
        shifted = ir.Operation.create("arith.addi", results=[iv.type], operands=[iv, one.results[0]])
    position = list(target.operands).index(iv)
    target.operands[position] = shifted.results[0]
    with pytest.raises(OutOfBounds):
        _run(tilefuse_small, module)


def test_catches_a_dropped_rescale(tilefuse_small):
    module = _snapshot(tilefuse_small, "decompose")
    # The accumulator rescale: a generic whose body multiplies the output by the correction factor.
    dropped = 0
    for op in irutil.ops_named(module, "linalg.generic"):
        body = op.regions[0].blocks[0]
        ops = [o.operation for o in body.operations]
        out_arg = body.arguments[len(body.arguments) - 1]
        acc, corr = op.results[0].type, op.operands[0].type
        is_acc_rescale = "f32" in str(acc) and ir.ShapedType(acc).rank == ir.ShapedType(corr).rank + 1
        if [o.name for o in ops] == ["arith.mulf", "linalg.yield"] and out_arg in list(ops[0].operands) \
                and is_acc_rescale:
            ops[1].operands[0] = out_arg
            dropped += 1
    assert dropped == 1
    assert not _run(tilefuse_small, module)


def test_catches_the_folded_scale_six_ulps_off(tilefuse_small):
    """A small bug the per-dtype tolerance caught (the f16 constant scale·log2(e) 6 ulps too large: 0.4%) is still
    caught by the derived error bound; 2 ulps (within a correct implementation's latitude) pass."""
    problem, *_ = tilefuse_small
    (text,) = re.findall(r"arith\.constant \S+ : f16", str(_snapshot(tilefuse_small, "decompose")))
    folded = np.float16(float(text.split()[1]))
    assert folded == np.float16(problem.scale_value * np.log2(np.e))

    def off_by(ulps):
        bumped = folded
        for _ in range(ulps):
            bumped = np.nextafter(bumped, np.float16(np.inf))
        return lambda t: t.replace(text, f"arith.constant {float(bumped):.7e} : f16")

    assert _run(tilefuse_small, _snapshot(tilefuse_small, "decompose", off_by(2)))
    assert not _run(tilefuse_small, _snapshot(tilefuse_small, "decompose", off_by(6)))


def test_unknown_ops_are_named_not_passed(tilefuse_small):
    planted = _snapshot(tilefuse_small, "decompose", lambda t: t.replace("math.exp2", "math.cbrt"))
    with pytest.raises(NotInterpretable, match="math.cbrt"):
        _run(tilefuse_small, planted)


def test_lane_stage_passes_and_a_wrong_reduction_cluster_is_caught(tilefuse_small):
    """The lane stage (lanes in lockstep): right as built; combining the row max over the wrong lanes (the four
    neighbours of a lane instead of the four lanes 16 apart that hold its row) is a MISMATCH."""
    assert _run(tilefuse_small, _snapshot(tilefuse_small, "thread-distribute"))
    planted = _snapshot(tilefuse_small, "thread-distribute",
                        lambda t: t.replace("cluster(size = 4, stride = 16)", "cluster(size = 4, stride = 1)", 1))
    assert "cluster(size = 4) :" in str(planted)  # stride 1 is the printed default
    assert not _run(tilefuse_small, planted)


@pytest.mark.parametrize("keep", ["none", "first"], ids=["no-barriers", "no-barrier-before-the-next-copy"])
def test_share_kv_without_its_barriers_is_a_race(tmp_path, monkeypatch, keep):
    """share-kv's two barriers per K2 step are both needed: without them a subgroup reads a tile another is
    still writing; without the second, the next step's copy overwrites what a subgroup is still reading."""
    import tilefuse.ir.irbuild as irbuild

    emitted = []
    barrier = irbuild.barrier

    def planted():
        emitted.append(1)
        if keep == "first" and len(emitted) % 2 == 1:
            barrier()

    monkeypatch.setattr(irbuild, "barrier", planted)
    src = tmp_path / "p.mlir"
    src.write_text(AttentionProblem(name="race", batch=1, heads=1, m=64, k2=128, k1=64).to_mlir())
    report = verify_file(src, VerifyOptions("gfx942", "tilefuse", tmp_path / "w"))
    statuses = {c.stage: c.status for c in report.checks}
    assert statuses["bufferize"] == "ok" and statuses["share-kv"] == statuses["lower"] == "RACE", statuses
    (race,) = [c for c in report.checks if c.stage == "share-kv"]
    assert ("first reads, then the second writes" in race.reason) == (keep == "first"), race.reason


def test_lane_stage_catches_two_lanes_writing_one_element(tilefuse_small):
    """Every lane inserting its window at lane 0's coordinates: the lockstep interpreter reports the overlap."""
    module = _snapshot(tilefuse_small, "thread-distribute")
    (insert,) = [op for op in irutil.ops_named(module, "tensor.parallel_insert_slice")
                 if "#iree_gpu.lane_id" in str(op.parent.parent.attributes["mapping"])]
    with ir.Location.unknown(module.context), ir.InsertionPoint(insert.parent.parent):
        zero = ir.Operation.create("arith.constant", results=[ir.IndexType.get(module.context)],
                                   attributes={"value": ir.IntegerAttr.get(ir.IndexType.get(module.context), 0)})
    for i in range(2, len(insert.operands)):
        insert.operands[i] = zero.results[0]
    with pytest.raises(OutOfBounds, match="same element"):
        _run(tilefuse_small, module)
