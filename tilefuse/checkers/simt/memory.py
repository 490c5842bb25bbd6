"""Memory of the SIMT interpreter: dispatch bindings, workgroup memory (one copy per workgroup the machine
runs at once), private memory (one copy per thread), strided views of them, and the race detector on workgroup
memory.

Every access is a NumPy array of element addresses of shape (threads, *vector shape) plus a validity mask;
the detector checks them against what other threads of the same workgroup touched since the last barrier.
"""

from __future__ import annotations

import numpy as np

from ...interp.core import OutOfBounds
from ...interp.values import FLOAT_TYPES, cast_to

NO_THREAD = -1


class Race(Exception):
    """Two threads touched one workgroup-memory element between two barriers, at least one writing."""


def _uninitialized(copies: tuple[int, ...], n: int, elem: str) -> np.ndarray:
    """NaN for floats, so a read of data nobody wrote shows up as a mismatch."""
    if elem in FLOAT_TYPES:
        return np.full(copies + (n,), np.nan, np.float32)
    return np.zeros(copies + (n,), bool if elem == "i1" else np.int64)


class Buffer:
    """A flat array of elements. Private buffers hold one copy per thread (data of shape (threads, n)),
    workgroup buffers one per workgroup the machine runs at once ((workgroups, n)), global ones a single (n,).
    `traffic`, while the machine runs several workgroups at once, records which of them touch a global buffer."""

    def __init__(self, name: str, data: np.ndarray, shape: tuple[int, ...], elem: str, space: str):
        self.name, self.data, self.shape, self.elem, self.space = name, data, shape, elem, space
        self.traffic: WorkgroupTraffic | None = None
        if space == "workgroup":
            self._track()

    def _track(self) -> None:
        # per element of every copy since the last barrier: the thread that wrote it, the lowest and highest
        # reader (threads numbered within their workgroup)
        self.writer = np.full(self.data.size, NO_THREAD, np.int64)
        self.reader_lo = np.full(self.data.size, NO_THREAD, np.int64)
        self.reader_hi = np.full(self.data.size, NO_THREAD, np.int64)

    @classmethod
    def fresh(cls, name: str, shape, elem: str, space: str, threads: int, workgroups: int = 1) -> "Buffer":
        """Uninitialized memory (see _uninitialized)."""
        copies = {"private": (threads,), "workgroup": (workgroups,)}.get(space, ())
        return cls(name, _uninitialized(copies, int(np.prod(shape)), elem), tuple(shape), elem, space)

    def copy_per_workgroup(self, workgroups: int) -> None:
        """Workgroup memory allocated before a forall the machine runs `workgroups` at a time: a fresh copy for
        each of them, as each workgroup of the one-by-one run starts with."""
        self.data = _uninitialized((workgroups,), self.data.shape[-1], self.elem)
        self._track()

    def keep_last_copy(self) -> None:
        """After such a forall: what the last workgroup left, as if the workgroups had run one by one."""
        n = self.data.shape[-1]
        self.data = self.data[-1:].copy()
        self.writer, self.reader_lo, self.reader_hi = (t[-n:].copy()
                                                       for t in (self.writer, self.reader_lo, self.reader_hi))

    def new_epoch(self, copies: np.ndarray | None = None) -> None:
        """A barrier (reached by the workgroups whose copies are marked, default all): what happened before it
        is ordered with what comes after."""
        if self.space != "workgroup":
            return
        for tracker in (self.writer, self.reader_lo, self.reader_hi):
            if copies is None:
                tracker.fill(NO_THREAD)
            else:
                tracker.reshape(copies.size, -1)[copies] = NO_THREAD

    def element(self, addr: int) -> tuple[int, ...] | str:
        """The element at a flat address, or a description of an address past the allocation."""
        if not 0 <= addr < int(np.prod(self.shape)):
            return f"at flat offset {int(addr)} (past the {self.shape} allocation)"
        return tuple(int(i) for i in np.unravel_index(int(addr), self.shape)) if self.shape else ()


