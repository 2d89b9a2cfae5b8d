"""Text analysis for Swedish lexical search.

Swedish glues words together ("småhusbyggande", "kompetensförsörjning"), so a
plain stemmed-word index misses a question that names only a part of a
compound, or names the compound when the report spells out its parts. The
`Analyzer` therefore adds extra tokens for compound words, by one of:

- "none":   stemmed words only; the baseline.
- "ngrams": character n-grams of each stem, prefixed with "#" so that they
            never collide with a word; parts of compounds then share grams.
- "split":  dictionary decompounding: a stem is split into parts that are
            themselves words of the indexed texts (Koehn & Knight 2003), the
            Swedish linking letters "s"/"e" allowed between parts.

The same analyser must be used for the texts and for the queries, which is why
the vocabulary that "split" learns from the texts is kept on the instance and
saved with the index.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_SWEDISH

COMPOUND_METHODS = ("none", "ngrams", "split")

# The Snowball/NLTK Swedish stop list (snowballstem.org/algorithms/swedish/stop.txt),
# as shipped by bm25s, minus the negations: "inte"/"utan" flip what a question asks.
NEGATIONS = frozenset({"inte", "icke", "ej", "ingen", "utan"})
STOPWORDS = frozenset(STOPWORDS_SWEDISH) - NEGATIONS

# "280 000" and "1 250 000" are one number in Swedish typography (space, no-break
# space or narrow no-break space between groups of three digits).
_NUMBER_GROUPS = re.compile(r"(?<![\d,.])(\d{1,3})((?:[ \u00a0\u202f]\d{3})+)(?![\d,])")
# A number (decimal comma or point kept) or a run of letters/digits ("e4", "co2").
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+")

NGRAM_SIZE = 4
NGRAM_PREFIX = "#"
# Parts shorter than this are mostly noise ("in", "ut"); "hus", "små", "vård" are not.
MIN_PART = 3
LINKING_LETTERS = ("s", "e")
VOWELS = frozenset("aeiouyåäö")
# Affixes that also stand alone in the texts (PDF hyphenation leaves "ning" behind,
# "inte" stems to "int"): a split at them says nothing about what a word is about.
AFFIXES = frozenset(
    {"ande", "and", "are", "ell", "else", "ende", "het", "ing", "int", "inter", "isk", "ism",
     "ist", "itet", "lig", "ning", "sam", "skap", "tion"}
)


def words(text: str) -> list[str]:
    """Lowercased words and numbers of `text`, stop words dropped."""
    text = _NUMBER_GROUPS.sub(lambda m: m.group(1) + re.sub(r"\D", "", m.group(2)), text.lower())
    return [w for w in _TOKEN.findall(text) if w not in STOPWORDS]


class Analyzer:
    """Turns text into index tokens; holds what "split" learned from the texts."""

    def __init__(
        self,
        compounds: str,
        vocabulary: Mapping[str, int] | None = None,
        ngram_size: int = NGRAM_SIZE,
        stems: Iterable[str] = (),
    ):
        if compounds not in COMPOUND_METHODS:
            raise ValueError(f"compounds must be one of {COMPOUND_METHODS}, not {compounds!r}")
        self.compounds = compounds
        self.vocabulary: dict[str, int] = dict(vocabulary or {})
        self.ngram_size = ngram_size
        # The stems of every word of the texts: which of a question's words the report uses at all.
        self.stems: frozenset[str] = frozenset(stems)
        self._stemmer = Stemmer.Stemmer("swedish")
        self._split = lru_cache(maxsize=100_000)(self._best_split)

    @classmethod
    def fit(cls, texts: Iterable[str], compounds: str, ngram_size: int = NGRAM_SIZE) -> Analyzer:
        """Learn the stems the texts use (`word_share`) and the words that compounds may be split into.

        Both surface words and their stems count as words: a modifier keeps its
        surface form ("kompetens" in "kompetensförsörjning") while a stem-like
        part lacks its ending ("skol" in "skolgård", from "skola").
        """
        texts = list(texts)
        counts: Counter[str] = Counter()
        if compounds == "split":
            stemmer = Stemmer.Stemmer("swedish")
            for text in texts:
                alpha = [w for w in words(text) if w.isalpha() and len(w) >= MIN_PART]
                counts.update(alpha)
                counts.update(s for s, w in zip(stemmer.stemWords(alpha), alpha) if s != w)
        for word in STOPWORDS | AFFIXES:
            counts.pop(word, None)
        analyzer = cls(compounds, counts, ngram_size)
        analyzer.stems = frozenset(stem for text in texts for stem in analyzer.word_stems(text))
        return analyzer

    def word_stems(self, text: str) -> list[str]:
        """The stem of each word of `text` (a number as it is), stop words dropped."""
        return [self._stem(word) for word in words(text)]

    def _stem(self, word: str) -> str:
        return self._stemmer.stemWord(word) if word.isalpha() else word

    def word_share(self, text: str) -> float:
        """The share of `text`'s distinct words that the fitted texts use; 1.0 for no words. A question
        asked in the report's words is one that BM25 can help with; one paraphrased away from them
        only draws noise from it (qa/scoring.py's `hybrid`)."""
        asked = set(self.word_stems(text))
        if not asked:
            return 1.0
        return len(asked & self.stems) / len(asked)

    def analyze(self, text: str) -> list[str]:
        """Index tokens for `text`: stems, then the compound tokens of each stem."""
        tokens = []
        for word in words(text):
            stem = self._stem(word)
            tokens.append(stem)
            if self.compounds == "ngrams":
                tokens.extend(ngrams(stem, self.ngram_size))
            elif self.compounds == "split" and word.isalpha():
                tokens.extend(self.parts(stem))
        return tokens

    def parts(self, stem: str) -> list[str]:
        """The parts of a compound stem, nested ones included, without the stem.

        Nested parts matter: "kompetensförsörjningsarbet" may split best as
        "kompetensförsörjning" + "arbet", yet a question about "försörjning"
        should still match it. Parts are given both as found and stemmed
        because Snowball is not idempotent ("kompetens" -> "kompet", but
        "kompetensen" -> "kompetens").
        """
        found = dict.fromkeys(self._nested_parts(stem))
        found.pop(stem, None)
        return list(found)

    def _nested_parts(self, word: str) -> Iterator[str]:
        for part in self._split(word) or ():
            yield part
            yield self._stemmer.stemWord(part)
            yield from self._nested_parts(part)

    def _best_split(self, word: str) -> tuple[str, ...] | None:
        """The split of `word` into two or more known words with the highest
        geometric mean frequency, or None; frequent parts are the likely ones."""
        best, best_score = None, 0.0
        for head, rest in self._cuts(word):
            for tail in self._splits_or_self(rest):
                candidate = (head, *tail)
                score = _geometric_mean(self.vocabulary[p] for p in candidate)
                if score > best_score:
                    best, best_score = candidate, score
        return best

    def _cuts(self, word: str) -> Iterator[tuple[str, str]]:
        """(known first part, rest) for each place `word` may be cut."""
        for i in range(MIN_PART, len(word) - MIN_PART + 1):
            head, rest = word[:i], word[i:]
            modifier = self._known_modifier(head)
            if modifier is not None:
                yield modifier, rest
            # "natt" + "tåg" is spelt "nattåg": a triple consonant loses a letter.
            if head in self.vocabulary and head[-1] == head[-2] and head[-1] not in VOWELS:
                yield head, head[-1] + rest

    def _known_modifier(self, head: str) -> str | None:
        if head in self.vocabulary:
            return head
        if head.endswith(LINKING_LETTERS) and len(head) > MIN_PART and head[:-1] in self.vocabulary:
            return head[:-1]
        return None

    def _splits_or_self(self, tail: str) -> list[tuple[str, ...]]:
        options = [(tail,)] if tail in self.vocabulary else []
        split = self._split(tail)
        return options + [split] if split else options

    def to_json(self) -> dict:
        """Everything needed to analyse queries exactly as the texts were."""
        return {"compounds": self.compounds, "ngram_size": self.ngram_size, "vocabulary": self.vocabulary,
                "stems": sorted(self.stems)}

    @classmethod
    def from_json(cls, data: Mapping) -> Analyzer:
        return cls(data["compounds"], data["vocabulary"], data["ngram_size"], data["stems"])


def ngrams(stem: str, n: int = NGRAM_SIZE) -> list[str]:
    """Prefixed character n-grams of a stem; none for numbers or short stems."""
    if not stem.isalpha() or len(stem) < n:
        return []
    return [NGRAM_PREFIX + stem[i : i + n] for i in range(len(stem) - n + 1)]


def _geometric_mean(counts: Iterable[int]) -> float:
    logs = [math.log(c) for c in counts]
    return math.exp(sum(logs) / len(logs))
