"""Developments: what is new in a story since the reader was sent it."""

from __future__ import annotations

from handpicked.understand.developments import SeenVersion, develop, is_correction, numbers_in

from .pieces import Piece

SENT = (
    "KATHMANDU, Nepal (AP) — A magnitude 7.8 earthquake struck western Nepal on Tuesday, "
    "killing at least 12 people and flattening homes in Jajarkot district.",
    "“We are still searching for people under the rubble,” said district official Harish "
    "Chandra Sharma.",
    "Rescue teams were sent from Kathmandu on Tuesday morning.",
)


SEEN = [SeenVersion(1, "Quake kills 12 in Nepal", SENT)]
FIRST = Piece(1, "Quake kills 12 in Nepal", SENT, "Wire Desk")


def test_a_new_toll_and_a_new_quote_are_new_facts_linked_to_their_article() -> None:
    report = Piece(
        2,
        "Nepal quake toll rises",
        (
            "The death toll from Tuesday's magnitude 7.8 earthquake in western Nepal rose to "
            "157 on Wednesday, officials said.",
            "“Entire villages are gone, and we cannot reach them by road,” said Prime Minister "
            "Pushpa Kamal Dahal after visiting Jajarkot.",
            "Rescue teams were sent from Kathmandu on Tuesday morning.",
        ),
        "Daily Herald",
        entities=[{"name": "Pushpa Kamal Dahal", "kind": "person"}],
    )
    found = develop(SEEN, [FIRST, report])
    assert found.is_real
    assert [(f.kind, f.article_id) for f in found.facts] == [("number", 2), ("quote", 2)]
    assert "157" in found.facts[0].text and "Entire villages" in found.facts[1].text
    assert found.new_reports == ("Daily Herald",) and found.new_copies == 0


def test_copies_and_rewrites_of_what_was_sent_are_not_a_development() -> None:
    copy = Piece(3, "Quake kills 12 in Nepal", SENT, "Copier", duplicate_of=1)
    rewrite = Piece(
        4,
        "Earthquake hits Nepal",
        ("At least twelve people were killed when a magnitude 7.8 quake struck Jajarkot on "
         "Tuesday, officials said.",),
        "Rewriter",
    )  # fmt: skip
    found = develop(SEEN, [FIRST, copy, rewrite])
    assert not found.is_real
    assert found.new_copies == 1 and found.new_reports == ("Rewriter",)


def test_a_correction_and_a_changed_headline_of_a_sent_article_are_developments() -> None:
    corrected = Piece(
        1,
        "Quake kills 12 in Nepal",
        (*SENT, "Correction: An earlier version of this story misspelled the district official’s "
         "name."),
        "Wire Desk",
    )  # fmt: skip
    found = develop(SEEN, [corrected])
    assert [f.kind for f in found.shown] == ["correction"]
    retitled = Piece(1, "Nepal earthquake survivors pulled from rubble", SENT, "Wire Desk")
    assert [f.kind for f in develop(SEEN, [retitled]).shown] == ["headline"]


def test_numbers_leave_out_years_dates_and_times_and_read_thousands_and_words() -> None:
    assert numbers_in("On March 3, 2024 at 10:30 a.m. some 1,500 fled") == ["1500"]
    assert numbers_in("twelve dead") == ["12"]
    assert is_correction("Update (Wednesday): officials raised the toll.")
    assert not is_correction("The update to the app was released.")


def test_a_timeline_says_what_each_article_added_and_copies_add_nothing() -> None:
    from handpicked.understand.developments import timeline

    report = Piece(2, "Toll rises", ("The death toll in Jajarkot has risen to 157 on Wednesday.",),
                   "Herald")  # fmt: skip
    copy = Piece(3, "Quake kills 12 in Nepal", SENT, "Copier", duplicate_of=1)
    added = timeline([FIRST, report, copy])
    assert list(added) == [2] and "157" in added[2][0].text


def _facts_after(sent: str, follow_up: str, by_meaning: bool = False) -> list[str]:
    """The new facts a follow-up shows beside one sent article (small texts written for the
    test); by figures and words alone unless ``by_meaning``, as a story page reads them."""
    seen = [SeenVersion(1, "Sent", (sent,))]
    first = Piece(1, "Sent", (sent,), "Wire Desk")
    later = Piece(2, "Later", (follow_up,), "Daily Herald")
    return [fact.text for fact in develop(seen, [first, later], by_meaning=by_meaning).facts]


