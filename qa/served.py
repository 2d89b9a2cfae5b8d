"""Which version of each report this process serves.

Behind one object for every store: the local store's CURRENT pointer and the
Milvus alias are both read through `Store.current`. `reload()` loads any report
whose served version changed and swaps the whole set in one assignment, so a
search in flight keeps the snapshot it started with; a version that fails to
load is skipped and the one already loaded stays in service (a broken build
must never take a report offline). Several service replicas on one Milvus
each run this and converge on the alias within `reload_interval_s`.
"""
from __future__ import annotations

import threading

from index.store import BuildSettings, IndexMismatch
from index.stores import ReportVersion, Store, StoreUnavailable


class ServedVersions:
    def __init__(self, store: Store, build: BuildSettings) -> None:
        self.store = store
        self.build = build
        self.versions: dict[str, ReportVersion] = {}
        self.load_errors: dict[str, str] = {}
        self._lock = threading.Lock()
        self.reload()

    def reload(self) -> list[str]:
        """Load any report whose served version changed; return the reports that changed."""
        with self._lock:
            fresh: dict[str, ReportVersion] = {}
            changed = []
            errors: dict[str, str] = {}
            try:
                served = {report: self.store.current(report) for report in self.store.reports()}
            except StoreUnavailable as error:  # keep serving what is loaded; say why nothing changes
                self.load_errors = {report: str(error) for report in self.versions}
                return []
            for report, version in served.items():
                loaded = self.versions.get(report)
                if loaded is not None and loaded.version == version:
                    fresh[report] = loaded
                    continue
                try:
                    fresh[report] = self.store.open(report, version, self.build)
                    changed.append(report)
                except (IndexMismatch, OSError, ValueError) as error:
                    errors[report] = str(error)
                    if loaded is not None:
                        fresh[report] = loaded
            changed += [r for r in self.versions if r not in fresh]
            self.versions, self.load_errors = fresh, errors
            return changed
