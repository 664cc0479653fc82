"""Entities a reader can follow: the seed article's people, organisations and places."""

from __future__ import annotations

from pathlib import Path

import pytest

import handpicked
from handpicked.article import Article
from handpicked.understand.entities import Entity, canonical_key, extract_entities

SEED = Path(__file__).parent.parent / "fixtures" / "seed-article"


@pytest.fixture(scope="module")
def seed_entities() -> dict[str, Entity]:
    html = (SEED / "page.html").read_bytes()
    article = handpicked.extract(html, url="https://ledger.example/world/x")
    return {entity.name: entity for entity in extract_entities(article)}


EXPECTED_KINDS = {
    "Vladimir Putin": "person",
    "IRGC": "organisation",
    "Bashar Assad": "person",
    "Wagner": "organisation",
    "Moshe Azman": "person",
    "Yaakov Dov Bleich": "person",
    "Russia": "place",
    "Iran": "place",
    "Ukraine": "place",
    "Rostov-on-Don": "place",
}


def test_seed_article_yields_the_expected_entities(seed_entities: dict[str, Entity]) -> None:
    kinds = {name: seed_entities[name].kind for name in EXPECTED_KINDS if name in seed_entities}
    assert kinds == EXPECTED_KINDS


def test_surnames_merge_into_full_names(seed_entities: dict[str, Entity]) -> None:
    putin = seed_entities["Vladimir Putin"]
    assert "Putin" in putin.aliases
    assert putin.key == "person:vladimir putin"
    assert putin.mentions >= 5
    assert "Bleich" in seed_entities["Yaakov Dov Bleich"].aliases
    assert "Putin" not in seed_entities and "Bleich" not in seed_entities


def test_no_junk(seed_entities: dict[str, Entity]) -> None:
    junk = {"The", "It’s", "Over", "Separately", "Whichever", "If", "As", "Why", "Russian", "Jews"}
    assert not junk & set(seed_entities)
    assert not any(alias in junk for e in seed_entities.values() for alias in e.aliases)


def test_most_salient_first() -> None:
    html = (SEED / "page.html").read_bytes()
    names = [e.name for e in extract_entities(handpicked.extract(html))][:2]
    assert set(names) == {"Vladimir Putin", "Russia"}


def test_acronym_merges_with_its_expansion() -> None:
    text = (
        "Officials said the Islamic Revolutionary Guard Corps (IRGC) had moved drones. "
        "The IRGC denied it. Analysts at the Centre for Strategic Studies (CSS) disagreed."
    )
    entities = {e.name: e for e in extract_entities("Drones moved", text, "en")}
    irgc = entities["Islamic Revolutionary Guard Corps"]
    assert irgc.kind == "organisation"
    assert {"IRGC", "Islamic Revolutionary Guard Corps"} <= set(irgc.aliases)
    assert irgc.mentions == 3
    assert "Centre for Strategic Studies" in entities


def test_canonical_keys_meet_across_spellings() -> None:
    assert canonical_key("Putin") == canonical_key("Vladimir Putin") == "person:vladimir putin"
    assert canonical_key("islamic revolutionary guard corps") == canonical_key("IRGC")
    assert canonical_key("U.S.") == canonical_key("United States") == "place:united states"
    assert canonical_key("Moshe Azman", "person") == "person:moshe azman"


def test_article_without_entities() -> None:
    article = Article(title="a quiet day", paragraphs=["nothing much happened here today, again."])
    assert extract_entities(article) == []
    assert extract_entities("", "", None) == []


def test_german_requires_names_not_nouns() -> None:
    text = (
        "Die Regierung in Berlin hat am Montag neue Hilfen beschlossen. Bundeskanzler Olaf "
        "Scholz sagte, die Wirtschaft brauche Unterstützung. Auch die EU prüft Maßnahmen."
    )
    names = {e.name: e.kind for e in extract_entities("Neue Hilfen", text, "de")}
    assert names == {"Berlin": "place", "Olaf Scholz": "person", "EU": "organisation"}