class MemRef:
    """A strided view: element (i0, i1, ...) is at offset + sum(i_k * strides[k]); offset may differ per thread."""

    def __init__(self, buffer: Buffer, offset: np.ndarray, sizes: tuple[int, ...], strides: tuple[int, ...]):
        self.buffer, self.offset, self.sizes, self.strides = buffer, offset, sizes, strides

    @classmethod
    def whole(cls, buffer: Buffer) -> "MemRef":
        strides = tuple(int(np.prod(buffer.shape[k + 1:])) for k in range(len(buffer.shape)))
        return cls(buffer, np.zeros(1, np.int64), buffer.shape, strides)


def _thread_ids(addr: np.ndarray) -> np.ndarray:
    """The thread of each element of a (threads, *shape) array, as an array of the same shape."""
    return np.broadcast_to(np.arange(addr.shape[0]).reshape((-1,) + (1,) * (addr.ndim - 1)), addr.shape)


def _copy_ids(buf: Buffer, addr: np.ndarray) -> np.ndarray | None:
    """Which copy of the buffer each element of a (threads, *shape) access is in: its thread's (private), its
    workgroup's (workgroup; the machine's threads are whole workgroups, in order), none (global)."""
    if buf.space == "private":
        return _thread_ids(addr)
    if buf.space == "workgroup":
        return _thread_ids(addr) // (addr.shape[0] // buf.data.shape[0])
    return None


class Access:
    """The elements one op touches: addresses (threads, *shape) and which of them really are touched."""

    def __init__(self, memref: MemRef, addr: np.ndarray, valid: np.ndarray):
        self.memref, self.addr, self.valid = memref, addr, valid

    def read(self, padding) -> np.ndarray:
        buf = self.memref.buffer
        addr = np.where(self.valid, self.addr, 0)
        copies = _copy_ids(buf, addr)
        values = buf.data[addr] if copies is None else buf.data[copies, addr]
        return np.where(self.valid, values, padding)

    def write(self, values: np.ndarray) -> None:
        buf = self.memref.buffer
        values = np.broadcast_to(cast_to(values, buf.elem), self.addr.shape)
        copies = _copy_ids(buf, self.addr)
        if copies is None:
            buf.data[self.addr[self.valid]] = values[self.valid].astype(buf.data.dtype)
        else:
            buf.data[copies[self.valid], self.addr[self.valid]] = values[self.valid]


def access(op_name: str, memref: MemRef, indices: list[np.ndarray], vshape: tuple[int, ...],
           dims_of_vector: list[int | None], active: np.ndarray, in_bounds: list[bool],
           mask: np.ndarray | None) -> Access:
    """The addresses a transfer touches. `dims_of_vector[j]` is the memref dim vector dim j walks (None: a
    broadcast dim). Out-of-bounds elements of dims not marked in_bounds are not touched (padding / dropped
    writes); any other out-of-bounds element of an active thread raises OutOfBounds."""
    threads = active.shape[0]
    rank = len(vshape)
    full = (threads,) + tuple(vshape)
    addr = np.broadcast_to(memref.offset.reshape((-1,) + (1,) * rank), full).astype(np.int64)
    valid = np.broadcast_to(active.reshape((-1,) + (1,) * rank), full).copy()
    if mask is not None:
        valid &= np.broadcast_to(mask, full)
    oob = np.zeros(full, bool)
    for k, (size, stride) in enumerate(zip(memref.sizes, memref.strides)):
        idx = np.broadcast_to(indices[k].reshape((-1,) + (1,) * rank), full).astype(np.int64)
        may_overrun = True
        for j, dim in enumerate(dims_of_vector):
            if dim == k:
                step = np.arange(vshape[j]).reshape((1,) + tuple(vshape[j] if i == j else 1 for i in range(rank)))
                idx = idx + step
                may_overrun = not in_bounds[j]
        outside = (idx < 0) | (idx >= np.reshape(size, (-1,) + (1,) * rank))  # size: one, or per thread
        if may_overrun:
            valid &= ~outside
        else:
            oob |= outside
        addr = addr + idx * stride
    bad = oob & valid
    if bad.any():
        t, *pos = (int(i[0]) for i in np.nonzero(bad))
        raise OutOfBounds(f"{op_name}: thread {t} touches {memref.buffer.name} element "
                          f"{memref.buffer.element(addr[(t, *pos)])} outside its {memref.sizes} view")
    total = memref.buffer.data.shape[-1]
    outside = valid & ((addr < 0) | (addr >= total))
    if outside.any():
        t = int(np.nonzero(outside)[0][0])
        raise OutOfBounds(f"{op_name}: thread {t} touches {memref.buffer.name} outside its allocation")
    return Access(memref, addr, valid)


