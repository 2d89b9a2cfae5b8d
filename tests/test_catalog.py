"""Versions, the CURRENT pointer and pruning, on plain directories."""
from pathlib import Path

import pytest

from index.catalog import Catalog


def publish(catalog: Catalog, report: str, sha: str) -> str:
    staged = catalog.staging_dir(report)
    staged.mkdir()
    (staged / "manifest.json").write_text(sha)
    return catalog.publish(report, staged, sha)


def test_publish_makes_version_current_and_cleans_staging(tmp_path: Path):
    catalog = Catalog(tmp_path)
    first = publish(catalog, "2024", "a" * 64)
    second = publish(catalog, "2024", "b" * 64)
    assert catalog.reports() == ["2024"]
    assert catalog.current("2024") == tmp_path / "2024" / second
    assert catalog.versions("2024") == sorted([first, second])
    assert not list((tmp_path / "2024").glob(".staging-*"))


def test_killed_build_leaves_current_untouched_and_is_swept(tmp_path: Path):
    catalog = Catalog(tmp_path)
    version = publish(catalog, "2024", "a" * 64)
    staged = catalog.staging_dir("2024")
    staged.mkdir()
    (staged / "half-written").write_text("x")  # the process dies here
    assert catalog.current("2024").name == version
    assert catalog.versions("2024") == [version]
    catalog.staging_dir("2024")  # the next build starts
    assert not staged.exists()


def test_prune_keeps_newest_and_current(tmp_path: Path):
    catalog = Catalog(tmp_path)
    versions = [publish(catalog, "2024", f"{i}" * 64) for i in range(4)]
    removed = catalog.prune(keep=2)
    assert sorted(p.name for p in removed) == versions[:2]
    assert catalog.versions("2024") == versions[2:]
    with pytest.raises(ValueError):
        catalog.prune(keep=0)


def test_empty_catalog(tmp_path: Path):
    catalog = Catalog(tmp_path / "missing")
    assert catalog.reports() == []
    assert catalog.current("2024") is None
    assert catalog.versions("2024") == []
