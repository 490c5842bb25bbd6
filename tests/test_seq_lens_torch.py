"""torch's paged seq_lens decode (tests/fixtures/export_torch.py: `cache[page_table]`, the keys each sequence sees
from `arange(keys) < seq_lens[:, None]` or `seq_lens[:, None] > arange(keys)`, SDPA enable_gqa) taken as the
`tilefuse problem --paged P --seq-lens` form is: paged-form rewrites it (codegen/stages/paged_form.py), seq-lens
marks it, the pages past each sequence's end are never read (design/tilefuse-path.md, "Paged KV")."""

import json
import math
from dataclasses import replace
from pathlib import Path

import iree.compiler.ir as ir
import numpy as np
import pytest

from compile_targets import FULL_COMPILE_TARGETS
from tilefuse.checkers import verify
from tilefuse.checkers.verify import VerifyOptions, verify_file
from tilefuse.codegen.paths import TILEFUSE
from tilefuse.driver.compile import run_stage
from tilefuse.interp.program import Program
from tilefuse.interp.signature import draw_inputs, entry_arguments
from tilefuse.ir import irutil
from tilefuse.ir.seq_lens import KEY_LENGTHS

TORCH = Path(__file__).parent / "fixtures" / "torch"
# per export: its page table (two ids negative: torch wraps them, -9 is page 7 of 16) and the lengths a run
# draws: a length inside a page, one key, the full length, a whole page
DECODE = "paged_seq_lens_decode"      # 2 x 8/2 heads, 4 pages of 32 keys, arange < seq_lens, f16
ONE = "paged_seq_lens_one"            # the same, one sequence (its table and lengths read at index 0)
GREATER = "paged_seq_lens_greater"    # 3 x 4/1 heads, 64 pages of 16 keys, seq_lens > arange, bf16
TABLES = {DECODE: np.array([[3, -9, 1, 12], [0, 5, -7, 2]]), ONE: np.array([[-4, 7, 1, 0]]),
          GREATER: np.random.default_rng(1).permutation(200)[:192].reshape(3, 64) - 100}
LENGTHS = {DECODE: [(77, 1), (128, 32)], ONE: [(50,)], GREATER: [(1, 1024, 100), (16, 999, 0)]}
POOL_PAGES = {DECODE: 16, GREATER: 200}


def _program(text: str, stages, target: str = "gfx942") -> str:
    for stage in stages:
        text = run_stage(text, target, "tilefuse", stage.name)
    return text


def _inputs(program: Program, name: str, lengths, seed: int = 0) -> list:
    """The drawn Q and pools; the export's page table and `lengths`."""
    drawn = draw_inputs(entry_arguments(program, program.entry()), seed)
    return drawn[:3] + [TABLES[name].astype(np.int64), np.array(lengths, np.int32)]


def _run(text: str, name: str, lengths) -> list:
    with ir.Context() as ctx:
        program = Program(ir.Module.parse(text, ctx))
        return program.call(program.entry(), _inputs(program, name, lengths))


@pytest.mark.parametrize("name", [DECODE, ONE, GREATER])
def test_the_torch_export_of_a_seq_lens_decode_is_recognised(name):
    """The export after the program stages: marked, its pages gathered through the table by the attention's
    maps (page-kv: no generic of tensor.extract left), its mask one generic of the seq_lens argument; and it
    computes what the export computes, negative page ids (torch's wrap) included."""
    text = (TORCH / f"{name}.mlir").read_text()
    converted = _program(text, TILEFUSE.program_stages[:1])  # fold-online: IREE's input conversion, no change
    staged = _program(text, TILEFUSE.program_stages)
    with ir.Context() as ctx:
        module = ir.Module.parse(staged, ctx)
        (op,) = irutil.ops_named(module, "iree_linalg_ext.online_attention")
        assert KEY_LENGTHS in op.attributes
        assert [op.operands[i].owner.name for i in (1, 2)] == ["iree_linalg_ext.gather"] * 2
        assert not irutil.ops_named(module, "tensor.extract")
    for lengths in LENGTHS[name]:
        (want,), (got,) = _run(converted, name, lengths), _run(staged, name, lengths)
        np.testing.assert_allclose(np.asarray(got, np.float32), np.asarray(want, np.float32), atol=2e-2, rtol=2e-2)


