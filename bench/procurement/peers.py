"""The peers of the contracting benchmarks, pinned, in their own virtual environment
(var/bench-procurement-peers): measured, never imported by Minga."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VENV = REPO / "var" / "bench-procurement-peers"
PINS = ["datasette==0.65.5", "sqlite-utils==4.2.1", "ocdskit==1.7.0"]


def ensure() -> Path:
    """Create the environment and install the pinned peers if needed; returns its bin directory."""
    bin_dir = VENV / "bin"
    stamp = VENV / ".pins"
    if stamp.exists() and stamp.read_text() == "\n".join(PINS):
        return bin_dir
    if not (bin_dir / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", *PINS], check=True)
    stamp.write_text("\n".join(PINS))
    return bin_dir


def version(bin_dir: Path, tool: str) -> str:
    out = subprocess.run([str(bin_dir / tool), "--version"], capture_output=True, text=True)
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr) else "?"


def package_version(bin_dir: Path, package: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({package!r}))"
    return subprocess.run(
        [str(bin_dir / "python"), "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
