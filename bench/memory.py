"""Peak memory of `cunwu compliance` against the size of its input (issue 23's figures).

For each scale, writes the synthetic city (`cunwu synth --scale N`) into a temporary folder, runs
the city-year assessment to a JSON report, and prints the input's bytes, the run's peak resident
memory (the child's ru_maxrss) and their ratio. Usage: python3 bench/memory.py CUNWU_BINARY [SCALE...]
(default scales 1 and 4).
"""

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    binary = sys.argv[1]
    scales = [int(s) for s in sys.argv[2:]] or [1, 4]
    for scale in scales:
        folder = Path(tempfile.mkdtemp(prefix=f"cunwu-memory-{scale}x-"))
        try:
            started = time.perf_counter()
            subprocess.run([binary, "synth", str(folder), "--scale", str(scale)], check=True, capture_output=True)
            synth_s = time.perf_counter() - started
            size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
            # A fresh interpreter per run, so ru_maxrss of the children is this run's alone.
            probe = (
                "import resource, subprocess, sys, time;"
                "t = time.perf_counter();"
                "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL);"
                "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, time.perf_counter() - t)"
            )
            # Past 1x a record file outgrows the default limits (sized for Chongqing): raised here.
            command = [binary, "compliance", str(folder), "--year", "2026", "--format", "json",
                       "--out", str(folder / "report.json"),
                       "--max-text-bytes", str(1 << 40), "--max-file-lines", str(1 << 40)]
            out = subprocess.run([sys.executable, "-c", probe, *command], check=True, capture_output=True, text=True)
            code, peak_kib, seconds = out.stdout.split()
            if code != "0" or not (folder / "report.json").is_file():
                sys.exit(f"compliance {scale}x failed (exit {code}): {' '.join(command)}")
            peak = int(peak_kib) * 1024
            print(
                f"memory, compliance {scale}x: input {size / 1e6:.0f} MB, peak {peak / 1e6:.0f} MB = "
                f"{peak / size:.2f}x the input (exit {code}, {float(seconds):.1f} s; synth {synth_s:.0f} s)"
            )
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
