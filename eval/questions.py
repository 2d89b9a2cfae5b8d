"""The evaluation question set for *Resultat Västerbotten 2024* and its sanity checks.

Retrieval quality is measured by asking these questions and looking for the
evidence strings in the passages that come back. That measurement is only as
good as the set itself: one evidence string that is not in the report (or was
mistyped) silently turns a question into a guaranteed miss. `check_questions`
exists so that such mistakes fail a test instead of skewing a score.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import Stemmer
from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_SWEDISH

from eval.metrics import contains_evidence

DEFAULT_PATH = Path(__file__).resolve().parent / "questions.jsonl"
# Questions written after the first set, before looking at what the system
# returns, in residents' and journalists' words; all of them are "test".
NEW_PATH = Path(__file__).resolve().parent / "questions_new.jsonl"
# Tune-only questions written to fit abstention on (issue 10): the first set's
# tune half holds only 9 unanswerable questions. a001-a059 were written before
# running the system on them, the unanswerable ones next to a related fact the
# report does give; a060-a066 are off-topic ones added when the first fit let
# an off-topic question through (README, "Abstention").
TUNE_ABSTAIN_PATH = Path(__file__).resolve().parent / "questions_tune_abstain.jsonl"
# Structure and contact questions written only to tune on (issue 10): the first set's tune
# half holds 4 and 5 of them, too few to design or choose a weight on. Written the same way.
TUNE_PATH = Path(__file__).resolve().parent / "questions_tune.jsonl"
# A second test-only set of structure, contact and unanswerable questions (issue 10), written
# the same way, before running the system on it: the first test half's structure questions
# were partly spent when a design step was prompted by their aggregate (README, "Quality").
TEST2_PATH = Path(__file__).resolve().parent / "questions_test2.jsonl"
# A second tune-only set of contact, structure and unanswerable questions, written on 2026-12-06
# from the report text only, before the system was run on them, to design and tune contact routing
# by topic (lesser topics a listed person answers for) and structure questions asked by paraphrase.
TUNE2_PATH = Path(__file__).resolve().parent / "questions_tune2.jsonl"
# A third tune-only set, written on 2026-12-07 from the report text only and committed before the
# system was run on it: 70 ordinary content questions over every chapter (mostly on passages no
# earlier question used), 6 structure and contact questions and 14 unanswerable ones, in residents'
# and journalists' words, because tune's resident-style questions were mostly structure and contact.
TUNE3_PATH = Path(__file__).resolve().parent / "questions_tune3.jsonl"
# A fourth tune-only set, written on 2026-12-07 from the report text and its table of contents and
# committed before the system was run on it: structure questions only, because tune's structure
# questions had reached hit@5 0.93 while test's stood at 0.82. Every TOC section type in every
# chapter is asked for by what it covers, chapter starts in other words, and how the report was made
# and is laid out.
TUNE4_PATH = Path(__file__).resolve().parent / "questions_tune4.jsonl"
# A fifth tune-only set, written on 2026-12-07 from the report text and committed before the system was
# run on it: 30 unanswerable questions, each next to a figure the report gives (another municipality,
# year or group), and 16 answerable quantity questions in residents' words, written to give the
# abstention model more to fit; they did not help it, so it is held out from that fit and says how the
# model does on tune questions it has never seen (eval/calibrate_abstain.py, HELD_OUT).
TUNE5_PATH = Path(__file__).resolve().parent / "questions_tune5.jsonl"
# A third test-only set, written on 2026-12-07 from report passages no earlier question used and
# committed before the system was run on it, because two abstention steps of that day came after a
# test run (README, "The asked quantity", "Held out"): 21 answerable questions in residents' words and
# 21 unanswerable ones next to a figure the report gives.
TEST3_PATH = Path(__file__).resolve().parent / "questions_test3.jsonl"
# A sixth and seventh tune-only set, written on 2026-12-07 by two helpers who saw only the report text
# (no earlier question, no code, no answer of the system); each set was run once, unchanged, before it was
# committed. Why: earlier tune sets were written by the people who built the ranking, and tune4's structure questions did not
# reproduce test's structure gap. The sixth holds 36 structure, 16 contact and 8 paraphrase questions, the
# seventh 39 answerable questions over every chapter and 29 unanswerable ones (one question of each kind was
# dropped when the check found it repeated a question of the fifth tune set or of the test half word for
# word, and the rest renumbered).
TUNE6_PATH = Path(__file__).resolve().parent / "questions_tune6.jsonl"
TUNE7_PATH = Path(__file__).resolve().parent / "questions_tune7.jsonl"
# An eighth tune-only set, written the same way by a third helper: 44 structure questions in many askers' words
# (which section treats a topic of the body, where a section type starts in a chapter, which pages a chapter
# spans, the report as a whole), because the sixth set's structure questions showed kinds no earlier tune set
# had. One question that repeated a test question word for word was dropped.
TUNE8_PATH = Path(__file__).resolve().parent / "questions_tune8.jsonl"
# A ninth tune-only set, written the same way by a fourth helper: 40 questions the report does not answer, of
# the kinds people type into a public question box without knowing what the report covers (trivia, personal
# advice, politics and services it leaves out, other counties and years), because the abstention model answered
# "Vad är huvudstaden i Frankrike?" (0.51) and tune held 15 such questions against 116 next to a figure.
TUNE9_PATH = Path(__file__).resolve().parent / "questions_tune9.jsonl"
# A tenth tune-only set, written the same way by a fifth helper on 2026-12-07: 45 structure questions by 45
# imagined askers (terse keywords, dictated lowercase, context first, 12 in English), because test's structure
# questions stood at 0.855 against tune's 0.927 and each new helper-written set had shown kinds tune lacked.
# Its one evidence string under 40 characters (the TOC's last line) was joined to the line above before the run.
TUNE10_PATH = Path(__file__).resolve().parent / "questions_tune10.jsonl"
# An eleventh tune-only set, written the same way by a sixth helper: 37 answerable questions of six types deep in
# every chapter's body and 24 unanswerable ones (20 next to something the report says), in residents' words,
# because tune's questions in outsiders' words were mostly structure, contact and abstention ones. Its mean
# question-evidence word overlap was 0.23, over MAX_MEAN_OVERLAP: the three answerable questions that shared most
# words with their evidence (0.8, 0.67, 0.6) were dropped and the rest renumbered before the set was first run.
TUNE11_PATH = Path(__file__).resolve().parent / "questions_tune11.jsonl"
# A fourth test-only set, written the same way by a seventh helper on 2026-12-07 and committed before the system
# was run on it, because the abstention threshold's margin (2 % of tune's answerable questions, not 3 %) was
# chosen after a test run (README, "An eleventh tune set, and where the threshold sits"): 26 answerable content
# questions, 10 structure questions and 23 unanswerable ones (19 or more next to something the report says).
# The helper numbered them y043 on; they were renumbered f001 on, their text unchanged, after one unanswerable
# question that repeated a question of the second test set word for word was dropped.
TEST4_PATH = Path(__file__).resolve().parent / "questions_test4.jsonl"
# A twelfth tune-only set, written the same way by an eighth helper on 2026-12-07, for the question prior too:
# residents' questions, 36 answerable content questions over every chapter and 33 unanswerable ones (16 next to
# something the report says, 10 practical, 10 on the future, opinions or other regions, as written). Three
# unanswerable ones that repeated earlier questions word for word (two of the seventh tune set's, one of the
# fifth test set's) were dropped and the rest renumbered before its run.
TUNE12_PATH = Path(__file__).resolve().parent / "questions_tune12.jsonl"
# A thirteenth tune-only set, written the same way by a ninth helper on 2026-12-07, because the question prior
# (qa/question_prior.py) learns from examples and had 165 unanswerable ones: journalists', politicians' and civil
# servants' questions, 20 answerable content, 8 structure, 6 contact and 37 unanswerable ones. One unanswerable
# question that repeated one of the new set's word for word was dropped and the rest renumbered before its run.
TUNE13_PATH = Path(__file__).resolve().parent / "questions_tune13.jsonl"
# A fifth test-only set, written the same way by a tenth helper on 2026-12-07 and committed before the system was
# run on it, so that the question prior is measured on questions no choice has seen: 24 answerable content (23 kept), 12
# structure, 8 contact and 28 unanswerable questions. One content question that repeated one of the first set's
# word for word was dropped and the rest renumbered before its run.
TEST5_PATH = Path(__file__).resolve().parent / "questions_test5.jsonl"
# A fourteenth tune-only set, written the same way by an eleventh helper, for the question prior: residents all
# over the county, 32 answerable content questions and 40 unanswerable ones (20 next to something the report says,
# 10 practical, 10 on their own lives, opinions or places outside the county). One unanswerable question that
# repeated a second-test-set question word for word was dropped and the rest renumbered before its run.
TUNE14_PATH = Path(__file__).resolve().parent / "questions_tune14.jsonl"
# A fifteenth tune-only set, written the same way by a twelfth helper, for the question prior: half in English
# (international students, expats, foreign journalists), half in simple Swedish; 34 answerable content questions
# and 38 unanswerable ones. One question that repeated one of the fourteenth set's word for word was dropped and
# the rest renumbered before its run.
TUNE15_PATH = Path(__file__).resolve().parent / "questions_tune15.jsonl"
# A sixteenth tune-only set, written the same way by a thirteenth helper, because the thirteenth set's structure
# misses were all questions about the report itself: 24 such questions (who made it, why, which edition, how to
# read it), 22 on where something is, and 24 unanswerable ones about the report (a chapter it lacks, facts about
# it that it does not state). One question that repeated one of the new set's word for word was dropped and the
# rest renumbered before its run.
TUNE16_PATH = Path(__file__).resolve().parent / "questions_tune16.jsonl"
# Three more tune-only sets, written the same way by three more helpers, because each earlier round of new tune
# questions had sharpened the question prior on test: the seventeenth (local politicians and officials of the
# fifteen municipalities: 31 answerable content questions, 37 unanswerable), the eighteenth (facts of the report in
# pairs: an answerable question and an unanswerable twin on the same subject, 36 and 34) and the nineteenth (what
# the public types into the region's question box: 16 content, 6 structure, 6 contact, 43 unanswerable). Seven
# questions that repeated earlier ones word for word (two of them test questions) were dropped and the rest
# renumbered before their run.
TUNE17_PATH = Path(__file__).resolve().parent / "questions_tune17.jsonl"
TUNE18_PATH = Path(__file__).resolve().parent / "questions_tune18.jsonl"
TUNE19_PATH = Path(__file__).resolve().parent / "questions_tune19.jsonl"
# A sixth test-only set, written the same way by a seventeenth helper after the last choice of 2026-12-07 and
# committed before the system was run on it, so that the system as it stands is measured on questions no choice
# has seen: 22 answerable content, 12 structure, 8 contact and 30 unanswerable questions. One unanswerable question
# that repeated one of the fifteenth tune set's word for word was dropped and the rest renumbered before its run.
# All 26 letters were taken, so its ids run ta001 on.
TEST6_PATH = Path(__file__).resolve().parent / "questions_test6.jsonl"
# A seventh test-only set, written the same way by an eighteenth helper on 2026-12-07, before the strategy route
# (qa/report_route.py) was chosen and committed before the system was run on it: 20 answerable content, 22
# structure, 8 contact and 22 unanswerable questions. Three more unanswerable ones that repeated a tune question
# word for word were dropped and the rest renumbered before its run. Ids run ua001 on.
TEST7_PATH = Path(__file__).resolve().parent / "questions_test7.jsonl"
# A twentieth tune-only set, written by a nineteenth helper on 2026-12-07 to the same brief as the seventh test
# set (split "tune", more structure questions), committed before the system was run on it: the seventh test
# set's structure questions scored 12 of 22 on their first run, and tune must show what such a writer asks
# without a look at the test questions. 30 structure, 8 contact, 15 content, 20 unanswerable; two questions
# that repeated an earlier one word for word were dropped and the rest renumbered before its run. Ids tb001 on.
TUNE20_PATH = Path(__file__).resolve().parent / "questions_tune20.jsonl"
# Three more tune-only sets written by helpers on 2026-12-07 from the report text only, each committed before the
# system was run on it, to give the abstention model and its question prior more askers to learn from: journalists
# and researchers checking figures (tune21, ids tc), people asking mostly in English (tune22, td) and residents
# typing or dictating on a phone (tune23, te); about half of each unanswerable, most next to a figure the report
# gives. Questions repeating an earlier one word for word were dropped and the rest renumbered before their runs.
TUNE21_PATH = Path(__file__).resolve().parent / "questions_tune21.jsonl"
TUNE22_PATH = Path(__file__).resolve().parent / "questions_tune22.jsonl"
TUNE23_PATH = Path(__file__).resolve().parent / "questions_tune23.jsonl"
# An eighth test-only set, written by a twenty-third helper on 2026-12-07 after the refit on tune sets 21-23 and
# committed before the system was run on it: 25 answerable content, 15 structure, 8 contact and 19 unanswerable
# questions from a broad mix of askers. Eight questions that repeated an earlier one word for word were dropped
# and the rest renumbered before its run. Ids ub001 on.
TEST8_PATH = Path(__file__).resolve().parent / "questions_test8.jsonl"
# A ninth test-only set, written by a twenty-fourth helper on 2026-12-07 after the eighth set's run, while two more
# abstention signals were tried on tune and not kept, and committed before the system was run on it: 24 answerable
# content, 15 structure, 8 contact and 25 unanswerable questions from a broad mix of askers. Three that repeated
# an earlier one word for word were dropped and the rest renumbered before its run. Ids uc001 on.
TEST9_PATH = Path(__file__).resolve().parent / "questions_test9.jsonl"
# A tenth test-only set, written by a twenty-fifth helper on 2026-12-07 while the quantity lift was chosen on tune
# (its brief asked for several questions on amounts, shares and counts), committed before the system was run on
# it. Questions that repeated an earlier one word for word were dropped and the rest renumbered. Ids ud001 on.
TEST10_PATH = Path(__file__).resolve().parent / "questions_test10.jsonl"
# An eleventh test-only set, written by a twenty-sixth helper on 2026-12-07 at the start of a round on the
# structure gap, and committed before the system was run on it: 25 answerable content, 15 structure, 8 contact
# and 16 unanswerable questions from a broad mix of askers (six that repeated an earlier one word for word were
# dropped and the rest renumbered). Ids ue001 on.
TEST11_PATH = Path(__file__).resolve().parent / "questions_test11.jsonl"
# A twenty-fourth tune-only set, written by a twenty-seventh helper at the same time and committed before the
# system was run on it: mostly structure questions (about the report itself, where a topic is, which page),
# with contact and unanswerable ones, because test's structure stood at 0.81 against tune's 0.90 (two repeating an
# earlier question word for word dropped, one of them the eleventh test set's). Ids tf001 on.
TUNE24_PATH = Path(__file__).resolve().parent / "questions_tune24.jsonl"
# A twelfth test-only set, written by a twenty-eighth helper after the query adapter was fitted and its test
# figures read, and committed before the system was run on it: fresh test questions of every kind, to see the
# adapter on askers it has never met (seven repeating an earlier question word for word dropped, four of them
# tune questions the adapter was fitted on). Ids uf001 on, renumbered after the drop.
TEST12_PATH = Path(__file__).resolve().parent / "questions_test12.jsonl"
DEFAULT_PATHS: tuple[Path, ...] = (
    DEFAULT_PATH, NEW_PATH, TUNE_PATH, TUNE_ABSTAIN_PATH, TEST2_PATH, TUNE2_PATH, TUNE3_PATH, TUNE4_PATH,
    TUNE5_PATH, TEST3_PATH, TUNE6_PATH, TUNE7_PATH, TUNE8_PATH, TUNE9_PATH,
    TUNE10_PATH, TUNE11_PATH, TEST4_PATH, TUNE12_PATH, TUNE13_PATH, TEST5_PATH,
    TUNE14_PATH, TUNE15_PATH, TUNE16_PATH, TUNE17_PATH, TUNE18_PATH, TUNE19_PATH, TEST6_PATH,
    TEST7_PATH, TUNE20_PATH, TUNE21_PATH, TUNE22_PATH, TUNE23_PATH,
    TEST8_PATH, TEST9_PATH, TEST10_PATH, TEST11_PATH, TUNE24_PATH, TEST12_PATH,
)

TYPES: frozenset[str] = frozenset(
    {
        "number",
        "named_entity",
        "definition",
        "list",
        "why_how",
        "hard_paraphrase",
        "needs_two_passages",
        "structure",
        "contact_person",
        "unanswerable",
    }
)
LANGUAGES: frozenset[str] = frozenset({"sv", "en"})
# Weights and thresholds are chosen on "tune"; quality is reported on "test" (eval/split.py).
SPLITS: tuple[str, str] = ("tune", "test")

# Long enough to be unlikely to match by accident, short enough to fit inside
# one retrieved passage.
EVIDENCE_MIN_CHARS = 40
EVIDENCE_MAX_CHARS = 200

_WHITESPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+")

# A question that copies its evidence measures string matching, not retrieval:
# five words in a row taken from the evidence are refused outright, and the
# share of a question's content words found in its evidence is reported
# (`qa eval --check`); over the new set it must stay at or below
# MAX_MEAN_OVERLAP (issue 10).
COPIED_RUN_WORDS = 5
MAX_MEAN_OVERLAP = 0.20
# Stop words of both languages plus the English function words the short bm25s
# list lacks: what is left are the words that say what a question is about.
_FUNCTION_WORDS = frozenset(STOPWORDS_SWEDISH) | frozenset(STOPWORDS_EN) | frozenset(
    "what which who whom whose where when why how many much does do did has have had were been being "
    "can could would should its from about any some".split()
)
_STEMMER = Stemmer.Stemmer("swedish")


@dataclass(frozen=True)
class Question:
    """One evaluation item.

    `evidence` holds verbatim strings from the report; a retrieved passage
    that contains any one of them counts as a hit (for `needs_two_passages`
    the scorer also asks whether all of them came back). Unanswerable items
    carry no evidence, an empty answer and no chapter or section.
    """

    id: str
    question: str
    language: str
    evidence: tuple[str, ...]
    answer: str
    chapter: str | None
    section: str | None
    type: str
    split: str


def load_questions(path: Path = DEFAULT_PATH) -> list[Question]:
    """Read the JSON-lines set.

    Absent keys load as empty values rather than raising, so that
    `check_questions` can report every incomplete item at once instead of
    stopping at the first; malformed JSON still raises, naming the line.
    """
    questions: list[Question] = []
    with Path(path).open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: not valid JSON: {exc}") from exc
            if not isinstance(raw, dict):
                raise ValueError(f"{path}:{lineno}: expected a JSON object")
            evidence = raw.get("evidence") or []
            questions.append(
                Question(
                    id=str(raw.get("id") or ""),
                    question=str(raw.get("question") or ""),
                    language=str(raw.get("language") or ""),
                    evidence=tuple(str(e) for e in evidence),
                    answer=str(raw.get("answer") or ""),
                    chapter=raw.get("chapter"),
                    section=raw.get("section"),
                    type=str(raw.get("type") or ""),
                    split=str(raw.get("split") or ""),
                )
            )
    return questions


def normalise_whitespace(text: str) -> str:
    """Collapse whitespace runs to one space.

    Line breaks and page-break blank lines in the extracted report must not
    decide whether an evidence string counts as present; nothing else (case,
    hyphens, quotes) is forgiven, because the scorer will not forgive it either.
    """
    return _WHITESPACE.sub(" ", text).strip()


def content_words(text: str) -> set[str]:
    """Stems of the words that carry meaning: "kommunerna" and "kommuner" are one word here."""
    return set(_STEMMER.stemWords([w for w in _WORD.findall(text.lower()) if w not in _FUNCTION_WORDS]))


def evidence_overlap(question: Question) -> float | None:
    """Share of the question's content words that occur in its evidence; None without evidence."""
    asked = content_words(question.question)
    if not question.evidence or not asked:
        return None
    given = set().union(*(content_words(e) for e in question.evidence))
    return len(asked & given) / len(asked)


