"""The ISA readers find kernels under every name form IREE emits (torch exports' `main$async_dispatch_...`)."""

import pytest

from tilefuse.errors import TilefuseError
from tilefuse.driver.isa import parse_ptx, parse_rocmasm, ptx_symbol, read_metrics, workgroup_memory_by_export
from tilefuse.target.targets import ROCDL

KERNEL = "main$async_dispatch_0_attention_2x128x64x128x64"

ROCMASM = f"""
	.globl	{KERNEL}
{KERNEL}:
	v_mfma_f32_16x16x16_f16 v[0:3], v[4:5], v[6:7], v[0:3]
	s_barrier
	s_endpgm
.Lfunc_end0:
	.amdgpu_metadata
---
amdhsa.kernels:
  - .group_segment_fixed_size: 512
    .name:           '{KERNEL}'
    .sgpr_count:     22
    .vgpr_count:     156
    .vgpr_spill_count: 0
"""

PTX = f"""
.visible .entry {ptx_symbol(KERNEL)}(
	.param .u64 p
)
{{
	mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {{%f1}}, {{%r1}}, {{%r2}}, {{%f1}};
	bar.sync 	0;
	ret;
}}
"""


def test_quoted_amdgpu_metadata_name():
    m = parse_rocmasm(ROCMASM, KERNEL)
    assert (m.vgpr, m.sgpr, m.lds_bytes, m.mma_ops, m.barriers) == (156, 22, 512, 1, 1)


def test_ptx_entry_of_a_dollar_name():
    assert ptx_symbol(KERNEL) == "main_async_dispatch_0_attention_2x128x64x128x64"
    m = parse_ptx(PTX, KERNEL, 0)
    assert (m.mma_ops, m.barriers, m.vgpr) == (1, 1, None)


def test_workgroup_memory_of_a_quoted_export():
    dump = f'    hal.executable.export public @"{KERNEL}" ordinal(0) layout(#l) {{\n' \
           f'    }} <workgroup_size = [256 : index, 1 : index, 1 : index], workgroup_local_memory = 17408 : index>\n'
    assert workgroup_memory_by_export(dump) == {KERNEL: 17408}


def test_a_kernel_not_in_the_file_is_none_and_missing_metadata_is_named():
    assert parse_rocmasm(ROCMASM, "other_kernel") is None
    assert parse_ptx(PTX, "other_kernel", 0) is None
    with pytest.raises(TilefuseError, match="no metadata for kernel"):
        parse_rocmasm(ROCMASM.split(".amdgpu_metadata")[0], KERNEL)


def test_predicated_ptx_instructions_count():
    body = PTX.replace("\tret;", "\t@%p1 bra LBB0_2;\n\t@!%p2 bar.sync 0;\n\tret;")
    m = parse_ptx(body, KERNEL, 0)
    assert (m.instructions, m.barriers) == (5, 2)


def test_an_executables_exports_combine(tmp_path):
    """Counts add up over an executable's exports, resources take the largest; the exports may sit in different
    files (IREE links executables)."""
    second = ROCMASM.replace(KERNEL, "k2").replace("156", "40").replace("512", "1024")
    (tmp_path / "module_a.rocmasm").write_text(ROCMASM)
    (tmp_path / "module_b.rocmasm").write_text(second)
    m = read_metrics(tmp_path, "exe", ROCDL, [KERNEL, "k2"], {})
    one = parse_rocmasm(ROCMASM, KERNEL)
    assert (m.vgpr, m.lds_bytes, m.mma_ops, m.barriers, m.instructions) == (156, 1024, 2, 2, 2 * one.instructions)
    with pytest.raises(TilefuseError, match="no kernel 'k3' of executable 'exe'"):
        read_metrics(tmp_path, "exe", ROCDL, ["k3"], {})
