"""Running compiled modules through iree.runtime with the problem's dtypes (f16, bf16, i1)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import iree.runtime as rt

from .problem import AttentionProblem, round_to

_ELEMENT = {"f16": rt.HalElementType.FLOAT_16, "bf16": rt.HalElementType.BFLOAT_16}


def storage_array(values: np.ndarray, dtype: str) -> np.ndarray:
    """The array as the device stores it: f16, bf16 bits (uint16), or bytes for i1."""
    if values.dtype == bool:
        return values.astype(np.uint8)
    if dtype == "f16":
        return values.astype(np.float16)
    return (round_to("bf16", values).view(np.uint32) >> 16).astype(np.uint16)


def _from_storage(array: np.ndarray, dtype: str) -> np.ndarray:
    if dtype == "f16":
        return array.view(np.float16).astype(np.float32)
    return (array.view(np.uint16).astype(np.uint32) << 16).view(np.float32)


class Module:
    """A loaded .vmfb on one IREE driver (`local-task` on the CPU, `cuda`, `hip`)."""

    def __init__(self, vmfb: bytes | Path, driver: str):
        data = Path(vmfb).read_bytes() if isinstance(vmfb, (str, Path)) else vmfb
        self.config = rt.Config(driver)
        self.context = rt.SystemContext(config=self.config)
        self.context.add_vm_module(rt.VmModule.copy_buffer(self.context.instance, data))
        self.device = self.config.device

    def buffer(self, values: np.ndarray, dtype: str):
        element = rt.HalElementType.BOOL_8 if values.dtype == bool else _ELEMENT[dtype]
        return self.device.allocator.allocate_buffer_copy(
            memory_type=rt.MemoryType.DEVICE_LOCAL, allowed_usage=rt.BufferUsage.DEFAULT,
            device=self.device, buffer=storage_array(values, dtype), element_type=element)

    def run_problem(self, problem: AttentionProblem, inputs: dict[str, np.ndarray]) -> np.ndarray:
        """Calls `@attention` with the problem's inputs; returns the result as float32."""
        args = [self.buffer(inputs[name], problem.dtype) for name in problem.shapes()]
        result = self.context.modules.module["attention"](*args)
        return _from_storage(np.asarray(result.to_host()), problem.dtype)
