"""deploy/ is documented, not run in CI: check that it says what the README says it does."""
from __future__ import annotations

import pytest

from qa.settings import REPO_ROOT

yaml = pytest.importorskip("yaml")
DEPLOY = REPO_ROOT / "deploy"


def test_compose_runs_two_replicas_on_one_milvus_behind_nginx():
    services = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))["services"]
    assert {"milvus", "etcd", "minio", "ingest", "qa1", "qa2", "nginx"} <= set(services)
    for replica in ("qa1", "qa2", "ingest"):
        environment = services[replica]["environment"]
        assert environment["QA_BACKEND"] == "milvus" and environment["QA_MILVUS_URI"] == "http://milvus:19530"
    upstream = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    assert "server qa1:8000" in upstream and "server qa2:8000" in upstream
    assert '"qa", "serve", "--no-build"' in (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
