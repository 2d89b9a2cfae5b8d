"""Swedish word handling measured against the character 4-grams the index uses.

Two candidates the issue asked for, built here only for `eval.sweep_lexical`:

- "hunspell": dictionary decompounding. Compounds are split (as by the
  "split" method of index/swedish.py) into parts that are words of the
  Swedish Hunspell dictionary (PyPI `hunspell-sv`, read with `spylls`'
  readers), ranked by how often each part occurs in the report; the splits
  are cached over the report's vocabulary.
- "lemma": `simplemma` lemmas instead of Snowball stems ("byggdes" → "bygga").

They live in eval/ because they lost (README, "Swedish words"): the product
keeps the 4-grams.
"""
from __future__ import annotations

import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import simplemma
import Stemmer
from spylls.hunspell.readers import FileReader, read_aff, read_dic

from index.swedish import Analyzer, ngrams, words

DICTIONARY = Path(sys.prefix) / "share" / "hunspell" / "sv_SE"
# The dictionary holds every short word ("tur", "ism", "pet"), so parts of
# three letters split nearly anything ("turism" → "tur" + "ism"); four is the
# shortest part that kept real splits on the report's vocabulary.
DICTIONARY_MIN_PART = 4


@cache
def dictionary_stems() -> frozenset[str]:
    """Snowball stems of every word of the Swedish Hunspell dictionary."""
    aff, context = read_aff(FileReader(f"{DICTIONARY}.aff"))
    dic = read_dic(FileReader(f"{DICTIONARY}.dic", encoding=context.encoding), aff=aff, context=context)
    stems = {word.stem.lower() for word in dic.words if word.stem.isalpha() and len(word.stem) >= DICTIONARY_MIN_PART}
    return frozenset(stems | set(Stemmer.Stemmer("swedish").stemWords(sorted(stems))))


def hunspell_analyzer(texts: Iterable[str]) -> Analyzer:
    """"split" whose parts must be dictionary words, ranked by their count in the texts (+1)."""
    fitted = Analyzer.fit(texts, "split")
    return Analyzer("split", {word: fitted.vocabulary.get(word, 0) + 1 for word in dictionary_stems()},
                    stems=fitted.stems)


class LemmaAnalyzer(Analyzer):
    """Lemmas in place of stems; with `with_ngrams`, also the 4-grams of each lemma. `texts`: what it
    indexes, whose stems say how much of a question is in the report's words (`word_share`)."""

    def __init__(self, texts: Iterable[str], with_ngrams: bool = False):
        super().__init__("none", stems=Analyzer.fit(texts, "none").stems)
        self.with_ngrams = with_ngrams

    def analyze(self, text: str) -> list[str]:
        tokens = []
        for word in words(text):
            lemma = simplemma.lemmatize(word, lang="sv") if word.isalpha() else word
            tokens.append(lemma)
            if self.with_ngrams:
                tokens.extend(ngrams(lemma))
        return tokens