def test_french_and_spanish_names() -> None:
    fr = "Le président Emmanuel Macron a reçu mardi à Paris le chancelier allemand Olaf Scholz."
    fr_names = {e.name for e in extract_entities("Visite", fr, "fr")}
    assert {"Emmanuel Macron", "Paris", "Olaf Scholz"} <= fr_names
    es = (
        "El presidente Pedro Sánchez viajó el lunes a Bruselas para reunirse con la "
        "Comisión Europea."
    )
    es_names = {e.name: e.kind for e in extract_entities("Viaje", es, "es")}
    assert es_names.get("Pedro Sánchez") == "person"
    assert es_names.get("Comisión Europea") == "organisation"


def _names(text: str, language: str = "en") -> dict[str, Entity]:
    return {e.name: e for e in extract_entities("", text, language)}


PROSE = (
    "The health ministry published its weekly figures on Monday, and officials said the "
    "number of new cases had fallen again across the region. "
)


def test_a_sentence_opening_who_is_not_the_world_health_organization() -> None:
    text = PROSE + "Who pays for the new clinics? Nobody has said so far."
    entities = extract_entities("Clinics", text, "en")
    assert not [e for e in entities if e.key == canonical_key("World Health Organization")]
    acronym = extract_entities("Clinics", PROSE + "The WHO said the figures were good.", "en")
    assert [e.name for e in acronym if e.key == canonical_key("WHO")] == ["WHO"]


def test_common_sentence_openers_and_speaker_labels_are_not_names() -> None:
    text = (
        PROSE + "Along the river, volunteers cleared the paths. Caught in the rain, they "
        "stayed on.\nOverall Positive results were reported by the team.\n"
        "UNIDENTIFIED PERSON: We will be back tomorrow, said the organiser."
    )
    assert set(_names(text)) == set()


def test_abbreviations_keep_their_dots() -> None:
    text = PROSE + "Exports to the U.S. rose. Officials in the U.S. welcomed the figures."
    entities = extract_entities("", text, "en")
    united_states = next(e for e in entities if e.key == "place:united states")
    assert united_states.aliases == ("U.S.",)
    assert not {"U.S", "U S", "U"} & {a for e in entities for a in e.aliases}


def test_a_name_is_not_cut_at_a_line_break() -> None:
    text = PROSE + "The report was first published by the reporters of the Los\nAngeles Times."
    names = _names(text)
    assert "Los Angeles Times" in names
    assert "Angeles Times" not in names


def test_a_title_marks_a_person_and_is_not_part_of_the_name() -> None:
    text = PROSE + "Economy Minister Marcelo Ebrard said the tariffs were a bad idea."
    names = _names(text)
    assert names["Marcelo Ebrard"].kind == "person"
    assert "Economy Minister Marcelo Ebrard" not in names


def test_initials_keep_their_dots_and_make_a_person() -> None:
    text = PROSE + "The bureau was led by J. Edgar Hoover until 1972, when he died in office."
    names = _names(text)
    assert names["J. Edgar Hoover"].kind == "person"
    assert "Edgar Hoover" not in names


def test_german_nouns_after_an_article_or_adjective_are_not_names() -> None:
    text = (
        "Dem Namen fehlt eine zentrale Silbe, sagt die Forscherin Anna Keller. Ohne die Silbe "
        "klingt er fremd. Zwei mutmaßliche Spione wurden in Köln festgenommen; die Spione "
        "arbeiteten für Peking.\nDer Launch sollte im Juli sein. Der Launch wurde verschoben. "
        "Das Kind kann nicht zur Kita, sagt ihre ehemalige Anwältin Pam Bondi. Die Deutsche "
        "Bahn rechnet mit Verspätungen."
    )
    names = {e.name for e in extract_entities("", text, "de")}
    assert not names & {"Silbe", "Spione", "Launch", "Kita"}
    assert {"Anna Keller", "Köln", "Pam Bondi", "Deutsche Bahn"} <= names


def test_a_role_is_not_a_name() -> None:
    text = (
        "The County Sheriff arrived first. The Board Chairman resigned on Monday, and the "
        "Fresno City Attorney declined to comment. Deputy Mayor Ann Lee spoke to the Ohio "
        "State team, and Tessa Bishop said she would stay."
    )
    names = {e.name for e in extract_entities("", text, "en")}
    assert names == {"Fresno", "Ann Lee", "Ohio State", "Tessa Bishop"}


