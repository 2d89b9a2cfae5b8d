"""The fixed tune/test split of the question set.

Every weight and threshold of the service is chosen by looking at scores;
scores on the questions used for that choice flatter it. So each question
carries a `split`: weights and thresholds are chosen on "tune" only, and the
figures that claim quality are read on "test". The split is stratified by
(type, language) — "unanswerable" is a type, so answerable and unanswerable
questions are balanced too — and is drawn from a fixed seed, so rerunning
`python -m eval.split` reproduces it exactly and `tests/test_eval_questions.py`
can check that the stored field was made by this code.

Questions written later only to test (eval/questions_new.jsonl) are all "test"
and are not drawn here.

    python -m eval.split            rewrite eval/questions.jsonl with the split field
    python -m eval.split --check    only say whether the stored split is the drawn one
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from eval.questions import DEFAULT_PATH, SPLITS, Question, load_questions

TUNE, TEST = SPLITS
SEED = 2024


def stratum(question: Question) -> tuple[str, str]:
    """What the halves are balanced on."""
    return question.type, question.language


def assign_splits(questions: Sequence[Question], seed: int = SEED) -> dict[str, str]:
    """Map each question id to "tune" or "test".

    Each stratum is shuffled (from ids sorted, so file order does not matter)
    and cut in half; the odd question left over in a stratum goes to tune and
    test in turn, so that the two halves stay the same size overall.
    """
    rng = random.Random(seed)
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for q in questions:
        groups[stratum(q)].append(q.id)
    split: dict[str, str] = {}
    odd_to_tune = True
    for key in sorted(groups):
        ids = sorted(groups[key])
        rng.shuffle(ids)
        half = len(ids) // 2
        if len(ids) % 2:
            half += odd_to_tune
            odd_to_tune = not odd_to_tune
        split.update({qid: TUNE if i < half else TEST for i, qid in enumerate(ids)})
    return split


def write_splits(path: Path, split: dict[str, str]) -> None:
    """Set each line's "split" field, keeping every other field and the line order."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            raw["split"] = split[raw["id"]]
            line = json.dumps(raw, ensure_ascii=False)
        lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.split", description="Dela frågorna i tune och test.")
    parser.add_argument("--questions", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--check", action="store_true", help="ändra inget, säg bara om delningen stämmer")
    args = parser.parse_args(argv)
    questions = load_questions(args.questions)
    split = assign_splits(questions)
    differ = [q.id for q in questions if q.split != split[q.id]]
    if args.check:
        print(f"{len(differ)} frågor har en annan delning än den dragna: {', '.join(differ)}" if differ
              else "Delningen stämmer.")
        return 1 if differ else 0
    write_splits(args.questions, split)
    counts = Counter(split.values())
    print(f"{args.questions}: {counts[TUNE]} tune, {counts[TEST]} test.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
