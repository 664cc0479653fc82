"""Peak memory of the running process, the way every benchmark here reports it."""

from __future__ import annotations

import resource
import sys
from pathlib import Path


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB.

    Linux: ``VmHWM`` from ``/proc/self/status``, the high-water mark of this address space.
    ``ru_maxrss`` would be wrong in a child process: the kernel carries it over from the
    parent across fork and exec. Elsewhere ``ru_maxrss`` is the best there is (KiB on most
    systems, bytes on macOS).
    """
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
