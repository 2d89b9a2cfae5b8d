"""Where built indexes live, and which version of each report is served.

    <root>/<report>/<version>/      one complete build (see index/stores/local.py)
    <root>/<report>/CURRENT         the name of the version being served
    <root>/<report>/.staging-*      a build in progress (never served)
    <root>/<report>/.lock           held while a build of the report runs

A version only becomes current once it is complete and has been loaded back
successfully; CURRENT is replaced with an atomic rename, so a reader sees
either the old or the new version, never half of one. A build that dies
leaves only a staging directory, which the next build sweeps away; two
builds of one report run one after the other, so a sweep never removes a
staging directory still being written.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from index.stores.base import new_version_name, prunable

POINTER = "CURRENT"
STAGING_PREFIX = ".staging-"
LOCK = ".lock"


class Catalog:
    def __init__(self, root: Path) -> None:
        self.root = root

    def reports(self) -> list[str]:
        """Report ids that have a current version, sorted."""
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if (p / POINTER).is_file())

    def current(self, report: str) -> Path | None:
        pointer = self.root / report / POINTER
        if not pointer.is_file():
            return None
        return self.root / report / pointer.read_text(encoding="utf-8").strip()

    def versions(self, report: str) -> list[str]:
        """Complete versions of a report, oldest first (names sort by build time)."""
        folder = self.root / report
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))

    def building(self, report: str) -> AbstractContextManager[None]:
        """Held for the whole of a build: a second build of the same report waits here."""
        return report_lock(self.root / report)

    def staging_dir(self, report: str) -> Path:
        """A fresh directory for a build; stale ones from killed builds are removed."""
        folder = self.root / report
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(STAGING_PREFIX + "*"):
            shutil.rmtree(stale, ignore_errors=True)
        return Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder)) / "build"

    def publish(self, report: str, staged: Path, sha256: str) -> str:
        """Move a verified build into place and make it current; return its version."""
        version = new_version_name(sha256)
        target = self.root / report / version
        staged.rename(target)
        shutil.rmtree(staged.parent, ignore_errors=True)
        self._point(report, target.name)
        return target.name

    def _point(self, report: str, version: str) -> None:
        pointer = self.root / report / POINTER
        tmp = pointer.with_name(POINTER + ".tmp")
        tmp.write_text(version, encoding="utf-8")
        os.replace(tmp, pointer)

    def prune(self, keep: int) -> list[Path]:
        """Delete all but the newest `keep` versions of each report; never the current one."""
        removed = []
        for report in self.reports():
            current = self.current(report)
            for version in prunable(self.versions(report), current.name if current else None, keep):
                shutil.rmtree(self.root / report / version)
                removed.append(self.root / report / version)
        return removed


@contextmanager
def report_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock on `folder`/.lock. The operating system lets go of it when its
    process dies, even by kill -9, so a killed build never blocks the next one."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
