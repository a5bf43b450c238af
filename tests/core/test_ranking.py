"""Ranking learned from decisions, on the real listing of every archive: a keep raises papers
like it, a skip lowers them, the model survives a restart, and its reasons are the features
that carry the weight."""

from __future__ import annotations

import functools
import statistics
import subprocess
import sys

import pytest

from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.config import load_config, update_config
from arxiv_tui.core.library.library import Library
from arxiv_tui.core.library.marks import ALL_READ, KEEP, READ, SKIP, UNSTAR
from arxiv_tui.core.library.opening import open_library
from arxiv_tui.core.models import Listing, Paper
from arxiv_tui.core.ranking import features
from arxiv_tui.core.ranking.ranker import Ranker
from arxiv_tui.core.session.reader import Reader
from arxiv_tui.core.sources.parse import parse_feed
from tests.conftest import FIXTURES, demo_listing_bytes

NO_KEYWORDS = lambda paper: ((), ())  # noqa: E731


@functools.cache
def demo_listing() -> Listing:
    parsed = parse_feed(demo_listing_bytes())
    assert parsed.listing_date is not None
    return Listing(parsed.listing_date, tuple(parsed.papers))


def demo() -> tuple[Paper, ...]:
    return demo_listing().papers


def library_of_the_demo(tmp_path) -> Library:
    library = open_library(tmp_path / "library.sqlite3")
    library.store_listing(demo_listing())
    return library


def about(word: str) -> list[Paper]:
    return [paper for paper in demo() if word in paper.title.lower()]


def unrelated_to(*words: str) -> list[Paper]:
    return [p for p in demo() if not any(w in (p.title + p.abstract).lower() for w in words)]


def test_keeping_speech_papers_raises_other_speech_papers_above_the_rest(tmp_path):
    """A day of computer science: six speech papers kept, sixty others skipped. Among the 500
    papers left undecided, the other speech papers move to the top quarter."""
    library = library_of_the_demo(tmp_path)
    ranker = Ranker(library, NO_KEYWORDS)
    speech = [p for p in about("speech") if p.primary_category.startswith(("cs.", "eess."))]
    others = [p for p in unrelated_to("speech", "audio") if p.primary_category.startswith("cs.")]
    kept, unseen = speech[:6], speech[6:]
    library.star(kept, decision=KEEP)
    library.marks.set_read([paper.id for paper in others[:60]], decision=SKIP)
    assert ranker.learn_pending() == 66
    undecided = [*unseen, *others[60:]]
    scores = ranker.scores(undecided, {})
    ranked = sorted(scores, key=scores.get, reverse=True)
    places = sorted(ranked.index(paper.id) for paper in unseen)
    assert statistics.median(places) < len(ranked) / 4, places
    library.close()


def test_a_skip_lowers_papers_like_it_and_a_keep_raises_them(tmp_path):
    library = library_of_the_demo(tmp_path)
    ranker = Ranker(library, NO_KEYWORDS)
    holes = about("black hole")
    probe = holes[-1]
    before = ranker.scores([probe], {})[probe.id]
    library.marks.set_read([paper.id for paper in holes[:4]], decision=SKIP)
    ranker.learn_pending()
    skipped = ranker.scores([probe], {})[probe.id]
    library.star(holes[4:-1], decision=KEEP)
    ranker.learn_pending()
    kept = ranker.scores([probe], {})[probe.id]
    assert skipped < before < kept
    library.close()


def test_marking_a_whole_view_read_says_less_than_skipping_each(tmp_path):
    holes = about("black hole")
    probe = holes[-1]
    lowered = {}
    for kind in (SKIP, ALL_READ):
        library = open_library(tmp_path / kind / "library.sqlite3")
        library.store_listing(demo_listing())
        ranker = Ranker(library, NO_KEYWORDS)
        before = ranker.scores([probe], {})[probe.id]
        library.marks.set_read([paper.id for paper in holes[:4]], decision=kind)
        ranker.learn_pending()
        lowered[kind] = before - ranker.scores([probe], {})[probe.id]
        library.close()
    assert lowered[SKIP] > lowered[ALL_READ] > 0


def test_the_model_outlives_the_session_and_nothing_is_learned_twice(tmp_path):
    library = library_of_the_demo(tmp_path)
    ranker = Ranker(library, NO_KEYWORDS)
    library.star(about("speech")[:5], decision=KEEP)
    ranker.learn_pending()
    probe = list(demo()[:200])
    scores = ranker.scores(probe, {})
    library.close()

    reopened = open_library(tmp_path / "library.sqlite3")
    again = Ranker(reopened, NO_KEYWORDS)
    assert again.learn_pending() == 0
    assert again.scores(probe, {}) == scores
    reopened.close()


def test_before_any_decision_keyword_and_author_hits_order_the_papers(tmp_path):
    library = library_of_the_demo(tmp_path)
    ranker = Ranker(library, NO_KEYWORDS)
    a, b, c = demo()[:3]
    hits = {a.id: ((), ()), b.id: (("diffusion",), ()), c.id: (("diffusion",), (c.authors[0],))}
    scores = ranker.scores([a, b, c], hits)
    assert scores[c.id] > scores[b.id] > scores[a.id]
    rank = ranker.explain(c, hits[c.id])
    assert rank.decisions == 0
    assert rank.reason().startswith("from your keywords and authors")
    assert "keyword diffusion" in rank.reason() and f"followed {c.authors[0].split()[-1]}" in rank.reason()
    library.close()


