"""Language detection: the text decides, the page's declaration only when the text agrees."""

from __future__ import annotations

import pytest

from handpicked.understand.language import detect_language

SAMPLES = {
    "en": "The city council voted on Tuesday to expand the bus network, saying that thousands of "
    "commuters would benefit from faster and cheaper journeys by next spring.",
    "de": "Der Stadtrat hat am Dienstag beschlossen, das Busnetz auszubauen. Tausende Pendler "
    "sollen bis zum nächsten Frühjahr schneller und günstiger zur Arbeit kommen.",
    "fr": "Le conseil municipal a voté mardi l'extension du réseau de bus, estimant que des "
    "milliers de navetteurs bénéficieraient de trajets plus rapides et moins chers.",
    "es": "El ayuntamiento votó el martes ampliar la red de autobuses, y aseguró que miles de "
    "viajeros se beneficiarán de trayectos más rápidos y baratos la próxima primavera.",
    "ru": "Городской совет во вторник проголосовал за расширение автобусной сети, заявив, что "
    "тысячи пассажиров смогут добираться быстрее и дешевле уже следующей весной.",
    "ja": "市議会は火曜日、バス路線網の拡充を可決した。来年の春までに、何千人もの通勤客が"
    "より速く安く移動できるようになるという。",
    "ar": "صوّت مجلس المدينة يوم الثلاثاء على توسيع شبكة الحافلات، مؤكداً أن آلاف الركاب "
    "سيستفيدون من رحلات أسرع وأرخص بحلول الربيع المقبل.",
}


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_detects_each_language(code: str) -> None:
    assert detect_language(SAMPLES[code]) == code


def test_lying_declaration_is_corrected() -> None:
    assert detect_language(SAMPLES["de"], declared="en-US") == "de"


def test_agreeing_declaration_is_kept_and_normalised() -> None:
    assert detect_language(SAMPLES["fr"], declared="FR_fr") == "fr"


def test_short_text_trusts_the_declaration() -> None:
    assert detect_language("Hola", declared="es") == "es"


def test_empty_text_is_undecidable() -> None:
    assert detect_language("") is None
    assert detect_language("  12 345  ") is None


@pytest.mark.parametrize("code", ["de", "fr", "ru"])
def test_long_articles_are_read_from_their_opening(code: str) -> None:
    """A long article is decided on its opening: right with no declaration, and a template's
    English declaration is still overruled."""
    article = " ".join([SAMPLES[code]] * 20)
    assert detect_language(article) == code
    assert detect_language(article, declared="en") == code


def test_an_opening_that_agrees_keeps_a_long_articles_declaration() -> None:
    article = " ".join([SAMPLES["es"]] * 20)
    assert detect_language(article, declared="es-ES") == "es"