def mean_evidence_overlap(questions: Sequence[Question]) -> float:
    """Mean of `evidence_overlap` over the questions that have evidence."""
    overlaps = [o for o in map(evidence_overlap, questions) if o is not None]
    return sum(overlaps) / len(overlaps) if overlaps else 0.0


def copied_run(question: str, evidence: str, n: int = COPIED_RUN_WORDS) -> str | None:
    """The first run of `n` words (any words, case ignored) the question shares with the evidence."""
    def runs(text: str) -> list[tuple[str, ...]]:
        words = _WORD.findall(text.lower())
        return [tuple(words[i:i + n]) for i in range(len(words) - n + 1)]

    found = set(runs(evidence))
    return next((" ".join(run) for run in runs(question) if run in found), None)


def shares_tune_evidence(questions: Sequence[Question], tune: Sequence[Question]) -> list[str]:
    """Ids of `questions` whose evidence is also a tune question's evidence.

    Weights tuned to find that passage for the tune question help these test
    questions too, so their share says how far "test" is from unseen.
    Evidence counts as shared when the scorer would credit one for the other.
    """
    tuned = [e for q in tune for e in q.evidence]
    return [q.id for q in questions
            if any(contains_evidence(e, t) or contains_evidence(t, e) for e in q.evidence for t in tuned)]