def test_a_number_glued_to_its_unit_is_read_and_is_not_new_when_spaced() -> None:
    assert numbers_in("up to 768GB of storage and a 17in screen at 2.7GHz") == ["768", "17", "2.7"]
    assert numbers_in("codes such as MS08-078, a 9400M chip and the 3rd floor") == []
    sent = "The new laptop has up to 768GB of flash storage, Apple said on Monday."
    assert _facts_after(sent, "It ships with up to 768 GB of flash storage from today on.") == []


def test_the_same_figure_in_another_unit_currency_or_rounding_is_not_new() -> None:
    bailout = "Greece will get a $144 billion bailout from the IMF and European nations."
    again = "Papandreou must push through cuts in exchange for a 110 billion euro (93.6 billion "\
        "pound) aid package."  # fmt: skip
    assert _facts_after(bailout, again) == []
    prison = "He pleaded guilty and served five months in federal prison for his role."
    assert _facts_after(prison, "LaRue served a 4 1/2-month prison term for his role.") == []
    quake = "The temblor struck about 26 miles north of Santa Rosa in the Geysers area."
    assert _facts_after(quake, "It was centered in Geyserville, about 20 miles north of Santa "
                               "Rosa, the survey said.") == []  # fmt: skip
    deeper = "The quake had a depth of 2.7 miles below the Geysers area, the survey said."
    assert _facts_after(quake, deeper) == [deeper]


def test_a_new_sum_or_length_is_still_new() -> None:
    offer = "The Red Sox offered eight years at $22 million per season for the first baseman."
    higher = "The Yankees then offered $180 million over eight years, reports said on Tuesday."
    assert _facts_after(offer, higher) == [higher]
    sentence = "He was sentenced to seven years in prison for the robbery, the court said."
    longer = "On appeal he was sentenced to ten years in prison instead, on Friday."
    assert _facts_after(sentence, longer) == [longer]


def test_numbers_in_names_addresses_and_time_stamps_are_not_facts() -> None:
    assert numbers_in("The bank on Highway 214, just east of Interstate 5, said Channel 4.") == []
    assert numbers_in("the No. 2 official, the number 2 man, a dual-core (Core 2 Duo) chip") == []
    assert numbers_in("found at 24 Independent Street and in the 12000 block of Elm") == []
    assert numbers_in("The quake, which struck at 1353 (1023 GMT), was felt in Oman.") == []
    assert numbers_in("Police said 18 people were injured and 12 arrested on Tuesday.") == [
        "18",
        "12",
    ]
    sent = Piece(1, "Quake Kills 12 In Nepal", ("The quake struck Jajarkot on Tuesday.",))
    seen = [SeenVersion(1, sent.title, sent.paragraphs)]
    same = Piece(2, "Toll", ("Officials said 12 people were killed in the quake.",), "Herald")
    assert develop(seen, [sent, same]).facts == ()


def test_questions_and_quotes_without_a_speaker_are_not_shown() -> None:
    sent = "The team has offered the first baseman eight years at $22 million a season."
    question = "Should the Yankees go higher than $25 million a season for the first baseman?"
    assert _facts_after(sent, question) == []
    alone = "“Her passing leaves all of us at the studio deeply saddened today.”"
    said = "“Her passing leaves all of us at the studio deeply saddened,” her agent said."
    assert _facts_after(sent, alone) == []
    assert _facts_after(sent, said) == [said]


def test_figures_written_in_other_forms_are_read_as_one() -> None:
    assert numbers_in("The sixty-one-year-old man killed a 61-year-old woman") == ["61", "61"]
    assert numbers_in("The quake was centered seventy-five miles north of the city.") == []
    assert numbers_in("songs now cost 69 cents, 99 cents or $1.29") == [".69", ".99", "1.29"]
    assert numbers_in("The navy thwarted the attack on 10 Nov 11.") == []
    assert numbers_in("Police came after a 999 call; she had dialled 112 at once.") == []
    assert numbers_in("The blast killed 112 people and injured 999 more.") == ["112", "999"]
    sent = "A 61-year-old man surrendered to police shortly after 6 p.m. on Friday."
    again = "The sixty-one-year-old was arrested Friday, not long after the shooting."
    assert _facts_after(sent, again) == []


