"""``pledge pull``: copy a published release out of the warehouse, verified file by file.

"Latest" is the highest quarter and, within it, the highest revision. Every copied file is checked
against the sha256 the release's manifest lists for it, before and after copying; on any mismatch
(or a file the manifest lists that is missing) nothing is left at the destination and a
``PullError`` names the files (the CLI exits with code 3).
"""

from __future__ import annotations

import json
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from orchestration.ingest.faults import PledgeError
from orchestration.publish.release import _REVISION, MANIFEST, RUN_INFO, sha256_file

FORMATS = ("csv", "xlsx", "parquet")
ALWAYS = (MANIFEST, RUN_INFO)


class PullError(PledgeError):
    """A release that cannot be pulled: none found, or a file that fails its checksum."""


@dataclass
class PullResult:
    release_id: str
    source: Path
    destination: Path
    files: list[str]


def _release_order(name: str) -> tuple[str, int] | None:
    m = _REVISION.match(name)
    return (m.group("quarter"), int(m.group("n") or 0)) if m else None


def find_release(releases_dir: Path, quarter: str | None = None) -> Path:
    """The latest published release (of ``quarter`` when given)."""
    found = []
    if releases_dir.exists():
        for p in releases_dir.iterdir():
            order = _release_order(p.name)
            wanted = order is not None and (quarter is None or order[0] == quarter)
            if wanted and p.is_dir() and (p / MANIFEST).exists():
                found.append((order, p))
    if not found:
        what = f"for {quarter}" if quarter else "at all"
        raise PullError(f"no published release {what} in {releases_dir}")
    return max(found)[1]


def _selected(files: dict[str, str], fmt: str | None) -> list[str]:
    if fmt is None:
        return sorted(files)
    others = tuple(f"{f}/" for f in FORMATS if f != fmt)
    return sorted(f for f in files if not f.startswith(others))


def verify(release: Path, names: list[str], files: dict[str, str]) -> list[str]:
    """Problems with ``names`` in ``release`` against the manifest's checksums (empty = fine)."""
    problems = []
    for name in names:
        path = release / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif sha256_file(path) != files[name]:
            problems.append(f"{name}: sha256 differs from the manifest")
    return problems


def pull(
    releases_dir: Path, dest: Path, quarter: str | None = None, fmt: str | None = None
) -> PullResult:
    if fmt is not None and fmt not in FORMATS:
        raise PullError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    release = find_release(releases_dir, quarter)
    manifest = json.loads((release / MANIFEST).read_text("utf-8"))
    files: dict[str, str] = manifest.get("files") or {}
    names = _selected(files, fmt)
    problems = verify(release, names, files)
    if problems:
        raise PullError(
            f"release {release.name} failed verification, nothing was copied:\n  "
            + "\n  ".join(problems)
        )
    target = dest / release.name
    if target.exists():
        raise PullError(f"{target} already exists; pull into an empty folder")
    dest.mkdir(parents=True, exist_ok=True)
    stage = dest / f".pull-{release.name}-{uuid.uuid4().hex[:8]}"
    try:
        for name in [*names, *ALWAYS]:
            src = release / name
            if src.is_file():
                (stage / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, stage / name)
        problems = verify(stage, names, files)
        if problems:
            raise PullError("the copy failed verification:\n  " + "\n  ".join(problems))
        stage.rename(target)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return PullResult(release.name, release, target, names)