def check_race(op_name: str, acc: Access, writing: bool) -> None:
    """Records the access in the buffer's epoch; raises Race naming two threads of one workgroup and one
    element. Each workgroup's copy is an address range of its own (copy * n + address), so threads of
    different workgroups never meet."""
    buf = acc.memref.buffer
    if buf.space != "workgroup":
        return
    copies, n = buf.data.shape
    per_workgroup = acc.addr.shape[0] // copies
    threads = _thread_ids(acc.addr)[acc.valid]
    addrs = acc.addr[acc.valid] + threads // per_workgroup * n
    threads = threads % per_workgroup
    if addrs.size == 0:
        return
    order = np.lexsort((threads, addrs))
    addrs, threads = addrs[order], threads[order]
    # within this op: one element written by two threads
    same = (addrs[1:] == addrs[:-1]) & (threads[1:] != threads[:-1])
    if writing and same.any():
        i = int(np.nonzero(same)[0][0])
        _race(op_name, buf, addrs[i], int(threads[i]), int(threads[i + 1]), "both write")
    writer = buf.writer[addrs]
    clash = (writer != NO_THREAD) & (writer != threads)
    if clash.any():
        i = int(np.nonzero(clash)[0][0])
        _race(op_name, buf, addrs[i], int(writer[i]), int(threads[i]),
              "the first writes, then the second writes" if writing else "the first writes, then the second reads")
    if writing:
        lo, hi = buf.reader_lo[addrs], buf.reader_hi[addrs]
        other = np.where(lo != threads, lo, hi)
        clash = (other != NO_THREAD) & (other != threads)
        if clash.any():
            i = int(np.nonzero(clash)[0][0])
            _race(op_name, buf, addrs[i], int(other[i]), int(threads[i]), "the first reads, then the second writes")
        buf.writer[addrs] = threads
    else:
        fresh = buf.reader_lo[addrs] == NO_THREAD
        buf.reader_lo[addrs[fresh]] = threads[fresh]
        np.minimum.at(buf.reader_lo, addrs, threads)
        np.maximum.at(buf.reader_hi, addrs, threads)


def _race(op_name: str, buf: Buffer, addr, first, second, what: str) -> None:
    raise Race(f"{op_name}: {buf.name}{list(buf.element(addr % buf.data.shape[-1]))}: thread {first} and thread {second} without a "
               f"barrier between ({what})")


class WorkgroupTraffic:
    """Which workgroups touched each element of one global buffer while the machine ran a forall's workgroups
    several at a time, op by op interleaved. That gives what running them one after another gives unless one
    workgroup writes an element another one touches (the order between them then decides what is read or
    left); `crossed` says whether that happened."""

    def __init__(self, n: int):
        none = np.iinfo(np.int64).max
        self.lo = {w: np.full(n, none, np.int64) for w in (False, True)}
        self.hi = {w: np.full(n, -1, np.int64) for w in (False, True)}

    def record(self, acc: Access, workgroup_of_thread: np.ndarray, writing: bool) -> None:
        workgroups = np.broadcast_to(workgroup_of_thread.reshape((-1,) + (1,) * (acc.addr.ndim - 1)),
                                     acc.addr.shape)[acc.valid]
        addrs = acc.addr[acc.valid]
        np.minimum.at(self.lo[writing], addrs, workgroups)
        np.maximum.at(self.hi[writing], addrs, workgroups)

    def crossed(self) -> bool:
        written = self.hi[True] >= 0
        read = self.hi[False] >= 0
        writer = self.lo[True]
        return bool((written & ((writer != self.hi[True]) |
                                (read & ((self.lo[False] != writer) | (self.hi[False] != writer))))).any())
