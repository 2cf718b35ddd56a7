"""Near-duplicate questions per show: one cluster for the same question asked with spelling noise.

Texts are compared in folded form (case, punctuation, ё/е, Kazakh letters vs Russian look-alikes,
Latin translit: see `tokens.fold`); an exact folded match is a dictionary hit. Otherwise candidates
come from a blocking index — the 4-letter heads of a question's rarest content words, plus its two
longest words tagged with its numbers — and are scored with rapidfuzz's token_sort_ratio (≥ 86).
Two guards keep clusters honest: the numbers in both texts must be the same ("улица 5" is not
"улица 7", bus 92 is not bus 12), and texts under three words only ever match exactly. Each cluster
keeps at most a few representatives in the index, and each blocking key is scanned newest first up
to a limit, so a 200,000-question show stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from .tokens import folded_words

__all__ = ["DedupeIndex"]

_STOP = frozenset(
    folded_words("""
когда будет будут почему зачем где как что это нет есть уже еще ещё вопрос вопросы здравствуйте добрый
день вечер спасибо пожалуйста подскажите скажите можно нужно очень только такой наш наши нас мы вы
улица улице район районе доме дом году сколько там тут который которые
қашан неге қалай қайда бар жоқ сәлеметсіз сәлем салем рахмет және мен осы бұл біздің бізде сіз
керек ауданы ауданында көшесі көшесінде болады бола жатыр әлі тағы
""")
)
_MIN_WORDS = 3
_HEAD = 4


@dataclass(slots=True)
class _Key:
    text: str  # folded words joined by spaces
    numbers: tuple[str, ...]
    features: tuple[str, ...]  # blocking keys: heads of the content words
    words: int


_NO_NUMBERS: tuple[str, ...] = ()


def _features(words: list[str], numbers: tuple[str, ...]) -> tuple[str, ...]:
    """Blocking keys: the heads of the content words, and for a question with numbers also its two
    longest words tagged with them, so "дом 45" questions meet each other before anything else."""
    content = [w for w in words if len(w) >= 3 and not w.isdigit() and w not in _STOP]
    features = {w[:_HEAD] for w in content}
    if numbers:
        tag = ".".join(numbers)
        features.update(f"{tag}#{w[:_HEAD]}" for w in sorted(content, key=len, reverse=True)[:2])
    return tuple(features)


def _key(text: str) -> _Key:
    words = folded_words(text)
    numbers = tuple(sorted({w for w in words if w.isdigit()})) or _NO_NUMBERS
    return _Key(" ".join(words), numbers, _features(words, numbers), len(words))


# a representative: [folded text, its numbers, cluster id, still indexed]; postings hold these very
# lists, so a forgotten one is skipped without a lookup until the next compaction drops it
_Rep = list[Any]
_TEXT, _NUMBERS, _CLUSTER, _ALIVE = range(4)


@dataclass
class _Show:
    """One show's index. Memory matters (200,000 questions): texts are keyed by their hash, and
    postings are plain lists of ids that may still hold forgotten ones until the next compaction."""

    exact: dict[int, int] = field(default_factory=dict)  # hash of folded text -> cluster id
    refs: dict[int, int] = field(default_factory=dict)  # hash of folded text -> questions carrying it
    reps: dict[int, _Rep] = field(default_factory=dict)  # question id -> representative
    postings: dict[str, list[_Rep]] = field(default_factory=dict)  # blocking key -> reps, oldest first
    reps_per_cluster: dict[int, int] = field(default_factory=dict)
    stale: int = 0  # forgotten representatives still listed in postings

    def compact(self) -> None:
        self.postings = {}
        for rep in self.reps.values():
            for feature in _features(rep[_TEXT].split(), rep[_NUMBERS]):
                self.postings.setdefault(feature, []).append(rep)
        self.stale = 0


class DedupeIndex:
    """Sync, in-memory; used from the store's single writer thread."""

    def __init__(
        self,
        threshold: float = 86.0,
        reps_per_cluster: int = 3,
        scan_per_feature: int = 64,
        features_per_query: int = 3,
    ) -> None:
        self.threshold = threshold
        self.reps_per_cluster = reps_per_cluster
        self.scan_per_feature = scan_per_feature
        self.features_per_query = features_per_query
        self._shows: dict[int | None, _Show] = {}
        # question id -> (show, hash of its folded text, whether it is a representative)
        self._questions: dict[int, tuple[int | None, int, bool]] = {}
        self._last: tuple[str, _Key] | None = None

    def _key(self, text: str) -> _Key:
        # match() and add() see the same text one after the other: fold it once
        if self._last is not None and self._last[0] == text:
            return self._last[1]
        key = _key(text)
        self._last = (text, key)
        return key

    def match(self, show_id: int | None, text: str) -> int | None:
        """The cluster id of a near-duplicate of `text` already indexed for the show, else None."""
        show = self._shows.get(show_id)
        key = self._key(text)
        if show is None or not key.text:
            return None
        exact = show.exact.get(hash(key.text))
        if exact is not None:
            return exact
        if key.words < _MIN_WORDS:
            return None
        return self._fuzzy(show, key)

    def _candidates(self, show: _Show, key: _Key) -> list[_Rep]:
        """Representatives with the same numbers sharing one of the query's rarest blocking keys,
        the newest `scan_per_feature` of each key."""
        postings, numbers, scan = show.postings, key.numbers, self.scan_per_feature
        known = sorted((len(postings[f]), f) for f in key.features if f in postings)
        return [
            rep
            for _, feature in known[: self.features_per_query]
            for rep in postings[feature][-scan:]
            if rep[_ALIVE] and rep[_NUMBERS] == numbers
        ]

    def _fuzzy(self, show: _Show, key: _Key) -> int | None:
        candidates = self._candidates(show, key)
        if not candidates:
            return None
        best = process.extractOne(
            key.text,
            [rep[_TEXT] for rep in candidates],
            scorer=fuzz.token_sort_ratio,
            score_cutoff=self.threshold,
        )
        return int(candidates[best[2]][_CLUSTER]) if best is not None else None

    def add(self, show_id: int | None, question_id: int, text: str, cluster_id: int) -> None:
        """Index one question as a member of `cluster_id`."""
        key = self._key(text)
        if not key.text or question_id in self._questions:
            return
        show = self._shows.setdefault(show_id, _Show())
        digest = hash(key.text)
        show.exact.setdefault(digest, cluster_id)
        show.refs[digest] = show.refs.get(digest, 0) + 1
        rep = (
            key.words >= _MIN_WORDS
            and bool(key.features)
            and show.reps_per_cluster.get(cluster_id, 0) < self.reps_per_cluster
        )
        if rep:
            entry: _Rep = [key.text, key.numbers, cluster_id, True]
            show.reps[question_id] = entry
            show.reps_per_cluster[cluster_id] = show.reps_per_cluster.get(cluster_id, 0) + 1
            for feature in key.features:
                show.postings.setdefault(feature, []).append(entry)
        self._questions[question_id] = (show_id, digest, rep)

    def forget(self, question_id: int) -> None:
        """Drop one question from the index (purged, or its cluster is being rebuilt)."""
        record = self._questions.pop(question_id, None)
        if record is None:
            return
        show_id, digest, rep = record
        show = self._shows[show_id]
        refs = show.refs.get(digest, 0) - 1
        if refs > 0:
            show.refs[digest] = refs
        else:
            show.refs.pop(digest, None)
            show.exact.pop(digest, None)
        if rep:
            entry = show.reps.pop(question_id)
            entry[_ALIVE] = False
            cluster_id = entry[_CLUSTER]
            show.reps_per_cluster[cluster_id] -= 1
            if not show.reps_per_cluster[cluster_id]:
                del show.reps_per_cluster[cluster_id]
            show.stale += 1
            if show.stale > max(1000, len(show.reps)):
                show.compact()