def test_a_common_first_word_of_an_organisation_is_not_a_name_alone() -> None:
    text = (
        "Local reporters said a bang was heard. The Local Government Association said the "
        "riots were deplorable. American officials agreed with the American Medical "
        "Association. The Evergrande Group defaulted; Evergrande said it would pay."
    )
    forms = {form for e in extract_entities("", text, "en") for form in e.aliases}
    assert not forms & {"Local", "American"}
    assert {"Local Government Association", "American Medical Association", "Evergrande"} <= forms


def test_a_town_named_as_a_team_is_an_organisation() -> None:
    text = (
        "Chelsea have delivered a message. Chelsea beat Tottenham 2-0 at Stamford Bridge, "
        "and the Tottenham boss was furious. Crowds outside a cafe in Birmingham are chanting."
    )
    kinds = {e.name: e.kind for e in extract_entities("", text, "en")}
    assert kinds["Chelsea"] == kinds["Tottenham"] == "organisation"
    assert kinds["Birmingham"] == "place"


def test_a_german_club_of_acronym_and_town_is_found() -> None:
    text = "Am Dienstag verlor der MSV Duisburg in Ingolstadt, und dann musste Trainer Boris\n"
    text += "Schommers gehen."
    kinds = {e.name: e.kind for e in extract_entities("", text, "de")}
    assert kinds == {
        "MSV Duisburg": "organisation",
        "Ingolstadt": "place",
        "Boris Schommers": "person",
    }


def test_a_french_particle_is_no_roman_numeral() -> None:
    text = "Elle estime qu’il n’y a pas d’autre alternative que Marine Le Pen, dit-elle."
    assert [e.name for e in extract_entities("", text, "fr")] == ["Marine Le Pen"]


def test_a_place_noun_and_of_introduce_a_place() -> None:
    text = "Le bataillon est déployé dans la région russe de Koursk depuis le mois dernier."
    assert [(e.name, e.kind) for e in extract_entities("", text, "fr")] == [("Koursk", "place")]


def test_spanish_surnames_and_participles_of_speech_mark_one_person() -> None:
    text = (
        "El juez investiga al fiscal general, Álvaro García Ortiz, por la filtración. Para el "
        "juez, García Ortiz fue la persona clave. Con esas palabras ha descrito Moreno un "
        "incendio cuyo balance es grave."
    )
    entities = extract_entities("", text, "es")
    people = {e.name: set(e.aliases) for e in entities if e.kind == "person"}
    assert people["Álvaro García Ortiz"] >= {"García Ortiz", "Álvaro García Ortiz"}
    assert "Moreno" in people


def test_a_german_place_cue_admits_a_town_named_once() -> None:
    text = "Die Feuerwehr fuhr am Abend nach Nußdorf-Debant, wo ein Stadel brannte."
    assert [(e.name, e.kind) for e in extract_entities("", text, "de")] == [
        ("Nußdorf-Debant", "place")
    ]


def test_an_institution_keeps_its_of_phrase() -> None:
    text = "Los heridos fueron trasladados al Hospital Virgen del Rocío de Sevilla anoche."
    names = {e.name for e in extract_entities("", text, "es")}
    assert "Hospital Virgen del Rocío" in names and "Rocío" not in names


def test_places_in_a_list_stay_places_and_a_church_is_no_person() -> None:
    text = (
        "More than 200 families, mostly from Wisconsin and Minnesota, were brought to Alaska. "
        "Kansas City, Wichita and Oklahoma City are in that zone, forecasters said. The Church "
        "of Jesus Christ of Latter-day Saints said so. Jesus Christ was named in the letter."
    )
    kinds = {e.name: e.kind for e in extract_entities("", text, "en")}
    assert {kinds[p] for p in ("Minnesota", "Oklahoma City", "Wichita")} == {"place"}
    assert kinds["Jesus Christ"] == "person"


def test_a_cue_word_alone_is_no_town() -> None:
    text = "Airport chief Ali Naghavi was quoted by IRNA as saying the runway was closed."
    names = {e.name for e in extract_entities("", text, "en")}
    assert names == {"Ali Naghavi", "IRNA"}