def _question_key(text: str) -> str:
    """What two questions are compared on: case and punctuation do not make a new question."""
    kept = "".join(ch for ch in text.lower() if not unicodedata.category(ch).startswith("P"))
    return normalise_whitespace(kept)


def check_questions(questions: list[Question], source_text: str) -> list[str]:
    """Return human-readable problems; an empty list means the set is usable.

    Every problem names the item's id (or its position when the id is
    missing) so a failing test points straight at the line to fix.
    """
    problems: list[str] = []
    source = normalise_whitespace(source_text)
    seen_ids: dict[str, int] = {}
    seen_questions: dict[str, str] = {}

    for position, q in enumerate(questions, start=1):
        label = q.id or f"item #{position}"

        for name in ("id", "question", "language", "type", "split"):
            if not getattr(q, name):
                problems.append(f"{label}: missing field '{name}'")

        if q.id:
            if q.id in seen_ids:
                problems.append(f"{label}: duplicate id (also item #{seen_ids[q.id]})")
            else:
                seen_ids[q.id] = position

        if q.question:
            key = _question_key(q.question)
            if key in seen_questions:
                problems.append(f"{label}: duplicate question (same as {seen_questions[key]})")
            else:
                seen_questions[key] = label

        if q.language and q.language not in LANGUAGES:
            problems.append(f"{label}: unknown language '{q.language}'")
        if q.type and q.type not in TYPES:
            problems.append(f"{label}: unknown type '{q.type}'")
        if q.split and q.split not in SPLITS:
            problems.append(f"{label}: unknown split '{q.split}'")

        if q.type == "unanswerable":
            if q.evidence:
                problems.append(f"{label}: unanswerable item has evidence")
            if q.answer:
                problems.append(f"{label}: unanswerable item has an answer")
            if q.chapter is not None or q.section is not None:
                problems.append(f"{label}: unanswerable item has a chapter or section")
        elif q.type:
            if not q.evidence:
                problems.append(f"{label}: answerable item without evidence")
            if not q.answer:
                problems.append(f"{label}: missing field 'answer'")
            if not q.chapter:
                problems.append(f"{label}: missing field 'chapter'")
            if not q.section:
                problems.append(f"{label}: missing field 'section'")
            if q.type == "needs_two_passages" and len(q.evidence) < 2:
                problems.append(f"{label}: needs_two_passages item with fewer than two evidence strings")

        for evidence in q.evidence:
            shown = evidence if len(evidence) <= 60 else evidence[:57] + "..."
            copied = copied_run(q.question, evidence)
            if copied:
                problems.append(f"{label}: question copies {COPIED_RUN_WORDS} words of its evidence: {copied!r}")
            if not EVIDENCE_MIN_CHARS <= len(evidence) <= EVIDENCE_MAX_CHARS:
                problems.append(
                    f"{label}: evidence is {len(evidence)} characters, outside "
                    f"{EVIDENCE_MIN_CHARS}-{EVIDENCE_MAX_CHARS}: {shown!r}"
                )
            if normalise_whitespace(evidence) not in source:
                problems.append(f"{label}: evidence not found in source: {shown!r}")

    return problems
