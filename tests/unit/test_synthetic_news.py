"""The benchmark's synthetic news: its known copies and translations are what they claim to be."""

from __future__ import annotations

from tallywire.testkit.synthetic_news import synthetic_articles
from processors.figure_extractor import extract_figures


def _values(text: str, lang: str) -> set[float]:
    return {figure.value for figure in extract_figures(text, lang)}


def test_a_translation_states_its_originals_figures_in_the_other_language() -> None:
    articles = list(synthetic_articles(200, seed=5, translation_share=0.2))
    by_name = {article.name: article for article in articles}
    translations = [article for article in articles if article.translation_of]
    assert len(translations) > 10
    for translation in translations:
        original = by_name[translation.translation_of]
        assert translation.lang != original.lang
        assert _values(translation.text, translation.lang) == _values(original.text, original.lang)


def test_asking_for_no_translations_leaves_a_seeds_articles_as_they_were() -> None:
    plain = [(a.name, a.text) for a in synthetic_articles(100, seed=9)]
    assert plain == [(a.name, a.text) for a in synthetic_articles(100, seed=9, translation_share=0.0)]
    assert not any(a.translation_of for a in synthetic_articles(100, seed=9))
