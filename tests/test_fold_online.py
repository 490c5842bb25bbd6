"""fold-online (tilefuse/codegen/stages/fold_online.py): a hand-written online_attention whose state starts empty and
whose result is only normalized becomes the attention it computes, so the program stages (pad-to-tiles here) take it;
any other online_attention stays as written."""

import json
from pathlib import Path

import iree.compiler.ir as ir
import pytest

from compile_targets import FULL_COMPILE_TARGETS
from tilefuse.ir import irutil
from tilefuse.codegen.stages.fold_online import fold_online
from tilefuse.ir.facts import ATTENTION, ONLINE_ATTENTION
from tilefuse.codegen.stage import StageInput
from tilefuse.target.targets import get_target
from tilefuse.checkers.verify import VerifyOptions, verify_file

SOURCE = Path(__file__).parent / "fixtures" / "programs" / "online_attention_unaligned.mlir"


def _folded(text: str):
    module = ir.Module.parse(text, ir.Context())
    with module.context:
        result = fold_online(module, StageInput(get_target("gfx942"), session=None))
        module.operation.verify()
    names = [o.name for o in irutil.walk(module.operation)]
    return names, list(result.changes)


def test_a_normalized_online_attention_is_the_attention():
    names, changes = _folded(SOURCE.read_text())
    assert ATTENTION in names and ONLINE_ATTENTION not in names
    assert "linalg.fill" not in names and names.count("linalg.generic") == 0
    assert changes == [{"online_attention": changes[0]["online_attention"], "normalization": "folded"}]


def test_the_reciprocal_form_iree_writes_folds_too():
    text = SOURCE.read_text().replace(
        "%d = arith.divf %a, %l : f32",
        "%one = arith.constant 1.0 : f32\n    %rl = arith.divf %one, %l : f32\n    %d = arith.mulf %rl, %a : f32")
    assert ONLINE_ATTENTION not in _folded(text)[0]


@pytest.mark.parametrize("old,new", [
    ("-3.40282347E+38", "-1.0"),  # a running max carried in: not an empty state
    ("%d = arith.divf %a, %l : f32", "%d = arith.mulf %a, %l : f32"),  # not the normalization
    ("ins(%r#0, %r#2 :", "ins(%r#0, %r#1 :"),  # divides by the max
])
def test_anything_else_stays_as_written(old, new):
    text = SOURCE.read_text()
    assert old in text
    names, changes = _folded(text.replace(old, new))
    assert ONLINE_ATTENTION in names and changes == []


@pytest.mark.slow
@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
def test_an_unaligned_online_attention_is_padded_and_verifies(tmp_path, target):
    report = verify_file(SOURCE, VerifyOptions(target, "tilefuse", tmp_path / "w"))
    assert report.ok, [c for c in report.checks if c.status not in ("ok", "unchecked")]
    compiled = json.loads((tmp_path / "w" / "report.json").read_text())
    stages = {s["name"]: s["changes"] for s in compiled["program_stages"]}
    assert stages["fold-online"] and stages["pad-to-tiles"]
    dispatches = [d for d in compiled["dispatches"] if d["has_attention"]]
    assert dispatches and all(d["lowered_by"] == "path" and d["isa"]["mma_ops"] > 0 for d in dispatches)
