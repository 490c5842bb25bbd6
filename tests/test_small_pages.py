"""Paged KV caches whose pages hold fewer keys than one lane's block of an MMA operand (issue 29: "other page
sizes"): pages of one key (SGLang's page size), whose unit page dim IREE drops from the dispatch so the K2 step's
K and V are gathers read directly by the matmuls, and pages of 2 keys, where a lane's 4 consecutive keys of V
(gfx942's PV B operand) span two pages. The lane stage reads each lane's fragment through the page table in
sub-blocks that lie in one page (`LaneRewriter.fragment_through`); pages of one key step like keys (padded in the
page table to whole K2 steps; under seq_lens, a step of whole MMA tiles dividing the pages)."""

import json

import iree.compiler.ir as ir
import pytest

from compile_targets import FULL_COMPILE_TARGETS
from tilefuse.checkers.verify import VerifyOptions, verify_file
from tilefuse.codegen.heuristics import choose_config, page_keys_multiple
from tilefuse.driver.compile import CompileOptions, compile_file
from tilefuse.ir import irutil
from tilefuse.ir.attention import attention_shape
from tilefuse.problem import AttentionProblem
from tilefuse.target.targets import get_target

# 96 one-key pages under seq_lens (lengths mid-step and in the first step), and 48 pages of 2 keys unmasked
PAGE_OF_ONE = AttentionProblem(name="pages_of_one", batch=2, heads=8, kv_heads=2, m=1, k2=96, k1=64, paged=1,
                               seq_lens="70,5")
PAGES_OF_TWO = AttentionProblem(name="pages_of_two", batch=2, heads=8, kv_heads=2, m=1, k2=96, k1=64, paged=2)


def _shape(problem: AttentionProblem):
    with ir.Context() as ctx:
        module = ir.Module.parse(problem.to_mlir(), ctx)
        (op,) = irutil.ops_named(module, "iree_linalg_ext.attention")
        return attention_shape(op)


def test_pages_of_one_key_are_padded_in_the_page_table_to_whole_k2_steps():
    shape = _shape(PAGE_OF_ONE.with_(seq_lens=None))
    # 96 pages of one key: the table grows to 128 (two 64-key steps), as 96 unpaged keys pad to 128
    assert page_keys_multiple(shape, get_target("gfx942"), 1) == 64
    assert page_keys_multiple(_shape(PAGES_OF_TWO), get_target("gfx942"), 2) == 2  # 48 pages: whole 16-key steps


def test_a_step_of_one_key_pages_under_seq_lens_divides_the_pages():
    """Under seq_lens the table is not padded: the dispatch's one key dim (the pages) steps by the most whole MMA
    tiles up to the heuristic's 64 keys that divide its 96 pages."""
    config = choose_config(_shape(PAGE_OF_ONE.with_(heads=2, kv_heads=None)), get_target("gfx942"), lengths=True,
                           page=1)
    assert max(config.tiling.reduction) == 48


@pytest.mark.slow
@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
@pytest.mark.parametrize("problem", [PAGE_OF_ONE, PAGES_OF_TWO], ids=lambda p: p.name)
def test_small_pages_are_read_through_the_table_in_the_attention_dispatch_and_verify(problem, target, tmp_path):
    src = tmp_path / f"{problem.name}.mlir"
    src.write_text(problem.to_mlir())
    report = compile_file(src, CompileOptions(target, "tilefuse", tmp_path / "t.vmfb", tmp_path / "t"))
    assert report.ok, report.error
    compiled = json.loads((tmp_path / "t" / "report.json").read_text())
    (attention,) = [d for d in compiled["dispatches"] if d["has_attention"]]
    assert attention["lowered_by"] == "path" and attention["isa"]["mma_ops"] > 0
    # the gathers sit in the attention's dispatch: no dispatch copies the gathered K/V out
    executables = (tmp_path / "t" / "sources.mlir").read_text().split("hal.executable private @")[1:]
    with_gathers = [e for e in executables if "iree_linalg_ext.gather" in e]
    assert len(with_gathers) == 1 and with_gathers[0].startswith(attention["name"] + " ")
    if problem.seq_lens:  # the lengths mask computed in the attention's dispatch (a unit page dim is the page's)
        (masked,) = [s["changes"] for s in compiled["program_stages"] if s["name"] == "seq-lens-mask"]
        assert [c["mask"] for c in masked] == ["computed in the attention's dispatch"]
    verified = verify_file(src, VerifyOptions(target, "tilefuse", tmp_path / "w"))
    assert verified.ok and all(c.status == "ok" for c in verified.checks), verified.checks


def test_a_prompt_over_one_key_pages_shares_no_k_v_tile():
    """share-kv copies a K/V slice into workgroup memory; a step of one-key pages is a gather of its keys (each
    lane reads through the table), so a prompt's subgroups read their own (fuzz seed 7, case 1702: share-kv
    failed on the lanes' gathered fragments)."""
    prompt = _shape(AttentionProblem(name="prompt_pages_of_one", heads=1, m=128, k2=64, k1=64, paged=1))
    config = choose_config(prompt, get_target("gfx942"), share_kv=True, page=1)
    assert config.shape.workgroup_size[1] > 1 and not config.qk.promote_operands and not config.pv.promote_operands
    unpaged = choose_config(prompt, get_target("gfx942"), share_kv=True)
    assert unpaged.qk.promote_operands == (1,)