@pytest.mark.parametrize("edit", [
    ("arith.cmpi slt, %in, %22", "arith.cmpi sle, %in, %22"),    # key == length seen: one key too many
    ("arith.cmpi slt, %in, %22", "arith.cmpi slt, %22, %in"),    # the other way round
    ("arith.cmpi slt, %in, %22", "arith.cmpi ult, %in, %22"),    # unsigned: a negative length sees every key
    ("arith.extsi %in_11 : i32 to i64", "arith.extui %in_11 : i32 to i64"),  # a length not kept: -1 is 2^32 - 1
    ("affine_map<(d0, d1) -> (d0, 0)>", "affine_map<(d0, d1) -> (0, 0)>"),  # every sequence the first's length
    ("arith.constant 16 : i64", "arith.constant 15 : i64"),  # page ids wrapped by 15, not the pool's 16 pages
])
def test_a_torch_mask_not_proven_lengths_is_left_as_it_was(edit):
    """paged-form still makes the pages the problem's (exact whatever the mask), but leaves such a mask as it is:
    nothing is marked, every page is read, and the program computes what the edited export computes. A wrap that
    is not Python's leaves the generic gathers as they are (no paged attention: nothing else is rewritten)."""
    converted = _program((TORCH / f"{DECODE}.mlir").read_text(), TILEFUSE.program_stages[:1])
    assert converted.count(edit[0]) == 1
    edited = converted.replace(*edit)
    staged = _program(edited, TILEFUSE.program_stages)
    assert KEY_LENGTHS not in staged
    (want,), (got,) = _run(edited, DECODE, (77, -1)), _run(staged, DECODE, (77, -1))
    np.testing.assert_allclose(np.asarray(got, np.float32), np.asarray(want, np.float32), atol=2e-2, rtol=2e-2)


def _drawing(monkeypatch, name: str, lengths) -> None:
    """verify draws the export's inputs with its page table and `lengths` (Q and the pools drawn as before)."""
    def drawn(arguments, seed=0, dims=None):
        return draw_inputs(arguments, seed, dims)[:3] + [TABLES[name].astype(np.int64), np.array(lengths, np.int32)]
    monkeypatch.setattr(verify, "draw_inputs", drawn)


def _attention_dispatch(work) -> tuple[list[dict], dict[str, str]]:
    """The program's dispatches, and the attention dispatch's stage snapshots by stage."""
    dispatches = json.loads((work / "report.json").read_text())["dispatches"]
    (attention,) = [d for d in dispatches if d["has_attention"]]
    return dispatches, {s["name"]: (work / s["snapshot"]).read_text() for s in attention["stages"]}


@pytest.mark.slow
@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
@pytest.mark.parametrize("name,lengths", [(n, lens) for n in (DECODE, ONE, GREATER) for lens in LENGTHS[n]])
def test_the_export_reads_its_live_pages_and_every_stage_is_right(name, lengths, target, tmp_path, monkeypatch):
    """verify PASS, every stage checked, with MMA; the attention's steps bounded by its live pages (seq-lens-bound
    adds the loop that counts them, or a one-page split's loop of 1 or 0 trips); the dispatches: the page table's
    wrap, the attention (its mask computed in it where seq-lens-mask takes it: GREATER), its mask's (DECODE, ONE: one
    page a split, which seq-lens-mask leaves), the combine."""
    _drawing(monkeypatch, name, lengths)
    report = verify_file(TORCH / f"{name}.mlir", VerifyOptions(target, "tilefuse", tmp_path / "w", cross_check=False))
    assert report.ok and all(c.status == "ok" for c in report.checks), report.checks
    dispatches, snapshots = _attention_dispatch(tmp_path / "w")
    (attention,) = [d for d in dispatches if d["has_attention"]]
    assert attention["lowered_by"] == "path" and attention["isa"]["mma_ops"] > 0
    assert KEY_LENGTHS in snapshots["seq-lens-bound"]
    assert snapshots["seq-lens-bound"].count("scf.for") == snapshots["k2-tail"].count("scf.for") + 1
    assert len(dispatches) == {DECODE: 4, ONE: 4, GREATER: 3}[name]


@pytest.mark.slow
def test_the_exports_pages_past_the_end_are_never_read(tmp_path, monkeypatch):
    """NaN planted in every pool page no sequence reads before its end, against the answer on clean pages: the
    stages that read every page give NaN (a negative control), every stage from seq-lens-bound on the clean
    answer. GREATER's splits of 8 pages hold live and dead pages (a dead V row times its P of 0 is NaN); DECODE's
    splits are one page each, and a split of dead pages only is weighted 0 by the combine whether it reads them or
    not (a boolean mask: its scores -inf, not NaN), so it has no negative control."""
    name, lengths, page = GREATER, LENGTHS[GREATER][0], 16
    _drawing(monkeypatch, name, lengths)
    original = verify.program_reference

    def planted(*args, **kwargs):
        clean = original(*args, **kwargs)
        inputs = [x.copy() for x in clean.inputs]
        table = TABLES[name] % POOL_PAGES[name]
        live = {int(p) for b, n in enumerate(lengths) for p in table[b, :math.ceil(n / page)]}
        dead = [p for p in range(POOL_PAGES[name]) if p not in live]
        inputs[1][dead] = inputs[2][dead] = np.nan
        return replace(clean, inputs=inputs)

    monkeypatch.setattr(verify, "program_reference", planted)
    report = verify_file(TORCH / f"{name}.mlir", VerifyOptions("gfx942", "tilefuse", tmp_path / "w", cross_check=False))
    status = {c.stage: c.status for c in report.checks if c.dispatch != "program"}
    stages = TILEFUSE.stage_names()
    bound = stages.index("seq-lens-bound")
    assert all(status[s] == "MISMATCH" for s in ["input", *stages[:bound]]), status
    assert all(status[s] == "ok" for s in stages[bound:]), status
