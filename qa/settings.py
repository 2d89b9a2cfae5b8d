"""All configuration in one place.

Every knob of the chain lives on `Settings`. Values come from, in rising
priority: the defaults below, environment variables prefixed `QA_` (for
example `QA_INDEX_DIR=/srv/fraga/index`), and the command line, which passes overrides
to `get_settings(**overrides)`.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QA_", extra="forbid")

    # Where built things live: index versions of every report, converted model.
    index_dir: Path = REPO_ROOT / "var" / "index"
    model_dir: Path = REPO_ROOT / "var" / "models" / "multilingual-e5-small-q4"
    # The report served when nothing else has been ingested.
    default_source: Path = REPO_ROOT / "data" / "resultat-vasterbotten-2024.pdf"
    default_title: str | None = None

    # Embedding model (see index/embedder.py) and the encoder that runs it (index/encoders/:
    # torch-fp32, torch-int8, torch-bf16, onnx-fp32, onnx-int8; chosen by `python -m eval.bench_encoders`,
    # README). Passages go through it in length-sorted batches of `embed_batch_size`: with torch-bf16,
    # 16 built the bundled report in 19.6 s, 8 in 21.9 s, 32 in 20.5 s (`python -m eval.bench_ingest`).
    embed_batch_size: int = 16
    # Questions embedded together go through the encoder in length-sorted groups of this many. With
    # torch-bf16 larger groups pay: ms a question, 256 of the evaluation set's questions in calls of 32,
    # groups of 4 / 8 / 16 / 32: 4.24 / 3.07 / 2.53 / 2.47 on 1 thread, 2.79 / 2.18 / 2.05 / 1.74 on 2
    # (onnx-fp32 was cheapest in groups of 4–8: one group pads every question to the longest).
    query_batch_size: int = 16
    # torch-bf16 gives fp32's vectors (cosine 0.99997; test MRR@10 +0.001, hit@5 equal) on the AMX of
    # this project's CPUs: one question 5.8 ms against 9.5 (onnx-fp32), a passage 17.7 ms against 108.
    # On a CPU without bf16 arithmetic choose onnx-fp32 (README, Encoder).
    encoder: str = "torch-bf16"
    # Threads of the encoder in each server process for questions that arrive together; 0 = the
    # machine's cores shared among `workers` (encoder_threads_for). One: under load the other core
    # parses, scores and answers requests; with two, 50 clients got 170.9 req/s at 10.6 ms of CPU a
    # request against 209.4 at 6.8 with one (`python -m eval.bench_load --seconds 30 --setups 1 1x2`,
    # README, Many people at once), and no answers at all while another job ran on the machine.
    encoder_threads: int = 1
    # A question that arrives alone, in a server process, is embedded on this many threads (0 = every
    # core): nobody else is asking, so the cores are free (one client: p50 13.7 ms on 2 threads against
    # 16.0 on 1; the same command with QA_LONE_QUESTION_THREADS=1).
    lone_question_threads: int = 0

    # Chunking (see ingest/chunk.py): tokens are tiktoken cl100k tokens.
    chunk_tokens: int = 300
    chunk_overlap: int = 60

    # Lexical side (see index/swedish.py): how Swedish compounds are matched.
    lexical_compounds: str = "ngrams"

    # Retrieval (see qa/scoring.py, qa/retriever.py): blending and abstention, chosen on eval/.
    # Both first chosen on all of eval/questions.jsonl (README, Quality); chosen again on tune with
    # `python -m eval.sweep_answer_type --tune-only --setting lexical_weight|sentence_weight`, a change
    # kept only for 2+ more tune questions in the top 5: BM25 0.05 → 0.03 (tune hit@5 0.921 → 0.933,
    # MRR@10 0.808 → 0.812; residents' words share fewer words with the report: 0 gave their tune file
    # MRR 0.793 against 0.622 at 0.05, the first set 0.777 against 0.832); sentence share 0.6 found
    # one more (0.936) and was not taken.
    sentence_weight: float = 0.5
    lexical_weight: float = 0.03
    # BM25's weight scales with the share of the question's words that the report uses, to this power
    # (qa/scoring.py `hybrid`): a question paraphrased away from the report's words draws only noise
    # from BM25. `python -m eval.sweep_answer_type --tune-only --setting lexical_share_power 0 1 2 3 4`
    # (README, Quality), tune hit@5 / MRR@10 at 0 (BM25 at full weight) to 4: 0.889 / 0.744, 0.895 / 0.755,
    # 0.901 / 0.760, 0.904 / 0.766, 0.901 / 0.767; the residents' words of eval/questions_tune3.jsonl
    # 0.711 / 0.487 at 0, 0.750 / 0.545 at 3, and the first set's report-worded ones gain too (0.954 → 0.962).
    lexical_share_power: float = 3.0
    rrf_k: int = 10
    # Probability that the report answers (qa/abstain.py) below which the service abstains:
    # python -m eval.calibrate_abstain --write (qa/abstain_model.py), at most 3 % of tune's answerable
    # questions abstained on, each scored by a model fitted without it (in-sample it would be 0.281:
    # boosted trees fit their own questions closely). 3 % by the rule set before it was run (README, "Where
    # the threshold sits, by rule"): the highest level at which the tune sets, each left out of the fit and
    # of the threshold, are wrongly refused on at most 4 % pooled (3.1 % at 3 %, 4.1 % at 4 %). From
    # "An eleventh tune set" until then 2 %, set by hand. Last refitted with the query adapter, each tune
    # question asked with the adapter fitted without its set (README, "A query adapter").
    min_confidence: float = 0.184
    # Answer types (qa/answer_type.py): lift for a leading passage whose best sentence holds the asked type.
    # python -m eval.sweep_answer_type: best tune hit@5, then MRR@10 (README); 0.02 before the routing below.
    type_weight: float = 0.01
    type_pool: int = 20
    # Lift for one of those passages that states the asked kind of quantity (a share, an amount of money, a
    # count of the counted word: qa/quantity.py). python -m eval.sweep_answer_type --tune-only --setting
    # quantity_weight 0 0.01 0.02 0.04: 0.01 to 0.04 bring the same 2 more tune questions into the top 5 and
    # take none out; MRR@10 0.7875 at 0, 0.7927 at 0.02 (README, "The asked quantity in the ranking").
    quantity_weight: float = 0.02
    # Lift for the `route_depth` best passages whose kind answers the asked type: a contact entry
    # for `contact`, a table-of-contents passage for `page`, sought among all (qa/answer_type.py).
    # python -m eval.sweep_answer_type --setting route_depth / --setting route_weight: best tune hit@5,
    # then MRR@10 (README); depth 5 ties with lifting them all and keeps a misread type from
    # filling the answer with contact entries.
    route_weight: float = 0.06
    route_depth: int = 5
    # Lift for a contact entry or TOC passage by the share of the `topic_leaders` best prose passages
    # that stand in the part of the report it belongs to (qa/topic_route.py): "who can tell me about
    # night trains" finds the person listed under the chapter that discusses them.
    # python -m eval.sweep_answer_type --tune-only --setting topic_weight / topic_leaders (README): tune
    # hit@5 / MRR@10 0.869 / 0.708 without, 0.921 / 0.808 at 0.3 with 3 leaders; 0.5 ties, 2 or 5
    # leaders 0.918 / 0.799 and 0.914 / 0.800.
    topic_weight: float = 0.3
    topic_leaders: int = 3
    # Lift for the `report_depth` best passages in which the report describes itself, for a question
    # about how the report came about, or of its front matter, for one about the strategy it follows
    # up (qa/report_route.py; the strategy's share chosen with these values, README "A seventh test
    # set"). python -m eval.sweep_answer_type --tune-only
    # --setting report_weight / report_depth: tune structure hit@5 0.910 without, 0.927 at any weight from
    # 0.03 to 0.2 (depth 8); depth 5, 8, 12 tie at hit@5, 8 and 12 best at hit@10 (0.955 against 0.938).
    report_weight: float = 0.06
    report_depth: int = 8
    # Those passages score within 0.02-0.04 of each other for such a question: e5 cannot tell the foreword
    # from the passage on how the report was made. Each is lifted by this weight times its BM25 score over
    # the best of theirs, so the words a question shares with one of them decide. Measured first with an
    # uncommitted patch at 0.01 / 0.02 / 0.03 / 0.06 / 0.1: 0.02 to 0.06 bring the same 2 more tune questions
    # into the top 5 and take none out, 0.1 takes 2 out. python -m eval.sweep_answer_type --tune-only
    # --setting report_lexical_weight 0 0.03 0.1: tune hit@5 0.906 / 0.908 / 0.906, MRR@10 0.786 / 0.785 /
    # 0.785 (README, "The foreword, and words among the report's own passages").
    report_lexical_weight: float = 0.03
    # Move each question's vector by the adapter fitted on the tune questions (qa/query_adapter.py), for
    # the report it was fitted on. `python -m eval.fit_query_adapter`, tune in 5 folds of whole sets, each
    # asked with the adapter fitted on the other folds: hit@5 / MRR@10 / structure hit@5 0.908 / 0.785 /
    # 0.899 without, 0.939 / 0.863 / 0.938 with (54 questions into the top 5, 19 out; README, "A query adapter").
    query_adapter: bool = True

    # Where indexes are kept (see index/stores/): "local" (FAISS + files under index_dir,
    # embedded) or "milvus" at `milvus_uri`: a file path runs milvus-lite in the process,
    # http://host:19530 talks to a Milvus standalone or cluster shared by several replicas.
    backend: str = "local"
    milvus_uri: str = str(REPO_ROOT / "var" / "milvus.db")
    # How many passages each of dense, best-sentence and BM25 search proposes before
    # the union is scored exactly; on the bundled report 100 gives the same eval
    # figures as scoring every passage (README, "Backends").
    candidate_depth: int = 100
    # The local store searches a report's passages and sentences exactly up to this many passages,
    # and above it through an IVF index (faiss IndexIVFFlat): `ivf_lists_factor`·√rows lists, each
    # trained on at most `ivf_train_per_list` rows, `ivf_probe_share` of them searched a question.
    # `python -m eval.bench_scale` on data as hard as e5's (README, "Scale"): recall@10 ≥ 0.95 took
    # 1,024 of 1,265 lists at 10⁵ passages (9.7 ms, exact 10.7 ms) and 3,072 of 4,000 at 10⁶
    # (0.948, 79 ms, exact 103 ms): approximate search pays only from about 10⁶ passages.
    ann_threshold: int = 1_000_000
    ivf_lists_factor: float = 4.0
    ivf_train_per_list: int = 64
    ivf_probe_share: float = 0.8
    # Milvus' HNSW index (and the bench's local HNSW, the alternative to IVF measured there).
    hnsw_m: int = 32
    hnsw_ef_construction: int = 200
    hnsw_ef_search: int = 128

    # Service.
    host: str = "127.0.0.1"
    port: int = 8000
    # Admin routes (POST /admin/reload) need this token; unset = admin routes off.
    admin_token: str | None = None
    # Serving many at once (qa/batcher.py): questions arriving together are embedded as one
    # batch of at most `batch_max_size`, gathered for at most `batch_max_wait_ms` after the first;
    # a repeated question is answered from a cache of `query_cache_size` vectors.
    batch_max_size: int = 32
    batch_max_wait_ms: float = 2.0
    query_cache_size: int = 1024
    # Server processes behind the one port (`qa serve`), and threads per process for requests.
    workers: int = 1
    http_threads: int = 40
    # How long uvicorn waits for a worker's health answer before replacing it; a worker loading the
    # model on a busy 2-core machine missed uvicorn's 5 s and was restarted again and again.
    worker_healthcheck_s: int = 60
    # How often the service looks for new CURRENT index versions (0 = only on /admin/reload).
    reload_interval_s: float = 5.0


    def encoder_threads_for(self, serving: bool) -> int:
        """The encoder's threads: in a server process `encoder_threads`, else the cores shared among
        `workers`; in one-process work (`qa ingest`, `qa eval`, the benchmarks) every core, since
        nothing else then wants them."""
        cores = os.cpu_count() or 1
        if not serving:
            return cores
        return self.encoder_threads or max(1, cores // self.workers)

    def lone_question_threads_now(self) -> int:
        """Threads for a question embedded alone (`lone_question_threads`, 0: every core)."""
        return self.lone_question_threads or os.cpu_count() or 1


@lru_cache
def get_settings(**overrides: object) -> Settings:
    """The settings in force; cached so the service builds them once."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
