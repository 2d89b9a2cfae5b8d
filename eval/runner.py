"""`qa eval`: run the question set through the whole chain and score it.

    qa eval                      library run of the served configuration
    qa eval --url http://…:8000  the same questions against a running server
    qa eval --compare            dense, lexical and hybrid side by side
    qa eval --check              only validate the question sets, and give each one's
                                 mean content-word overlap between question and evidence
    qa eval --split test         only one half (tune|test|all; all reports each half apart)
    qa eval --json report.json   also write the full, machine-readable report

Weights and thresholds are chosen on the "tune" half; quality is read on the
"test" half (eval/split.py), so every run reports the halves separately.

Retrieval metrics (hit@k, MRR@10, nDCG@10) are over answerable questions;
"highlight" is the share of found answers whose highlighted sentence(s), in
the first passage that holds the evidence, show that evidence;
abstention precision/recall treat "the service said answered=false" as the
prediction and "the report does not answer it" as the truth; abstention AUROC
is how well the confidence score alone, at any threshold, tells answerable
questions from unanswerable ones (0.5 = no better than chance).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from eval.metrics import auroc, highlight_shows, percentile, score_item
from eval.questions import (
    DEFAULT_PATHS,
    SPLITS,
    Question,
    check_questions,
    load_questions,
    mean_evidence_overlap,
    shares_tune_evidence,
)
from qa.query_adapter import fitted_adapter
from qa.retriever import MODES

DEFAULT_SOURCE = Path(__file__).resolve().parent.parent / "data" / "resultat-vasterbotten-2024.txt"
DEPTH = 10
HIT_KS = (1, 3, 5, 10)


@dataclass(frozen=True)
class ItemResult:
    id: str
    type: str
    language: str
    split: str
    answerable: bool
    first_hit_rank: int | None
    ndcg10: float
    all_evidence_at10: bool
    highlight_hit: bool  # the first relevant passage's highlight shows the evidence
    answered: bool
    confidence: float
    took_ms: float


@dataclass(frozen=True)
class Reply:
    passages: list[str]  # texts, best first
    highlights: list[str | None]  # each passage's highlighted sentence(s)
    answered: bool
    confidence: float  # what the service compared with its threshold to decide `answered`
    took_ms: float


Asker = Callable[[str], Reply]


def library_asker(engine, mode: str = "hybrid") -> Asker:
    def ask(question: str) -> Reply:
        answer = engine.ask(question, k=DEPTH, mode=mode)
        return Reply([p.text for p in answer.passages], [p.highlight for p in answer.passages],
                     answer.answered, answer.confidence, answer.took_ms)

    return ask


def http_asker(url: str) -> Asker:
    def ask(question: str) -> Reply:
        body = json.dumps({"question": question, "k": DEPTH}).encode()
        request = urllib.request.Request(url.rstrip("/") + "/ask", body, {"Content-Type": "application/json"})
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.load(response)
        took = (time.perf_counter() - start) * 1000
        passages = answer["passages"]
        return Reply([p["text"] for p in passages], [p.get("highlight") for p in passages],
                     answer["answered"], answer["confidence"], took)

    return ask


def run(questions: Sequence[Question], ask: Asker) -> list[ItemResult]:
    results = []
    for q in questions:
        reply = ask(q.question)
        score = score_item(reply.passages, q.evidence)
        rank = score.first_hit_rank if q.evidence else None
        results.append(ItemResult(
            q.id, q.type, q.language, q.split, bool(q.evidence), rank, score.ndcg10, score.all_evidence_at10,
            rank is not None and highlight_shows(reply.highlights[rank - 1], q.evidence),
            reply.answered, reply.confidence, reply.took_ms,
        ))
    return results


def retrieval_metrics(results: Sequence[ItemResult]) -> dict[str, float]:
    answerable = [r for r in results if r.answerable]
    n = len(answerable) or 1
    metrics = {f"hit@{k}": sum(r.first_hit_rank is not None and r.first_hit_rank <= k for r in answerable) / n
               for k in HIT_KS}
    metrics["mrr@10"] = sum(1 / r.first_hit_rank for r in answerable if r.first_hit_rank) / n
    metrics["ndcg@10"] = sum(r.ndcg10 for r in answerable) / n
    found = [r for r in answerable if r.first_hit_rank]
    metrics["highlight"] = sum(r.highlight_hit for r in found) / (len(found) or 1)
    metrics["n"] = len(answerable)
    return metrics


def summarise(results: Sequence[ItemResult]) -> dict:
    abstained = [r for r in results if not r.answered]
    unanswerable = [r for r in results if not r.answerable]
    correct = [r for r in abstained if not r.answerable]
    by_type, by_language = defaultdict(list), defaultdict(list)
    for r in results:
        if r.answerable:
            by_type[r.type].append(r)
        by_language[r.language].append(r)
    two = [r for r in results if r.type == "needs_two_passages"]
    took = [r.took_ms for r in results]
    return {
        "overall": retrieval_metrics(results),
        "by_type": {t: retrieval_metrics(rs) for t, rs in sorted(by_type.items())},
        "by_language": {lang: retrieval_metrics(rs) for lang, rs in sorted(by_language.items())},
        "needs_two_passages_all_at10": sum(r.all_evidence_at10 for r in two) / (len(two) or 1),
        "abstention": {
            "precision": len(correct) / len(abstained) if abstained else 0.0,
            "recall": len(correct) / len(unanswerable) if unanswerable else 0.0,
            "abstained": len(abstained),
            "unanswerable": len(unanswerable),
            "wrongly_abstained": len(abstained) - len(correct),
            "auroc": auroc([r.confidence for r in results if r.answerable],
                           [r.confidence for r in unanswerable]),
        },
        "latency_ms": {"p50": percentile(took, 50), "p95": percentile(took, 95)},
    }


def split_groups(sets: dict[Path, Sequence[Question]]) -> dict[str, set[str]]:
    """Question ids of each half, and of each half per file where a half spans several.

    Tune and test are never mixed; the new test-only set is also shown on its
    own, because questions written apart from the first set are the nearest
    thing to questions nobody here has seen.
    """
    groups: dict[str, set[str]] = {}
    for split in SPLITS:
        per_file = {path.name: {q.id for q in qs if q.split == split} for path, qs in sets.items()}
        per_file = {name: ids for name, ids in per_file.items() if ids}
        if not per_file:
            continue
        groups[split] = set().union(*per_file.values())
        if len(per_file) > 1:
            groups.update({f"{split}: {name}": ids for name, ids in per_file.items()})
    return groups


def summarise_groups(results: Sequence[ItemResult], groups: dict[str, set[str]]) -> dict[str, dict]:
    """One summary per group that has results (a --split run leaves the other half empty)."""
    chosen = {name: [r for r in results if r.id in ids] for name, ids in groups.items()}
    return {name: summarise(rs) for name, rs in chosen.items() if rs}


METRIC_COLUMNS = ("hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "ndcg@10", "highlight")


def format_table(rows: dict[str, dict[str, float]], label: str) -> str:
    header = f"{label:<28}" + "".join(f"{c:>10}" for c in METRIC_COLUMNS) + f"{'n':>6}"
    lines = [header, "-" * len(header)]
    for name, m in rows.items():
        lines.append(f"{name:<28}" + "".join(f"{m[c]:>10.3f}" for c in METRIC_COLUMNS) + f"{m['n']:>6}")
    return "\n".join(lines)


def format_summary(summary: dict) -> str:
    a, lat = summary["abstention"], summary["latency_ms"]
    return "\n\n".join([
        format_table({"alla": summary["overall"]}, "frågor"),
        format_table(summary["by_type"], "typ"),
        format_table(summary["by_language"], "språk"),
        f"två avsnitt, båda i topp 10: {summary['needs_two_passages_all_at10']:.3f}",
        f"avstår: precision {a['precision']:.3f}, recall {a['recall']:.3f}, AUROC {a['auroc']:.3f} "
        f"({a['abstained']} avstod, {a['unanswerable']} obesvarbara, {a['wrongly_abstained']} felaktigt)",
        f"svarstid: p50 {lat['p50']:.1f} ms, p95 {lat['p95']:.1f} ms",
    ])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa eval", description="Utvärdera sökningen på frågesamlingen.")
    parser.add_argument("--questions", type=Path, action="append",
                        help="frågesamling (JSON lines); kan anges flera gånger, annars alla i eval/")
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="källtext för --check")
    parser.add_argument("--check", action="store_true", help="kontrollera bara frågesamlingen")
    parser.add_argument("--url", help="kör mot en körande tjänst, t.ex. http://127.0.0.1:8000")
    parser.add_argument("--compare", action="store_true", help="jämför sökläge sida vid sida")
    parser.add_argument("--mode", choices=MODES, default="hybrid")
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="all",
                        help="vilken halva som körs (all: båda, redovisade var för sig)")
    parser.add_argument("--json", type=Path, help="skriv hela rapporten som JSON hit")
    return parser


def main(argv: Sequence[str], engine=None) -> int:
    args = build_parser().parse_args(list(argv))
    sets = {path: load_questions(path) for path in args.questions or DEFAULT_PATHS}
    questions = [q for qs in sets.values() for q in qs]
    problems = check_questions(questions, args.source.read_text(encoding="utf-8"))
    if args.check or problems:
        for problem in problems:
            print(problem)
        tune = [q for q in questions if q.split == "tune"]
        for path, qs in sets.items():
            test = [q for q in qs if q.split == "test"]
            print(f"{path.name}: {len(qs)} frågor, ordöverlapp fråga–belägg {mean_evidence_overlap(qs):.3f}, "
                  f"{len(shares_tune_evidence(test, tune))} av {len(test)} test-frågor har samma belägg som en tune-fråga")
        print(f"{len(questions)} frågor, {len(problems)} problem.")
        return 1 if problems else 0

    if args.split != "all":
        questions = [q for q in questions if q.split == args.split]
    if args.url:
        runs = {"server": run(questions, http_asker(args.url))}
    else:
        modes = MODES if args.compare else (args.mode,)
        runs = {mode: run(questions, library_asker(engine, mode)) for mode in modes}
    summaries = {name: summarise(results) for name, results in runs.items()}
    groups = split_groups(sets)
    halves = {name: summarise_groups(results, groups) for name, results in runs.items()}

    rows = {}
    for name, by_split in halves.items():
        prefix = f"{name} / " if len(runs) > 1 else ""
        rows.update({f"{prefix}{split}": s["overall"] for split, s in by_split.items()})
    print(format_table(rows, "konfiguration / halva" if len(runs) > 1 else "halva"))
    for name, by_split in halves.items():
        for split, s in by_split.items():
            print(f"\n== {name}, {split} ==" if len(runs) > 1 else f"\n== {split} ==")
            print(format_summary(s))
    if any(q.split == SPLITS[0] for q in questions) and fitted_adapter() is not None:
        # The adapter was fitted on the tune questions, so it has seen their evidence (README, "A query adapter").
        print("\nOBS: frågeanpassningen (qa/query_adapter.py) är passad på tune-frågorna; där den är påslagen "
              "är tune-siffrorna ovan för goda. Tune utanför anpassningen: python -m eval.fit_query_adapter")
    if args.json:
        # "summary" is the whole run, as before (scripts read it); "splits" keeps the halves apart.
        report = {name: {"summary": s, "splits": halves[name], "items": [asdict(r) for r in runs[name]]}
                  for name, s in summaries.items()}
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    from qa.engine import Engine
    from qa.settings import get_settings

    sys.exit(main(sys.argv[1:], Engine(get_settings())))