def test_reasons_are_the_features_that_weigh_most_for_and_against(tmp_path):
    library = library_of_the_demo(tmp_path)
    ranker = Ranker(library, NO_KEYWORDS)
    library.star(about("speech")[:8], decision=KEEP)
    library.marks.set_read([p.id for p in unrelated_to("speech", "audio")[:80]], decision=SKIP)
    ranker.learn_pending()
    paper = about("speech")[9]
    rank = ranker.explain(paper)
    named = features.names(paper)
    weights = ranker.model.contributions(ranker.features_of(paper))
    heaviest = sorted((w, named[b]) for b, w in weights.items() if b in named)
    for_, against = [r for r in rank.reasons if r[1] > 0], [r for r in rank.reasons if r[1] < 0]
    assert [name for name, _ in for_] == [name for _, name in reversed(heaviest[-len(for_) :])]
    assert [name for name, _ in against] == [name for _, name in heaviest[: len(against)]]
    assert for_ and for_[0][0] in {"speech", "eess.AS", "cs.SD", "speech recognition"}
    assert rank.reason().startswith(f"+ {for_[0][0]}")
    library.close()


def test_phrases_and_words_are_named_as_written_and_stopwords_are_no_features():
    paper = next(p for p in demo() if "speech" in p.title.lower())
    named = set(features.names(paper).values())
    assert "speech" in named
    assert not named & {"the", "of", "in", "is", "we", "paper", "propose"}
    assert any(" " in name for name in named)  # two-word phrases


def test_features_do_not_depend_on_the_process(tmp_path):
    """The weights are stored by bucket: a bucket must name the same feature in every process."""
    code = (
        "from arxiv_tui.core.ranking import features as f; "
        "print(f.word_bucket('speech'), f.author_bucket('A B'))"
    )
    runs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout for _ in range(2)
    }
    assert len(runs) == 1 and runs.pop().split() == [
        str(features.word_bucket("speech")),
        str(features.author_bucket("A B")),
    ]


def test_forgetting_starts_the_model_again_and_keeps_the_decisions(tmp_path):
    library = library_of_the_demo(tmp_path)
    ranker = Ranker(library, NO_KEYWORDS)
    library.star(about("speech")[:5], decision=KEEP)
    ranker.learn_pending()
    ranker.forget()
    assert ranker.scores([about("speech")[6]], {}) == {about("speech")[6].id: 0.0}
    assert library.db.read("SELECT count(*) FROM decisions")[0][0] == 5
    assert Ranker(library, NO_KEYWORDS).learn_pending() == 0  # what was forgotten is not learned again
    library.close()


def test_each_way_of_deciding_is_logged_with_its_mark_and_learned_once_written(home):
    paths = Paths.under(home)
    update_config(paths.config_file, {("categories",): ["quant-ph"], ("keywords", "include"): ["quantum"]})
    config, _ = load_config(paths.config_file)
    reader = Reader.open(paths, config, feeds=[FIXTURES / "rss-quant-ph-2025-04-28.xml"])
    reader.refreshing.start()
    reader.refresh(reader.apply, visit=False)
    papers = [row.paper for row in reader.viewing.rows()]
    marking = reader.marking
    marking.set_starred(papers[0], True)  # f or s: a keep (its read mark says nothing more)
    marking.set_read([papers[1]], decision=SKIP)  # x
    marking.set_read([papers[2]], decision=READ)  # opened full-size
    marking.set_read([papers[3]])  # a read mark no decision goes with (undo's own changes)
    marking.mark_all_read(papers[4:7])  # A
    marking.set_starred(papers[0], False)  # unstarred later
    assert reader.writer.wait_idle(10)
    logged = reader.library.db.read("SELECT paper_id, kind FROM decisions ORDER BY seq")
    assert logged == [
        (papers[0].id, KEEP), (papers[1].id, SKIP), (papers[2].id, READ),
        *[(paper.id, ALL_READ) for paper in papers[4:7]], (papers[0].id, UNSTAR),
    ]  # fmt: skip
    assert reader.library.meta("ranker_learned") == str(len(logged))  # learned as they were written
    assert reader.find.ranker.model.decisions == pytest.approx(1 + 1 + 0.5 + 3 * 0.3 + 0.5)
    reader.close()


def test_library_forget_ranking_starts_the_model_again_from_the_command_line(home, capsys):
    from arxiv_tui.cli.main import main

    library = open_library(Paths.under(home).library_file)
    library.store_listing(demo_listing())
    library.star(about("speech")[:5], decision=KEEP)
    Ranker(library, NO_KEYWORDS).learn_pending()
    assert library.db.read("SELECT count(*) FROM ranker")[0][0] > 0
    library.close()
    assert main(["library", "--home", str(home), "forget-ranking"]) == 0
    assert "starts learning again" in capsys.readouterr().out
    library = open_library(Paths.under(home).library_file)
    assert library.db.read("SELECT count(*) FROM ranker") == [(0,)]
    assert library.db.read("SELECT count(*) FROM stars") == [(5,)]  # the user's stars stay
    assert Ranker(library, NO_KEYWORDS).learn_pending() == 0
    library.close()
