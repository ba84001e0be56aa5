"""CPU seconds per unit of work, for figures that survive a loaded machine.

On a busy host wall-clock throughput measures the scheduler, not the code. The CPU time a
measurement used (this process's, and the sandbox process's from ``/proc``) divided by the units
it did is stable under load; the ratio of bare signing's CPU cost to signHash's end-to-end CPU
cost (client plus service) estimates the throughput ratio an idle machine would show for
sequential keep-alive requests.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import bench_signhash


@dataclass
class CpuCount:
    units: int = 0
    own_cpu_s: float = 0.0
    service_cpu_s: float = 0.0

    def per_unit(self) -> float | None:
        return (self.own_cpu_s + self.service_cpu_s) / self.units if self.units else None


def _stat(pid: int | str) -> list[str] | None:
    """Fields of ``/proc/<pid>/stat`` after the command name (field 3 is index 0)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` (Linux ``/proc``; 0.0 elsewhere)."""
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") if fields else 0.0


def tree_cpu_s(root: int | None = None) -> float:
    """CPU seconds of ``root`` (default: this process) and all its live descendants, each with
    its reaped children's time, so short-lived browser renderers count once reaped."""
    root = os.getpid() if root is None else root
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(entry)) is not None:
            parents[int(entry)] = int(fields[1])
            ticks[int(entry)] = sum(int(x) for x in fields[11:15])
    total = 0
    for pid, tick in ticks.items():
        ancestor = pid
        while ancestor not in (root, 0, 1) and ancestor in parents:
            ancestor = parents[ancestor]
        if ancestor == root:
            total += tick
    return total / os.sysconf("SC_CLK_TCK")


@contextmanager
def counting(count: CpuCount, service_pid: int | None = None) -> Iterator[None]:
    """While active, ``bench_signhash.rate`` also records units and CPU time into ``count``."""
    original = bench_signhash.rate

    def counted_rate(action: Callable[[], int], seconds: float) -> float:
        def counted() -> int:
            done = action()
            count.units += done
            return done

        own, service = time.process_time(), _service_cpu(service_pid)
        try:
            return original(counted, seconds)
        finally:
            count.own_cpu_s += time.process_time() - own
            count.service_cpu_s += _service_cpu(service_pid) - service

    bench_signhash.rate = counted_rate
    try:
        yield
    finally:
        bench_signhash.rate = original


def _service_cpu(pid: int | None) -> float:
    return process_cpu_s(pid) if pid is not None else 0.0
