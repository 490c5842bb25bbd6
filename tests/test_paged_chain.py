"""ir/paged.py's one walker of a paged K/V's program form (collapse <- transpose <- whole-page gather through a page
table), which page_size, page-kv, split-k2 and the page-table rewrites all read the chain with: what it finds on
both forms `problem --paged` writes (a static page count, a run-time page table) and why it refuses the rest."""

import iree.compiler.ir as ir
import pytest

from tilefuse.codegen.stages.split_k2 import _paged_range_chain
from tilefuse.ir import irutil
from tilefuse.ir.paged import NotPaged, PagedChain, paged_chain
from tilefuse.problem import AttentionProblem

STATIC = AttentionProblem(name="paged_static", heads=8, kv_heads=2, m=1, k2=1024, k1=64, paged=32)
RUN_TIME = AttentionProblem(name="paged_run_time", heads=4, kv_heads=2, m=1, k2=80, k1=64, paged=16, dynamic="k2")


def _operands(problem: AttentionProblem, ctx: ir.Context) -> tuple[ir.Module, list[ir.Value]]:
    """The problem's module (kept: its ops live as long as it does) and its attention's Q, K, V."""
    module = ir.Module.parse(problem.to_mlir(), ctx)
    (op,) = irutil.ops_named(module, "iree_linalg_ext.attention")
    return module, list(op.operands[:3])


@pytest.mark.parametrize("problem, page, table", [(STATIC, 32, "tensor<1x32xi64>"), (RUN_TIME, 16, "tensor<1x?xi64>")])
def test_the_walker_reads_both_forms_of_the_chain(problem, page, table):
    with ir.Context() as ctx:
        _module, (q, k, v) = _operands(problem, ctx)
        assert paged_chain(q) == NotPaged("not the collapse of a transposed iree_linalg_ext.gather")
        for value in (k, v):
            chain = paged_chain(value)
            assert isinstance(chain, PagedChain)
            assert (chain.gather.name, chain.transpose.name, chain.collapse.name) == \
                ("iree_linalg_ext.gather", "linalg.transpose", "tensor.collapse_shape")
            assert chain.collapse.results[0] == value and str(chain.table.type) == table
            # keys (pages, page) are the collapse's dim 2, the gather's dims 1 (the table's pages) and 3
            assert (chain.keys, chain.page, chain.pages_dim, chain.page_dim) == (2, page, 1, 3)
            assert chain.run_time_pages == (problem is RUN_TIME)
        # split-k2 slices a run-time table only
        assert isinstance(_paged_range_chain(k), PagedChain if problem is RUN_TIME else NotPaged)


def _chain_of(permutation: list[int], groups: str, transposed: str, collapsed: str) -> str:
    """A function returning the collapse `groups` of the transpose `permutation` of a gather of 4 pages of 16 keys."""
    return f"""
func.func @f(%pool: tensor<10x2x16x64xf16>, %table: tensor<1x4xi64>) -> tensor<{collapsed}xf16> {{
  %0 = tensor.empty() : tensor<1x4x2x16x64xf16>
  %1 = iree_linalg_ext.gather dimension_map = [0] ins(%pool, %table : tensor<10x2x16x64xf16>, tensor<1x4xi64>)
       outs(%0 : tensor<1x4x2x16x64xf16>) -> tensor<1x4x2x16x64xf16>
  %2 = tensor.empty() : tensor<{transposed}xf16>
  %3 = linalg.transpose ins(%1 : tensor<1x4x2x16x64xf16>) outs(%2 : tensor<{transposed}xf16>)
       permutation = {permutation}
  %4 = tensor.collapse_shape %3 {groups} : tensor<{transposed}xf16> into tensor<{collapsed}xf16>
  return %4 : tensor<{collapsed}xf16>
}}"""


@pytest.mark.parametrize("permutation, groups, transposed, collapsed, why", [
    ([0, 2, 3, 1, 4], "[[0], [1], [2, 3], [4]]", "1x2x16x4x64", "1x2x64x64", "outer dim of its merged keys"),
    ([0, 2, 1, 3, 4], "[[0], [1, 2, 3], [4]]", "1x2x4x16x64", "1x128x64", "merges other than one pair"),
    ([1, 0, 2, 3, 4], "[[0, 1], [2], [3], [4]]", "4x1x2x16x64", "4x2x16x64", "inner dim of its merged keys"),
])
def test_a_chain_that_does_not_match_is_not_paged_and_says_why(permutation, groups, transposed, collapsed, why):
    with ir.Context() as ctx:
        module = ir.Module.parse(_chain_of(permutation, groups, transposed, collapsed), ctx)
        (ret,) = irutil.ops_named(module, "func.return")
        chain = paged_chain(ret.operands[0])
        assert isinstance(chain, NotPaged) and why in chain.why
