"""The wheel built from pyproject.toml holds every subpackage of mapping/ and connectors/."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_holds_every_subpackage(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("sourcier-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = {p.parent.relative_to(ROOT).as_posix() for p in ROOT.glob("mapping/**/__init__.py")}
    packages |= {p.parent.relative_to(ROOT).as_posix() for p in ROOT.glob("connectors/**/__init__.py")}
    assert {"mapping/dedup", "mapping/demo", "mapping/search", "mapping/build", "mapping/reference"} <= packages
    missing = sorted(p for p in packages if f"{p}/__init__.py" not in names)
    assert missing == []
    modules = {p.relative_to(ROOT).as_posix() for d in ("mapping", "connectors") for p in (ROOT / d).rglob("*.py")}
    assert sorted(modules - names) == []