def test_an_estimate_told_again_in_another_rounding_is_not_new() -> None:
    sent = "About 800 people live in the community, where polygamy is practised, police said."
    again = "The community, with a population of approximately 1,000, follows the sect's rules."
    assert _facts_after(sent, again) == []
    wives = "Blackmore is alleged to have married approximately 20 women, the minister said."
    assert _facts_after(wives, "He is alleged to have about 19 wives, court papers say.") == []
    toll = "At least 12 people were killed when the quake struck the district on Tuesday."
    rise = "The death toll rose to 15 people on Wednesday as rescuers reached the villages."
    assert _facts_after(toll, rise) == [rise]


def test_a_title_before_a_name_does_not_end_a_sentence() -> None:
    from handpicked.understand.developments import sentences

    text = "Speaking in Bahrain, U.S. Navy Vice Adm. Bill Gortney said attacks would fail. He left."
    assert sentences(text) == [
        "Speaking in Bahrain, U.S. Navy Vice Adm. Bill Gortney said attacks would fail.",
        "He left.",
    ]


def test_a_sentence_cut_off_at_a_title_is_not_a_fact() -> None:
    sent = "A fire badly damaged the Wasilla Bible Church on Friday night."
    cut = '"We have no idea what started the blaze in the basement," said the Rev.'
    whole = '"We have no idea what started the blaze in the basement," said the Rev. Larry Kroon.'
    assert _facts_after(sent, cut) == []
    assert _facts_after(sent, whole) == [whole]


def test_datelines_time_stamps_and_web_addresses_are_not_facts() -> None:
    from handpicked.understand.developments import is_dateline

    assert is_dateline("Monday 16 September 2013 03. 31 BST")
    assert is_dateline("Posted on November 15, 2011 6:07:15 PM GMT+01:0")
    assert not is_dateline("Police said 12 people were injured on Monday 16 September.")
    assert numbers_in("The ship radioed at 1100 hours that it was under attack.") == []
    assert numbers_in("He worked 1500 hours of community service.") == ["1500"]
    assert numbers_in("Read it at https://example.org/story/31 or www.example.org/31") == []


SENT_QUAKE = (
    "A magnitude 6.1 earthquake struck the island of Qeshm in southern Iran on Sunday, killing "
    "at least 10 people and destroying several villages, state media reported."
)


def test_the_sent_story_told_again_in_other_words_is_not_new() -> None:
    retold = (
        "Ten people died when a strong quake hit Qeshm island off Iran's south coast on Sunday, "
        "wrecking 7 villages, Iranian television said."
    )
    assert _facts_after(SENT_QUAKE, retold, by_meaning=True) == []


def test_a_sentence_that_says_something_else_stays_new_when_read_by_meaning() -> None:
    new = (
        "Rescuers flew 40 tents and 2,000 blankets to the island from Bandar Abbas, the Red "
        "Crescent said."
    )
    assert _facts_after(SENT_QUAKE, new, by_meaning=True) == [new]


def test_a_count_told_as_risen_is_new_however_much_of_it_was_sent() -> None:
    risen = (
        "The death toll from the magnitude 6.1 earthquake that struck the island of Qeshm in "
        "southern Iran on Sunday has risen to 14, state media reported."
    )
    assert _facts_after(SENT_QUAKE, risen, by_meaning=True) == [risen]


def test_a_new_figure_amid_sent_words_is_not_a_fact() -> None:
    mostly_sent = (
        "The magnitude 6.1 earthquake struck Qeshm island in southern Iran on Sunday, killing "
        "at least 10 people and destroying 4 villages."
    )
    assert _facts_after(SENT_QUAKE, mostly_sent) == []


def test_an_outcome_never_sent_is_new_however_much_of_it_was_sent() -> None:
    trial = (
        "The fraud trial of former mayor Anna Berg opened before Judge Tom Ekl, with "
        "prosecutors saying 3 million kronor of harbour funds had been diverted."
    )
    verdict = (
        "A jury found former mayor Anna Berg guilty of diverting 3.1 million kronor of harbour "
        "funds, and Judge Tom Ekl set sentencing for May."
    )
    assert _facts_after(trial, verdict, by_meaning=True) == [verdict]
