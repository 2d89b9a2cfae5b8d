"""Choose the store from settings: `backend` "local" (default) or "milvus" (at `milvus_uri`).

Adding an engine: one module with a `Store` and a `ReportVersion` (index/stores/base.py)
and one entry in `BACKENDS`.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from index.stores.base import ReportVersion, Store, StoreUnavailable

__all__ = ["BACKENDS", "ReportVersion", "Store", "StoreUnavailable", "UnknownBackend", "open_store"]


class StoreSettings(Protocol):
    """The part of qa.settings.Settings a store needs (index/ does not import qa/)."""

    backend: str
    index_dir: Path
    milvus_uri: str
    ann_threshold: int
    ivf_lists_factor: float
    ivf_train_per_list: int
    ivf_probe_share: float
    hnsw_m: int
    hnsw_ef_construction: int
    hnsw_ef_search: int


class UnknownBackend(StoreUnavailable):
    pass


def _local(s: StoreSettings) -> Store:
    from index.stores.local import AnnParams, LocalStore

    return LocalStore(s.index_dir, AnnParams(s.ann_threshold, s.ivf_lists_factor, s.ivf_train_per_list,
                                                 s.ivf_probe_share))


def _milvus(s: StoreSettings) -> Store:
    from index.stores.milvus import MilvusStore  # pymilvus is only needed for this backend

    return MilvusStore(s.milvus_uri, s.index_dir / ".milvus-locks", s.hnsw_m, s.hnsw_ef_construction,
                       s.hnsw_ef_search)


BACKENDS: dict[str, Callable[[StoreSettings], Store]] = {"local": _local, "milvus": _milvus}


def open_store(settings: StoreSettings) -> Store:
    try:
        make = BACKENDS[settings.backend]
    except KeyError:
        raise UnknownBackend(f"Okänd lagring QA_BACKEND={settings.backend!r}: välj "
                             f"{' eller '.join(BACKENDS)}.") from None
    return make(settings)
