"""Running compiled modules through iree.runtime with the problem's dtypes (f16, bf16, fp8, i1)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import iree.runtime as rt

from ..errors import TilefuseError
from ..ir.facts import FP8_FLOATS, NUMPY_STORAGE
from ..problem import AttentionProblem
from ..ir.rounding import round_to

_ELEMENT = {"f16": rt.HalElementType.FLOAT_16, "bf16": rt.HalElementType.BFLOAT_16,
            "f32": rt.HalElementType.FLOAT_32, "i1": rt.HalElementType.BOOL_8, "i8": rt.HalElementType.SINT_8,
            "i32": rt.HalElementType.SINT_32, "i64": rt.HalElementType.SINT_64,
            "f8E4M3FNUZ": rt.HalElementType.FLOAT_8_E4M3_FNUZ, "f8E4M3FN": rt.HalElementType.FLOAT_8_E4M3_FN,
            "f8E5M2FNUZ": rt.HalElementType.FLOAT_8_E5M2_FNUZ, "f8E5M2": rt.HalElementType.FLOAT_8_E5M2}


def storage_array(values: np.ndarray, elem: str) -> np.ndarray:
    """The array as the device stores it: f16, bf16 bits (uint16), bytes for i1, else the type itself."""
    if values.dtype == bool or elem == "i1":
        return values.astype(np.uint8)
    if elem == "f16":
        return values.astype(np.float16)
    if elem == "bf16":
        return (round_to("bf16", values).view(np.uint32) >> 16).astype(np.uint16)
    return values.astype(NUMPY_STORAGE[elem])


def storage_dtype(elem: str) -> np.dtype:
    """The NumPy type of storage_array's result (how a raw output file of IREE's tools is read)."""
    return storage_array(np.zeros(0, np.float32), elem).dtype


def from_storage(array: np.ndarray, elem: str) -> np.ndarray:
    """A stored array (storage_array's form) as float32 (floats) or its integer type."""
    if elem == "f16":
        return array.view(np.float16).astype(np.float32)
    if elem == "bf16":
        return (array.view(np.uint16).astype(np.uint32) << 16).view(np.float32)
    return array.astype(np.float32) if elem == "f32" or elem in FP8_FLOATS else array


class Module:
    """A loaded .vmfb on one IREE driver (`local-task` on the CPU, `cuda`, `hip`)."""

    def __init__(self, vmfb: bytes | Path, driver: str):
        data = Path(vmfb).read_bytes() if isinstance(vmfb, (str, Path)) else vmfb
        self.config = rt.Config(driver)
        self.context = rt.SystemContext(config=self.config)
        self.context.add_vm_module(rt.VmModule.copy_buffer(self.context.instance, data))
        self.device = self.config.device

    def buffer(self, values: np.ndarray, elem: str):
        if elem not in _ELEMENT:
            raise TilefuseError(f"cannot pass a tensor of {elem} to the IREE runtime")
        return self.device.allocator.allocate_buffer_copy(
            memory_type=rt.MemoryType.DEVICE_LOCAL, allowed_usage=rt.BufferUsage.DEFAULT,
            device=self.device, buffer=storage_array(np.asarray(values), elem), element_type=_ELEMENT[elem])

    def call(self, function: str, args: list[np.ndarray], arg_elems: list[str], result_elems: list[str]) -> list:
        """Calls `function` of the loaded module; results as float32 (floats) or their integer type."""
        results = self.context.modules.module[function](*[self.buffer(a, e) for a, e in zip(args, arg_elems)])
        results = results if isinstance(results, (list, tuple)) else [results]
        return [from_storage(np.asarray(r.to_host()), e) for r, e in zip(results, result_elems)]

    def run_problem(self, problem: AttentionProblem, inputs: dict[str, np.ndarray]) -> np.ndarray:
        """Calls `@attention` with the problem's inputs; returns the result as float32."""
        names = list(problem.shapes())
        elems = ["i1" if inputs[n].dtype == bool else problem.dtype for n in names]
        (out,) = self.call("attention", [inputs[n] for n in names], elems, [problem.dtype])
        return out