def test_a_place_and_a_plural_name_a_team() -> None:
    text = (
        "San Diego Chargers receiver Vincent Jackson was arrested. During the raid, Texas "
        "Rangers removed boxes of records. Victoria Williams and Jordan Peters spoke later."
    )
    kinds = {e.name: e.kind for e in extract_entities("", text, "en")}
    assert kinds["San Diego Chargers"] == kinds["Texas Rangers"] == "organisation"
    assert kinds["Victoria Williams"] == kinds["Jordan Peters"] == "person"


def test_states_and_provinces_are_places() -> None:
    german = "Die Füchse schlugen die Gäste aus Thüringen deutlich, hieß es am Abend."
    english = "BHOPAL: Madhya Pradesh continues to report the highest number of cases."
    assert ("Thüringen", "place") in {(e.name, e.kind) for e in extract_entities("", german, "de")}
    kinds = {e.name: e.kind for e in extract_entities("", english, "en")}
    assert kinds["Madhya Pradesh"] == "place"


def test_a_family_name_decides_between_a_person_and_an_organisation() -> None:
    text = (
        "The Boston Herald reported that Jordan Peters had left. The Chinese company Datang "
        "Mobile won the case against Samsung, and Keiwan Ratliff scored twice."
    )
    kinds = {e.name: e.kind for e in extract_entities("", text, "en")}
    assert kinds["Boston Herald"] == kinds["Datang Mobile"] == "organisation"
    assert kinds["Jordan Peters"] == kinds["Keiwan Ratliff"] == "person"


def test_a_lone_family_name_is_a_person() -> None:
    text = (
        "En el auto, Hurtado se basa en el informe de la Guardia Civil sobre el correo. "
        "Para Hurtado, la intervención es suficiente."
    )
    kinds = {e.name: e.kind for e in extract_entities("", text, "es")}
    assert kinds["Hurtado"] == "person"


def test_a_major_city_is_a_place_though_its_name_is_frequent() -> None:
    text = "El juez cita a la fiscal jefe provincial de Madrid, Pilar Rodríguez, el 30 de enero."
    kinds = {e.name: e.kind for e in extract_entities("", text, "es")}
    assert kinds["Madrid"] == "place" and kinds["Pilar Rodríguez"] == "person"


def test_a_heading_ending_on_a_name_is_not_joined_to_the_next_sentence() -> None:
    text = (
        "La Chine appelle à la retenue après le tir de missile balistique de la Russie\n"
        "La Chine a appelé vendredi à la retenue."
    )
    names = {e.name for e in extract_entities("", text, "fr")}
    assert {"Russie", "Chine"} <= names and not any("Russie La" in n for n in names)


def test_german_compound_nouns_and_nouns_after_a_name_are_not_names() -> None:
    text = (
        "Samsung drohen in Deutschland Probleme für seine Geräte in LTE-Netzen. "
        'Betreffzeilen wie "Bitte bestätigen Sie Ihre E-Mail-Adresse" kommen von Betrügern.'
    )
    names = {(e.name, e.kind) for e in extract_entities("", text, "de")}
    assert ("Deutschland", "place") in names
    assert not {n for n, _k in names} & {"LTE-Netzen", "E-Mail-Adresse", "Sie Ihre"}


def test_a_perfect_tense_speech_verb_marks_a_person() -> None:
    spanish = "Minutos antes del encuentro, Albares ha recalcado que el silencio no es una opción."
    french = "Selon le communiqué, Belooussov a déclaré que la situation restait tendue."
    assert [(e.name, e.kind) for e in extract_entities("", spanish, "es")] == [
        ("Albares", "person")
    ]
    found = {(e.name, e.kind) for e in extract_entities("", french, "fr")}
    assert ("Belooussov", "person") in found


def test_a_german_dative_of_a_country_is_the_country() -> None:
    text = "Mehr ist in den Niederlanden zur Vermeidung von Inzest nicht erlaubt."
    assert ("Niederlanden", "place") in {(e.name, e.kind) for e in extract_entities("", text, "de")}
    text = "Viele Daten aus den Daten der Behörde fehlen."
    assert extract_entities("", text, "de") == []


def test_a_german_role_before_a_given_name_is_cut_off() -> None:
    text = "Der Osnabrücker Leseforscher Christian Dawidowski sagt, dass vielen etwas fehlt."
    kinds = [(e.name, e.kind) for e in extract_entities("", text, "de")]
    assert kinds == [("Christian Dawidowski", "person")]
