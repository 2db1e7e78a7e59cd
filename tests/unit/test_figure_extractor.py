"""Figure extraction against the hand-checked seed figures and on news sentences of its own."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tallywire.core.text_cleanup import clean_text
from processors.figure_eval import same_attribution, same_place
from processors.figure_extractor import extract_figures
from processors.sentences import sentences
from tests.conftest import SEEDS


def seed_figures(name: str):  # noqa: ANN201
    text = clean_text((SEEDS / name).read_text(encoding="utf-8"))
    return text, extract_figures(text, "de")


def test_every_gold_troop_figure_is_found(gold: dict) -> None:
    for expected in gold["figures"]:
        _, figures = seed_figures(expected["article"])
        matching = [
            f for f in figures
            if (f.value, f.force, f.location, f.status)
            == (expected["value"], expected["force"], expected["location"], expected["status"])
        ]
        assert matching, f"{expected['article']}: {expected['value']} {expected['force']} {expected['location']} missing"
        assert matching[0].category == "troops"
        assert matching[0].qualifier == expected["qualifier"], expected
        assert same_attribution(expected["attribution"], matching[0].attribution), (expected, matching[0].attribution)


def test_no_troop_figure_beyond_gold(gold: dict) -> None:
    for name in {f["article"] for f in gold["figures"]}:
        _, figures = seed_figures(name)
        stated = {(g["value"], g["force"], g["location"], g["status"]) for g in gold["figures"] if g["article"] == name}
        extra = [f for f in figures if not f.vague and (f.value, f.force, f.location, f.status) not in stated]
        assert extra == [], name


def test_numbers_that_are_not_figures_are_not_extracted(gold: dict) -> None:
    for item in gold["not_troop_figures"]:
        text, figures = seed_figures(item["article"])
        wanted = " ".join(item["text"].split())
        at = text.find(wanted)
        assert at != -1, wanted
        assert not [f for f in figures if f.span_start < at + len(wanted) and at < f.span_end], wanted


def test_a_figure_stated_twice_is_one_figure_with_two_mentions() -> None:
    _, figures = seed_figures("000_dd63bbf8b66a9ab8.txt")
    [eleven] = [f for f in figures if f.value == 11000]
    assert eleven.mentions == 2 and eleven.attribution == "Selenskyj"


def test_spans_point_at_the_number_in_the_text() -> None:
    text, figures = seed_figures("002_9279d71c33d6ed19.txt")
    assert [text[f.span_start : f.span_end] for f in figures] == ["3.000", "12.000"]


def one(text: str, lang: str):  # noqa: ANN201
    figures = extract_figures(text, lang)
    assert len(figures) == 1, figures
    return figures[0]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Nach Angaben der Regierung wurden mindestens 1.200 Zivilisten getötet.", "de",
         {"value": 1200, "qualifier": "at_least", "category": "killed", "counted": "Zivilisten"}),
        ("Rund 300 ukrainische Soldaten wurden verwundet, sagte ein Sprecher.", "de",
         {"value": 300, "qualifier": "approx", "category": "wounded", "force": "ukraine"}),
        ("Mehr als 1,5 Millionen Flüchtlinge sind in Polen angekommen.", "de",
         {"value": 1_500_000, "qualifier": "more_than", "category": "refugees"}),
        ("Bis zu 500 Panzer könnten geliefert werden.", "de",
         {"value": 500, "qualifier": "up_to", "status": "possible", "category": "weapons"}),
        ("Zwischen 10.000 und 12.000 russische Soldaten sind in Belgorod stationiert.", "de",
         {"value_low": 10000, "value_high": 12000, "force": "russia", "location": "Belgorod"}),
        ("Die Zahl der Flüchtlinge aus Charkiw soll auf 90.000 steigen.", "de",
         {"value": 90000, "status": "expected", "category": "refugees", "location": "Kharkiv"}),
        ("President Zelensky said on Thursday that 11,000 North Korean soldiers are in the Kursk region.", "en",
         {"value": 11000, "force": "north_korea", "location": "Kursk", "attribution": "Zelensky"}),
        ("At least 1,200 civilians were killed in the fighting around Donetsk.", "en",
         {"value": 1200, "qualifier": "at_least", "category": "killed", "location": "Donetsk"}),
        ("Russia has gathered nearly 50,000 troops, including North Koreans, in Kursk.", "en",
         {"value": 50000, "qualifier": "nearly", "force": "russia_incl_north_korea", "location": "Kursk"}),
        ("Officials expect the number of refugees from Kharkiv to rise to 90,000.", "en",
         {"value": 90000, "status": "expected", "category": "refugees"}),
        ("Russia could send some 20,000 more soldiers to the front.", "en",
         {"value": 20000, "qualifier": "approx", "status": "possible", "category": "troops"}),
        ("Tens of thousands of soldiers have gathered near Kursk.", "en",
         {"value_low": 10000, "value_high": 99999, "vague": True}),
    ],
)
def test_news_sentences(text: str, lang: str, expected: dict) -> None:
    figure = one(text, lang)
    assert {key: getattr(figure, key) for key in expected} == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Am 6. August begann die Offensive, seit drei Monaten wird gekämpft.", "de"),
        ("Der Krieg soll in 24 Stunden enden, sagte er am 1.11.2024.", "de"),
        ("Die Armee eroberte mehr als zwei Dutzend Siedlungen.", "de"),
        ("Das Budget steigt um 40 Prozent auf 2,3 Milliarden Euro.", "de"),
        ("Seit 100 Jahren gab es das nicht, sagte der 72-jährige Präsident.", "de"),
        ("The offensive began on August 6 and has lasted three months.", "en"),
        ("The aid package is worth $1.5 billion, 20 percent more than in 2023.", "en"),
        ("Call 030 1234567 or see page 12.", "en"),
    ],
)
def test_dates_durations_money_and_other_numbers_are_not_figures(text: str, lang: str) -> None:
    assert extract_figures(text, lang) == []


# News-like soup: digits, separators, number and noun words, hedges, quotes and odd spaces, so that
# the examples reach the extractor's deeper paths and not only its early exits.
_NEWS_SOUP = st.lists(
    st.sampled_from([
        "11.000", "40.816.38", "1,5", "3-4", "2000", "Soldaten", "soldiers", "getötet", "killed", "etwa", "about",
        "mehr als", "darunter", "including", "in", "Kursk", "Gaza", "Russland", "Russian", "US-", "sagte", "said",
        "laut", "according to", ",", ".", ":", "„", "“", "-", "–", "\u2009", "\u200b", "\u00a0", "\n", "Tote",
        "dozen", "Dutzend", "zwischen", "und", "bis", "through", "Tausende", "%", "€", "Jahr", "year-old",
        "١٤٬٤٠٠", "\x00", "Hamas", "killing", "there", "dort", "sollen", "will", "reportedly",
    ]) | st.text(max_size=12),
    max_size=60,
).map(" ".join)


@settings(max_examples=10_000, deadline=None)
@given(st.one_of(st.text(max_size=400), _NEWS_SOUP))
def test_any_text_extracts_without_error(text: str) -> None:
    # 10,000 arbitrary texts, each read as German and as English.
    for figure in extract_figures(text, "de") + extract_figures(text, "en"):
        assert 0 <= figure.span_start < figure.span_end <= len(text)
        assert 0 < figure.confidence < 1


def test_hostile_text_is_bounded_in_time() -> None:
    hostile = "etwa 11.000 Soldaten, darunter " * 20_000
    started = time.perf_counter()
    extract_figures(hostile, "de")
    assert time.perf_counter() - started < 5.0


# What the reader does beyond the noun after the number, each on a sentence of its own.
@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # A dateline and where a source sits are no figure's place; a settlement the text names as such is.
        ("ATHENS (Reuters) - A train crashed near the city of Larissa, killing at least 57 people, the fire service said.",
         "en", {"value": 57, "category": "killed", "location": "Larissa", "attribution": "fire service"}),
        ("Die Bundeswehr soll rund 300 Soldaten aus dem Irak abziehen, hieß es aus dem Verteidigungsministerium in Berlin.",
         "de", {"value": 300, "category": "troops", "force": "germany", "location": "Iraq", "status": "expected"}),
        # A border's other side is not where it happened.
        ("Bei einem Angriff nahe der Ortschaft Tin Essako an der Grenze zu Algerien wurden 20 Zivilisten getötet.",
         "de", {"value": 20, "category": "killed", "location": "Tin Essako"}),
        # Whose: a possessive pronoun, a side, a verb's subject; never an opponent.
        ("Nach Angaben von Wagner-Chef Prigoschin sind rund 20.000 seiner Kämpfer bei Bachmut gefallen.",
         "de", {"value": 20000, "category": "killed", "force": "wagner", "location": "Bakhmut", "attribution": "Prigoschin"}),
        ("Auf russischer Seite sollen 5000 Soldaten gefallen sein.", "de",
         {"value": 5000, "category": "killed", "force": "russia", "status": "possible"}),
        ("The UN says thousands of anti-Pakistan militants are in Afghanistan.", "en",
         {"value_low": 1000, "category": "troops", "force": "", "location": "Afghanistan"}),
        # Number words, headlines, verbs and participles standing for the noun.
        ("Al-Shabaab fighters stormed a base, killing a dozen Somali soldiers.", "en",
         {"value": 12, "category": "killed", "force": "somalia"}),
        ("More than 200 others were wounded, the group said.", "en", {"value": 200, "category": "wounded"}),
        ("Rund anderthalb Millionen Menschen mussten nach dem Erdbeben ihre Häuser verlassen.", "de",
         {"value": 1_500_000, "category": "refugees"}),
        # A part shares what happened to its whole, and how sure that is.
        ("Bei dem Drohnenangriff sollen 20 bis 30 Zivilisten getötet worden sein, darunter elf Kinder.", "de",
         {"value": 11, "category": "killed", "status": "possible"}),
    ],
)
def test_reading_beyond_the_noun(text: str, lang: str, expected: dict) -> None:
    found = [f for f in extract_figures(text, lang)
             if f.value == expected.get("value", f.value) and f.value_low == expected.get("value_low", f.value_low)]
    assert found, (text, extract_figures(text, lang))
    place = expected.pop("location", None)
    assert {key: getattr(found[0], key) for key in expected} == expected
    if place is not None:  # GeoNames spells some towns its own way ("Lárisa"): compare as places
        assert same_place(place, found[0].location), (place, found[0].location)


def test_more_of_the_same_continues_the_sentence_before() -> None:
    [first, more] = extract_figures("Die Armee verlegte 5.000 Soldaten nach Kursk. Etwa 3.000 weitere sollen folgen.", "de")
    assert (more.value, more.category, more.status) == (3000, "troops", "expected")


@pytest.mark.parametrize(
    "text",
    [
        "Luka Doncic led Dallas with 28 points, but shot 3 for 11 from three-point range.",
        "Review: in the campaign you command 2,000 soldiers across three armies, and squads of four soldiers storm each map.",
        "Zwei Räder fallen mit mangelhaft durch, sechs sind befriedigend.",
        "A crowd of about 2,000 people gathered for the concert in Seattle.",
    ],
)
def test_texts_not_about_conflict_or_disaster_yield_no_figure(text: str) -> None:
    lang = "de" if "Räder" in text else "en"
    assert extract_figures(text, lang) == []


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Die USA wollen rund 2.000 zusätzliche Soldaten verlegen.", "de"),
        ("Der von den USA unterstützte Deal fordert, 5000 Gefangene freizulassen.", "de"),
        ("The US has announced it will deploy about 750 soldiers to the embassy.", "en"),
        ("Under the deal, Israel would free 1,000 Palestinian prisoners.", "en"),
    ],
)
def test_a_country_that_acts_is_not_the_figures_place(text, lang):
    assert [f.location for f in extract_figures(text, lang)] == [""]


@pytest.mark.parametrize(
    "text, lang, place",
    [
        ("Sudan: mehr als 12.000 Menschen getötet", "de", "Sudan"),
        ("Kämpfer haben im Südosten Nigers 17 Soldaten getötet.", "de", "Niger"),
        ("The army deployed 750 soldiers in Mali.", "en", "Mali"),
    ],
)
def test_a_country_named_as_where_stays_the_place(text, lang, place):
    assert [f.location for f in extract_figures(text, lang)] == [place]


def test_an_unnamed_sources_seat_is_not_the_place_and_there_points_back():
    text = ("Die Türkei will nach Angaben aus Regierungskreisen in Ankara 30 weitere Panzer in den Norden Syriens "
            "schicken. Dort sollen bereits rund 10.000 türkische Soldaten stationiert sein.")
    assert [f.location for f in extract_figures(text, "de")] == ["Syria", "Syria"]


def test_the_country_a_text_points_back_to():
    text = ("Hunderttausende sind aus dem Südlibanon geflohen. Bei Angriffen im Süden des Landes kamen am Montag "
            "mindestens 31 Menschen ums Leben.")
    assert [(f.value, f.location) for f in extract_figures(text, "de")][-1] == (31, "Lebanon")


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        # The subject that deploys owns both figures of a coordinated pair.
        ("Die USA wollen sechs F-22-Kampfjets und rund 2.000 zusätzliche Soldaten in den Nahen Osten verlegen.", "de",
         [(6, "weapons", "united_states"), (2000, "troops", "united_states")]),
        ("The US will send six F-22 fighter jets and about 2,000 additional troops to the Middle East.", "en",
         [(6, "weapons", "united_states"), (2000, "troops", "united_states")]),
        # "von" names the group of those who stay alive, and who killed the dead.
        ("Die Armee hat 42 mutmaßliche Kämpfer von Boko Haram festgenommen.", "de", [(42, "captured", "boko_haram")]),
        ("Bei dem Angriff wurden 1.200 Menschen von der Hamas getötet.", "de", [(1200, "killed", "")]),
    ],
)
def test_whose_figures(text, lang, expected):
    assert [(f.value, f.category, f.force) for f in extract_figures(text, lang)] == expected


@pytest.mark.parametrize(
    "text, place",
    [
        ("An Israeli air strike in the Damascus suburb of Mezzeh killed nine people.", "Mezzeh"),
        ("Gangs killed up to 115 people in the Cité Soleil neighborhood of Port-au-Prince.", "Cité Soleil"),
        ("A junta airstrike on Rakhine State's Minbya township killed 20 people.", "Minbya"),
        ("The fighting has displaced two and a half million people across Myanmar.", "Myanmar"),
    ],
)
def test_the_most_specific_place_in_english(text, place):
    assert [f.location for f in extract_figures(text, "en")] == [place]


@pytest.mark.parametrize(
    "text, place",
    [
        ("Judge Hassan Ali Nur said the militants had smuggled four rifles into the hotel.", ""),
        ("Typhoon Rosal killed 58 people in Cebu.", "Cebu City"),
        ("In Gaza, 12 people were killed.", "Gaza"),
        ("Saturday's Kharkiv strike killed 12 people.", "Kharkiv"),
        ("Russian shelling of the Russian Kursk region killed five people.", "Kursk"),
        ("At least 14 people were killed in a stampede in Madhya Pradesh's Ujjain district.", "Ujjain"),
    ],
)
def test_a_place_inside_a_longer_english_name_is_no_place(text, place):
    assert [f.location for f in extract_figures(text, "en")] == [place]


def test_a_sentence_whose_country_acts_does_not_take_the_place_before():
    text = "Hamas holds 59 hostages in Gaza. Under the deal, Israel would free 1,000 Palestinian prisoners."
    assert [f.location for f in extract_figures(text, "en")] == ["Gaza", ""]


@pytest.mark.parametrize(
    "text, lang, place",
    [
        ("Nach dem Ausbruch des Vulkans Marapi auf Sumatra werden noch zehn Bergsteiger vermisst.", "de", "Marapi"),
        ("In der Bremer Innenstadt hält ein bewaffneter Mann fünf Menschen als Geiseln.", "de", "Bremen"),
        ("The coast guard recovered 78 bodies after a fishing boat sank off Pylos.", "en", "Pylos"),
    ],
)
def test_places_named_as_a_volcano_a_city_adjective_or_off_a_coast(text, lang, place):
    assert [f.location for f in extract_figures(text, lang)] == [place]


@pytest.mark.parametrize(
    "text, lang, source",
    [
        ("The al-Qaeda-linked JNIM group said it had captured 30 Malian soldiers.", "en", "JNIM"),
        ("Manila said it had monitored 11 Chinese warships, Coast Guard spokesman Jay Tarriela told reporters.", "en", "Tarriela"),
        ("At least 1,554 people were killed, according to the U.N. human rights office.", "en", "human rights office"),
        ("Gangs forced 578,000 people from their homes, the International Organization for Migration said.", "en",
         "International Organization for Migration"),
        ("Forces detained 329 people since President Daniel Noboa declared a conflict, Defence Minister Gian Carlo "
         "Loffredo said Tuesday.", "en", "Loffredo"),
        ("Die Regierung kündigte an, weitere 1.500 Soldaten in das Katastrophengebiet zu schicken.", "de", "Regierung"),
        ("Oberst Paul Müller äußerte sich am Montag. „Wir haben 20 Soldaten verloren“, sagte er.", "de", "Müller"),
        # A bare name right after a singular speech verb is its subject, even one the dictionary knows.
        ("Am Sonntag sagte Scholz, dass bei dem Angriff 30 Soldaten getötet wurden.", "de", "Scholz"),
        ("Am Sonntag erklärte Cruz in einem Interview mit „Face the Nation“, dass die Pandemie weltweit mehr als "
         "600.000 Menschen das Leben gekostet habe.", "de", "Cruz"),
        ("Bei dem Angriff wurden 30 Menschen getötet, sagte Merkel der Süddeutschen Zeitung.", "de", "Merkel"),
        ("Bei dem Unfall starben zwei Menschen, sagte Polizeisprecher Thomas Meier der Deutschen Presse-Agentur.", "de",
         "Meier"),
        # An institution after "nach Angaben der", whatever its name; a following "Das ... an" names the speaker.
        ("Bei dem Angriff wurden nach Angaben der Militärverwaltung elf Menschen getötet.", "de", "Militärverwaltung"),
        ("Die Bundeswehr soll 4.800 Soldaten in Litauen stationieren. Das kündigte Verteidigungsminister Pistorius an.",
         "de", "Pistorius"),
        ("Die Huthi-Miliz hat nach eigenen Angaben 20 Besatzungsmitglieder in ihre Gewalt gebracht.", "de", "Huthi-Miliz"),
        # A country speaks through its government; what follows "said on Wednesday that" is what was said.
        ("Pakistan said on Wednesday that Indian shelling across the Line of Control had killed 12 civilians.", "en",
         "Pakistan"),
        ("The death toll from the earthquake rose to 2,719 on Thursday, the ruling junta said.", "en", "junta"),
        # Before a verb the subject comes first; a channel is no source.
        ("Zwölf Menschen wurden verletzt, wie Gouverneur Olexander Prokudin auf Telegram mitteilte.", "de", "Prokudin"),
        ("Officers seized 11 firearms after the shooting, AFP Commissioner Reece Kershaw told reporters.", "en", "Kershaw"),
    ],
)
def test_who_says_it(text, lang, source):
    found = extract_figures(text, lang)
    assert found and same_attribution(source, found[0].attribution), [f.attribution for f in found]


@pytest.mark.parametrize(
    "text, lang, sources",
    [
        ("Nach Angaben des Roten Kreuzes wurden in Derna 40 Menschen getötet. Weitere 90 wurden demnach verletzt.",
         "de", ["Roten Kreuzes", "Roten Kreuzes"]),
        ("Bei den Kämpfen starben laut der Organisation Human Rights Watch 25 Zivilisten. Zudem seien 60 Menschen "
         "festgenommen worden, teilte die Organisation weiter mit.", "de", ["Human Rights Watch"] * 2),
        ("Floods killed 120 people in Sindh, the National Disaster Management Authority said. More than 9,000 were "
         "displaced, the agency added.", "en", ["National Disaster Management Authority"] * 2),
        # A sentence that names a source of its own keeps it; one that points nowhere has none.
        ("Floods killed 120 people in Sindh, the Red Crescent said. Another 30 were missing, Governor Shah said.", "en",
         ["Red Crescent", "Shah"]),
        ("Floods killed 120 people in Sindh, the Red Crescent said. Another 30 were missing.", "en", ["Red Crescent", ""]),
    ],
)
def test_a_sentence_that_points_back_takes_the_source_named_before(text, lang, sources):
    found = extract_figures(text, lang)
    assert len(found) == len(sources) and all(same_attribution(s, f.attribution) for s, f in zip(sources, found)), [
        f.attribution for f in found]


@pytest.mark.parametrize(
    "text, figure",
    [
        ("3 French Soldiers Killed In Roadside Bomb Attack In Northern Mali", (3, "killed", "france", "Mali")),
        ("Storm Leaves At Least 12 Dead And Dozens Missing In Luzon", (12, "killed", "", "Luzon")),
    ],
)
def test_a_title_case_headline_is_read_as_its_words_not_as_a_name(text, figure):
    found = extract_figures(text, "en")
    assert found and (found[0].value, found[0].category, found[0].force, found[0].location) == figure
    assert found[0].sentence == text  # shown as written


@pytest.mark.parametrize(
    "text, figures",
    [
        ("Germany will deliver another 18 Leopard 2A6 tanks.", [(18, "weapons")]),
        ("The Netherlands sent two F-16 fighter jets and 40 T-72 tanks.", [(2, "weapons"), (40, "weapons")]),
        ("Covid-19 killed 300 people in the city.", [(300, "killed")]),
    ],
)
def test_digits_in_a_models_name_count_nothing(text, figures):
    assert [(f.value, f.category) for f in extract_figures(text, "en")] == figures


@pytest.mark.parametrize(
    "text, lang, figure",
    [
        # Regional English: South Asian and West African press.
        ("Three jawans were martyred in an IED blast in Bijapur.", "en", (3, "killed")),
        ("Security forces neutralised nine bandits in Zamfara.", "en", (9, "killed")),
        ("Seven people were hospitalised after the explosion.", "en", (7, "wounded")),
        ("Police recorded 14 killings in the city last month.", "en", (14, "killed")),
        ("About 20,000 residents are under evacuation orders as the fire spreads.", "en", (20000, "refugees")),
        ("Zwölf Bewohner wurden mit Rauchvergiftungen ins Krankenhaus gebracht.", "de", (12, "wounded")),
        ("Bei dem Lawinenabgang kamen drei Skitourengänger ums Leben.", "de", (3, "killed")),
        ("Die Miliz soll 40 Frauen versklavt haben.", "de", (40, "captured")),
    ],
)
def test_the_words_of_regional_and_local_news(text, lang, figure):
    found = extract_figures(text, lang)
    assert found and (found[0].value, found[0].category) == figure, [(f.value, f.category) for f in found]


@pytest.mark.parametrize(
    "text, lang, figures",
    [
        # A part of the displaced is displaced; "more" after another event is that event's.
        ("Some 90,000 people have been displaced in Ituri, including 35,000 children.", "en",
         [(90000, "refugees"), (35000, "refugees")]),
        ("The blast killed at least six people and injured dozens more.", "en", [(6, "killed"), (24, "wounded")]),
        # A label with a colon, a number that is about as many, an event told by a noun before "of".
        ("Dead: 63. Missing: 12.", "en", [(63, "killed"), (12, "missing")]),
        ("Some 40-odd injured were taken to hospitals in Goma.", "en", [(40, "wounded")]),
        ("The court found he had ordered the execution of 22 prisoners.", "en", [(22, "killed")]),
        ("Die Behörden ordneten die Evakuierung von 4.000 Anwohnern an.", "de", [(4000, "refugees")]),
    ],
)
def test_a_figures_event_from_its_whole_a_label_or_a_noun_before_it(text, lang, figures):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == figures


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Der SC Freiburg gewann vor 24.000 Zuschauern mit 2:1 und rückte in der Tabelle auf Rang vier vor. Trainer "
         "Julian Schuster musste auf zwei verletzte Stammspieler verzichten, lobte aber die Defensive.", "de"),
        ("Arsenal beat Chelsea 3-1 to go top of the league. The coach was without three injured players, and the "
         "striker scored twice after the referee waved away a penalty appeal.", "en"),
    ],
)
def test_injured_players_of_a_match_report_are_no_figure(text, lang):
    assert extract_figures(text, lang) == []


@pytest.mark.parametrize(
    "text, figures",
    [
        ("Das Land rechnet bis Jahresende mit 8.000 bis 12.000 weiteren Schutzsuchenden.", [(10000, "refugees")]),
        ("Derzeit leben 41.000 Personen mit Schutzstatus in Österreich.", [(41000, "refugees")]),
        # In a text about people who fled, those rescued from a boat are them, and their children too.
        ("Die Geflüchteten waren in Libyen aufgebrochen. Die Crew hat 52 Menschen aus einem Schlauchboot gerettet, "
         "darunter neun Minderjährige.", [(52, "refugees"), (9, "refugees")]),
        ("Kiew habe im Austausch 95 ukrainische Soldaten zurückerhalten.", [(95, "captured")]),
    ],
)
def test_german_migration_and_exchange_words(text, figures):
    assert [(f.value, f.category) for f in extract_figures(text, "de")] == figures


@pytest.mark.parametrize(
    "text, lang, figure",
    [
        ("More than 9,000 Ukrainians remain in Russian captivity, the ombudsman said.", "en", (9000, "captured")),
        ("Two guards were stabbed to death in the prison riot.", "en", (2, "killed")),
        ("Der Angreifer soll zwei Menschen erstochen haben.", "de", (2, "killed")),
        ("Bei dem Busunglück starben 14 Mädchen.", "de", (14, "killed")),
        # Crews of the fire brigade are no armed force: with nothing happened to them, no figure.
        ("Die Feuerwehr war mit 80 Einsatzkräften vor Ort, zwei Menschen wurden verletzt.", "de", (2, "wounded")),
    ],
)
def test_captivity_killing_and_emergency_crews(text, lang, figure):
    found = extract_figures(text, lang)
    assert [(f.value, f.category) for f in found] == [figure]


@pytest.mark.parametrize(
    "text, figures",
    [
        ("The army said it struck more than 40 militant targets and killed 12 fighters.", [(12, "killed")]),
        ("Investigators recovered 35 shell casings at the scene.", []),
        ("Rebels attacked 12 police stations overnight.", []),
        ("At least 200 police were deployed, and Germany pledged 20 Eurofighter jets.", [(200, "troops"), (20, "weapons")]),
    ],
)
def test_a_singular_noun_before_a_plural_one_counts_the_plural(text, figures):
    assert [(f.value, f.category) for f in extract_figures(text, "en")] == figures


@pytest.mark.parametrize(
    "text, lang, figures",
    [
        ("Among the dead in Quetta were 14 soldiers waiting for a train.", "en", [(14, "killed")]),
        ("Unter den Verletzten in Charkiw sind auch drei Kinder.", "de", [(3, "wounded")]),
        # A part and its whole: what happened to the part did not happen to all of the whole.
        ("Nineteen of the 22 people on board were killed.", "en", [(19, "killed"), (22, "civilians")]),
        # A digit after a name before weapons is the model's: "Challenger 2".
        ("Britain has sent 14 Challenger 2 tanks and Germany Leopard 2 tanks.", "en", [(14, "weapons")]),
        # In a text about migrants, survivors of a boat are migrants.
        ("A boat carrying migrants capsized off Libya. 31 survivors were brought to Tripoli.", "en", [(31, "refugees")]),
    ],
)
def test_among_parts_of_wholes_models_and_survivors(text, lang, figures):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == figures


@pytest.mark.parametrize(
    "text, lang, figures",
    [
        ("Die Zahl der ausländischen Kämpfer in Syrien, die seit 2019 gesunken ist, wird auf 4000 geschätzt.", "de",
         [(4000, "troops")]),
        ("A monitoring group put the crowd at 90,000, while police estimated it at 40,000.", "en", []),
    ],
)
def test_a_number_of_people_estimated_at_across_commas(text, lang, figures):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == figures


@pytest.mark.parametrize(
    "text, figures",
    [
        # "may" is a verb in lowercase, the month capitalised.
        ("A boat capsized off Lampedusa. Up to two dozen may still be missing.", [(24, "missing")]),
        ("The boat capsized off Lampedusa on 24 May; 12 migrants drowned.", [(12, "killed")]),
        # An abbreviation in brackets stands inside the name before the counted noun.
        ("Three New People's Army (NPA) rebels were killed in a clash.", [(3, "killed")]),
        ("New Delhi, Jan 2 (IANS) Several people are trapped inside a burning factory.", []),
        # "fighting" makes a text one about conflict, whatever its lemma.
        ("Fighting in the city has forced 30,000 people to flee. Around 8,000 civilians remain trapped.",
         [(30000, "refugees"), (8000, "civilians")]),
    ],
)
def test_months_brackets_and_words_of_conflict(text, figures):
    assert [(f.value, f.category) for f in extract_figures(text, "en")] == figures


@pytest.mark.parametrize(
    "text, figures",
    [
        ("Fighting goes on. Some 400,000 people, a third of the province, have been displaced since March.",
         [(400000, "refugees")]),
        ("Migrants keep coming. More than 2,000 people crossed the sea to Crete in May.", [(2000, "refugees")]),
        ("Floods hit the region. Helicopters airlifted 90 people from rooftops.", [(90, "refugees")]),
        ("Drone maker Skyline said its chief executive expects the firm, valued at $2 billion, to ship 500 new drones "
         "next year and to grow its workforce.", []),
    ],
)
def test_appositions_migrants_evacuations_and_a_drone_maker(text, figures):
    assert [(f.value, f.category) for f in extract_figures(text, "en")] == figures


@pytest.mark.parametrize(
    "text, lang, figures",
    [
        ("A military court sentenced to death five militants who were arrested in 2023.", "en", [(5, "captured")]),
        ("Three men were stabbed to death in the market.", "en", [(3, "killed")]),
        ("Forensic teams identified the remains of 14 victims near Srebrenica.", "en", [(14, "killed")]),
        ("Pakistan has deported more than 80,000 Afghans since April.", "en", [(80000, "refugees")]),
        ("Im vergangenen Jahr wurden rund 20.000 Menschen abgeschoben.", "de", [(20000, "refugees")]),
        ("The arsenal holds roughly 5,000 nuclear warheads and two aircraft carriers.", "en",
         [(5000, "weapons"), (2, "weapons")]),
        ("Die Bomber warfen im Krieg rund 3.900 Tonnen Bomben ab.", "de", []),
    ],
)
def test_sentences_remains_deportations_and_arsenals(text, lang, figures):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == figures


@pytest.mark.parametrize(
    "text, lang, figures",
    [
        # A plural noun of events counts events; cases are no figure, even "suspected" ones.
        ("Colombia recorded 76 massacres last year, in which 267 people were killed.", "en", [(267, "killed")]),
        ("The outbreak has caused 2,300 deaths and 90,000 suspected cases.", "en", [(2300, "killed")]),
        # A part of a hedged whole; a toll alone is of the dead, a toll-free number is none.
        ("About 1,000 of the roughly 11,000 North Korean soldiers have been killed.", "en",
         [(1000, "killed"), (11000, "troops")]),
        ("The health ministry put the toll at eight.", "en", [(8, "killed")]),
        ("Call the toll-free line at 1-866-411-8477.", "en", []),
        # "Unter den Toten" reaches every count of its clause.
        ("Unter den Toten seien 125 Polizisten und 148 Kämpfer.", "de", [(125, "killed"), (148, "killed")]),
    ],
)
def test_events_cases_parts_and_tolls(text, lang, figures):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == figures


@pytest.mark.parametrize(
    "text, lang, figures",
    [
        # A headline's rounder figure is the lead's exact one, counted once with both mentions.
        ("Mehr als 40 Tote nach Luftangriffen\nBei den Angriffen wurden nach Angaben der Behörden 43 Menschen getötet.",
         "de", [(43, "killed", 2)]),
        ("Dozens killed near aid site\nAt least 31 people were killed near the site, officials said.", "en",
         [(31, "killed", 2)]),
        # An exact headline number that differs from the lead's is a figure of its own (an earlier toll).
        ("Gunmen kill 12 in Zamfara\nGunmen killed 15 people in Zamfara, police said.", "en",
         [(12, "killed", 1), (15, "killed", 1)]),
    ],
)
def test_a_headline_restating_the_leads_figure(text, lang, figures):
    assert [(f.value, f.category, f.mentions) for f in extract_figures(text, lang)] == figures


@pytest.mark.parametrize(
    "text, lang, figures",
    [
        # "im vergangenen Jahr" before a count is no year; "im Jahr 2023" is.
        ("Auf den Straßen sind im vergangenen Jahr 482 Menschen ums Leben gekommen.", "de", [(482, "killed")]),
        ("Im Jahr 2023 wurden 12 Menschen getötet.", "de", [(12, "killed")]),
        # An abbreviation in brackets does not end the clause before its verb.
        ("Vor Libyen sind 61 Menschen nach Angaben der Organisation für Migration (IOM) ertrunken.", "de",
         [(61, "killed")]),
        # A time of day is no count.
        ("Gunmen attacked the village at 4 a.m. and killed 9 people.", "en", [(9, "killed")]),
    ],
)
def test_years_brackets_and_clock_times(text, lang, figures):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == figures


@pytest.mark.parametrize(
    "text, figures",
    [
        # Items of a list after an event share it; a clause with its own verb does not.
        ("The monitor said the dead included 690 civilians, 140 members of the security forces and 170 fighters.",
         [(690, "killed"), (140, "killed"), (170, "killed")]),
        ("Shelling killed 5 soldiers in Kyiv, and 300 people fled.", [(5, "killed"), (300, "refugees")]),
        # A noun with its own predicate keeps it: "were affected" is not the next count's evacuation.
        ("Floods hit Luzon. More than 5.3 million people were affected and hundreds of thousands remained in "
         "evacuation centres.", [(5300000, "civilians"), (100000, "refugees")]),
        # "of them" makes a part; "handed over" in an exchange hands over captives.
        ("Ukraine brought home 270 Ukrainians from Russian captivity, 246 of them soldiers. In return, Ukraine "
         "handed over 250 Russian servicemen.", [(270, "captured"), (246, "captured"), (250, "captured")]),
    ],
)
def test_lists_own_predicates_and_exchanges(text, figures):
    assert [(f.value, f.category) for f in extract_figures(text, "en")] == figures


@pytest.mark.parametrize(
    "text, lang, figures",
    [
        ("A cholera outbreak has infected 45,000 people and killed 870, the ministry said.", "en", [(870, "killed")]),
        ("Gunmen stormed the village. Officials put the number of abducted at 87.", "en", [(87, "captured")]),
        ("The state recorded 1,982 homicide victims in May.", "en", [(1982, "killed")]),
        ("Bei den Protesten wurden 21 Polizisten und mindestens 30 Demonstranten verletzt.", "de",
         [(21, "wounded"), (30, "wounded")]),
        ("Die UN zählen seit Kriegsbeginn mehr als 13.800 getötete Zivilisten.", "de", [(13800, "killed")]),
        ("Gunmen attacked the camp and took away at least six women.", "en", [(6, "captured")]),
    ],
)
def test_infections_abductions_victims_and_shared_verbs(text, lang, figures):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == figures


@pytest.mark.parametrize(
    "text, lang, sources",
    [
        ("Nach Schätzungen der Vereinten Nationen wurden seither 12 Millionen Menschen vertrieben.", "de", ["UN"]),
        ("Beim Versuch, den Kanal zu überqueren, starben acht Menschen. Das teilte die zuständige französische "
         "Seepräfektur mit.", "de", ["Seepräfektur"]),
        ("Severe storms killed at least nine people in Kentucky, Gov. Andy Beshear said.", "en", ["Beshear"]),
        # German indirect speech goes on from the source before it, in the clause it is in.
        ("Bei den Angriffen starben nach Angaben des Gesundheitsministeriums zwölf Menschen. Unter den Toten seien zwei "
         "Kämpfer der Hisbollah; in Haifa wurden drei Menschen verletzt.", "de",
         ["Gesundheitsministerium", "Gesundheitsministerium", ""]),
    ],
)
def test_estimates_institutions_titles_and_indirect_speech(text, lang, sources):
    found = extract_figures(text, lang)
    assert len(found) == len(sources) and all(same_attribution(s, f.attribution) for s, f in zip(sources, found)), [
        f.attribution for f in found]


@pytest.mark.parametrize(
    "text, lang, figures",
    [
        ("The brigade is to be equipped with 105 Leopard 2 battle tanks.", "en", [(105, "weapons")]),
        ("Laut Anklage tötete er in Bielefeld drei Menschen mit einem Messer und verletzte acht weitere.", "de",
         [(3, "killed"), (8, "wounded")]),
        ("Bei dem Brand kamen zwei Menschen ums Leben, 14 wurden mit Atemproblemen behandelt.", "de",
         [(2, "killed"), (14, "wounded")]),
        ("Im Krieg verlor die Armee dort nach eigenen Angaben 18 Soldaten.", "de", [(18, "killed")]),
        # A festival report is no war report, even of a war film's dead.
        ("Goldener Bär für Kriegsdrama\nDer Film der Regisseurin erzählt von der Schlacht um Stalingrad, in der mehr "
         "als 700.000 Menschen starben. Im Wettbewerb liefen 19 Filme, das Festival verkaufte 330.000 Tickets.", "de", []),
    ],
)
def test_models_next_verbs_treatment_losses_and_a_film_festival(text, lang, figures):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == figures


@pytest.mark.parametrize(
    "text, lang, figures",
    [
        ("The Pentagon has sent 2,000 troops to the region. Another 1,500 would follow next month.", "en",
         [(2000, "troops"), (1500, "troops")]),
        ("The Pentagon has sent 2,000 troops to the region and will send 1,500 more.", "en",
         [(2000, "troops"), (1500, "troops")]),
        ("Die Bundeswehr hat 2.000 Soldaten nach Litauen verlegt. Weitere 1.500 sollen folgen.", "de",
         [(2000, "troops"), (1500, "troops")]),
    ],
)
def test_more_troops_after_troops(text, lang, figures):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == figures


def test_a_bare_plural_after_a_speech_verb_names_nobody():
    found = extract_figures("Bei dem Angriff wurden 30 Menschen getötet, sagten Experten.", "de")
    assert [(f.value, f.attribution) for f in found] == [(30, "")]


@pytest.mark.parametrize(
    "text, force",
    [
        ("The Pentagon said it will deploy two more destroyers to the region.", "united_states"),
        ("Kenyan President William Ruto said his country would send 1,000 police officers to Haiti.", "kenya"),
    ],
)
def test_a_speaker_that_deploys_owns_what_it_deploys(text, force):
    assert [f.force for f in extract_figures(text, "en")] == [force]


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        # The counted noun named before the number, members of a force included.
        ("Der UN-Bericht zum Krieg schätzt die Zahl der IS-Mitglieder in Afghanistan auf 2200.", "de",
         [(2200, "troops", "islamic_state", "reported")]),
        ("The UN report on the war estimated the number of IS members in Afghanistan at 2,200.", "en",
         [(2200, "troops", "islamic_state", "reported")]),
        # A part of the figure before: "of whom", "davon".
        ("Hamas is holding 59 hostages in Gaza, at least 35 of whom are believed to be dead.", "en",
         [(59, "captured", "", "reported"), (35, "killed", "", "possible")]),
        # Coordinated modifiers before the noun; the government the text names; those to be released were held.
        ("The deal calls for the Afghan government to release 5,000 Taliban prisoners and the Taliban to free "
         "1,000 government and military personnel.", "en",
         [(5000, "captured", "taliban", "expected"), (1000, "captured", "afghanistan", "expected")]),
        ("Das Abkommen fordert, dass die afghanische Regierung 5000 Taliban-Gefangene freilässt und die Taliban "
         "1000 Regierungs- und Militärangehörige freilassen.", "de",
         [(5000, "captured", "taliban", "expected"), (1000, "captured", "afghanistan", "expected")]),
        # Claiming to have done it is a claim, across the clauses of the claim.
        ("Die Miliz behauptete, Dutzende Soldaten getötet und 15 gefangen genommen zu haben.", "de",
         [(24, "killed", "", "possible"), (15, "captured", "", "possible")]),
    ],
)
def test_counted_before_partitive_coordinated_and_claimed(text, lang, expected):
    assert [(f.value, f.category, f.force, f.status) for f in extract_figures(text, lang)] == expected


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("Bei dem Angriff wurden 30 Taliban getötet.", "de", (30, "killed", "taliban")),
        ("The army captured 12 Houthis near the border.", "en", (12, "captured", "houthis")),
        ("Das Abkommen verlangt, 5000 gefangene Taliban freizulassen.", "de", (5000, "captured", "taliban")),
        # A group's name before a noun of its own is the owner, not the counted: hostages are not fighters.
        ("Gunmen still hold 5 Hamas hostages.", "en", (5, "captured", "hamas")),
    ],
)
def test_an_armed_groups_name_counts_its_members(text, lang, expected):
    assert [(f.value, f.category, f.force) for f in extract_figures(text, lang)] == [expected]


@pytest.mark.parametrize(
    "text, lang",
    [
        ("A global pandemic has claimed the lives of more than 600,000 people worldwide and caused a catastrophe in the U.S.", "en"),
        ("Die Pandemie hat weltweit mehr als 600.000 Menschen das Leben gekostet, in den USA herrscht Krise.", "de"),
    ],
)
def test_a_worldwide_count_has_no_place(text, lang):
    assert [(f.value, f.location) for f in extract_figures(text, lang)] == [(600000, "")]


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("Drei Surfer wurden am Dienstagmorgen tot aus der Nordsee geborgen.", "de", [(3, "killed")]),
        ("Bei dem Unfall auf der A7 wurden zwei Lkw-Fahrer schwer verletzt.", "de", [(2, "wounded")]),
        ("Two pedestrians were killed when the car ploughed into the crowd.", "en", [(2, "killed")]),
        # People of an accident or a crime are a figure only by what happened to them.
        ("Nach dem Angriff warteten 200 Lkw-Fahrer an der Grenze.", "de", []),
    ],
)
def test_people_of_an_accident_or_a_crime(text, lang, expected):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Israelische Soldaten erschossen am Morgen im Westjordanland drei Palästinenser.", [(3, "killed")]),
        ("Bei dem Angriff starben laut den Weißhelmen 26 Menschen.", [(26, "killed")]),
        ("Die Krankheit hat beinahe 50 Menschen getötet und mehr als 1400 Menschen in Tunesien infiziert.", [(50, "killed")]),
    ],
)
def test_a_german_verb_before_its_object(text, expected):
    assert [(f.value, f.category) for f in extract_figures(text, "de")] == expected


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("In den Flüchtlingslagern im Libanon leben 200.000 Menschen.", "de", [(200000, "refugees")]),
        ("At least 110,000 people are living in migrant facilities – 40,000 of them in overcrowded camps.", "en",
         [(110000, "refugees"), (40000, "refugees")]),
    ],
)
def test_people_in_camps_for_the_displaced_are_refugees(text, lang, expected):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == expected


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("Nach dem Angriff wurden mehr als 80 Schülerinnen aus einem Internat verschleppt.", "de", [(80, "captured")]),
        ("Deutschland wird der Ukraine 18 Radhaubitzen vom Typ RCH 155 sowie vier Iris-T-Luftverteidigungssysteme liefern.",
         "de", [(18, "weapons"), (4, "weapons")]),
        ("Der Taifun hat mindestens 59 Menschenleben gefordert.", "de", [(59, "killed")]),
        ("Die Bande hat vier Angestellte in ihre Gewalt gebracht.", "de", [(4, "captured")]),
        ("Die Kämpfe haben mehr als 700.000 Menschen in die Flucht getrieben.", "de", [(700000, "refugees")]),
        ("Bei der Fahndung erschossen Sicherheitskräfte nach Polizeiangaben zwei mutmaßliche IS-Kämpfer.", "de", [(2, "killed")]),
        ("Nach dem Grubenunglück suchten Retter nach elf Kumpeln, die unter Tage eingeschlossen sind.", "de", [(11, "civilians")]),
        ("One man was killed by falling debris in the West Bank city of Jericho.", "en", [(1, "killed")]),
        ("Israel says 59 hostages remain in Gaza, of whom at least 35 are believed to be dead.", "en",
         [(59, "captured"), (35, "killed")]),
        ("India reported three of its soldiers wounded in the shelling.", "en", [(3, "wounded")]),
        ("The death toll from the magnitude 7.7 earthquake rose to 2,719.", "en", [(2719, "killed")]),
        # An arms maker's output is business, not a figure of war.
        ("Lockheed Martin said it delivered 110 F-35 fighter jets to customers in 2024, as quarterly revenue rose 4 "
         "percent to $18.1 billion.", "en", []),
    ],
)
def test_feminine_plural_and_compound_forms_relatives_partitives_and_designations(text, lang, expected):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == expected


@pytest.mark.parametrize(
    "text, place",
    [
        ("The death toll from the earthquake in Myanmar rose to 2,719 on Thursday.", "Myanmar"),
        ("The Myanmar military killed 30 civilians in the town of Sagaing.", "Sagaing"),
    ],
)
def test_a_country_named_as_its_adjective_is_where_unless_it_owns_the_next_word(text, place):
    assert [f.location for f in extract_figures(text, "en")] == [place]


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        # Parts of a whole, in its sentence or the next; coordinated parts and nouns share its event.
        ("In der Region wurden 27 Menschen getötet. Unter den Toten seien neun Kinder.", "de", [(27, "killed"), (9, "killed")]),
        ("Bei dem Angriff sind 34 Menschen hingerichtet worden, allein 19 davon an einem Tag.", "de",
         [(34, "killed"), (19, "killed")]),
        ("Gunmen killed at least 38 people, including eight women and five children, police said.", "en",
         [(38, "killed"), (8, "killed"), (5, "killed")]),
        ("Bei der Revolte starben 31 Häftlinge. Weitere 14 Insassen und drei Wärter seien verletzt worden.", "de",
         [(31, "killed"), (14, "wounded"), (3, "wounded")]),
        ("Im Bergwerk sind elf Bergleute ums Leben gekommen. 14 weitere seien nach einer Explosion unter Tage eingeschlossen.", "de",
         [(11, "killed"), (14, "civilians")]),
        ("A plane crashed after take-off, killing 14 of the 19 people on board, officials said.", "en",
         [(14, "killed"), (19, "civilians")]),
        ("Two men aged 58 and 63 were killed when a drone hit a house.", "en", [(2, "killed")]),
        ("Bei der Verfolgung habe die Armee rund 30 Terroristen „neutralisiert“.", "de", [(30, "killed")]),
        ("Officers seized 11 firearms and 38 hand grenades in the raids after the shooting.", "en",
         [(11, "weapons"), (38, "weapons")]),
        ("The death toll from an Ebola outbreak in Equateur province has risen to 27, the WHO said.", "en", [(27, "killed")]),
    ],
)
def test_parts_coordination_and_the_vocabulary_of_accidents_and_epidemics(text, lang, expected):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == expected


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("Dort sind 34 Menschen hingerichtet worden. Unter den Hingerichteten seien auch zwei Frauen.", "de",
         [(34, "killed"), (2, "killed")]),
        ('A car bomb exploded at a market. Al Shabaab said its fighters had killed "dozens of apostate soldiers".', "en",
         [((24, 99), "killed")]),
        ("More than 300 people are feared dead after a landslide, the agency said, cautioning that the toll could rise "
         "above 500.", "en", [((300, 300), "killed"), ((500, 500), "killed")]),
    ],
)
def test_parts_of_executions_a_quoted_object_and_a_bare_toll(text, lang, expected):
    found = [(f.value, f.category) if f.value_low == f.value_high and isinstance(expected[0][0], int)
             else ((f.value_low, f.value_high), f.category) for f in extract_figures(text, lang)]
    assert found == expected


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("09.15 Uhr: Bilanz des Angriffs auf den Markt – Tote: mindestens 21, Zahl der Verletzten: mehr als 60.", "de",
         [(21, "killed"), (60, "wounded")]),
        ("Die Zahl der im Gazastreifen getöteten Palästinenser ist auf mehr als 41.000 gestiegen. Das Militär gibt an, "
         "darunter seien rund 17.000 Hamas-Kämpfer.", "de", [(41000, "killed"), (17000, "killed")]),
        ("Russland hat die Region in der Nacht mit 48 Kampfdrohnen angegriffen. 39 der Drohnen seien abgeschossen worden.",
         "de", [(48, "weapons"), (39, "weapons")]),
        ("Gunmen opened fire on worshippers at a mosque, killing at least nine people and wounding 23. Police said.", "en",
         [(9, "killed"), (23, "wounded")]),
        ("Hamas said it was still holding 61 hostages in Gaza. Israeli officials believe 33 of them are dead.", "en",
         [(61, "captured"), (33, "killed")]),
        ("The monitor said 34 members of the security forces and 18 fighters were killed in clashes.", "en",
         [(34, "killed"), (18, "killed")]),
        ("US forces intercepted four anti-ship ballistic missiles launched from Yemen during the attack.", "en", [(4, "weapons")]),
        ("The office reported 11 persons as disappeared after the clashes between cartels.", "en", [(11, "missing")]),
    ],
)
def test_labels_counts_of_participles_partitives_and_members(text, lang, expected):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Die Huthi-Miliz im Jemen hat zwei Antischiffsraketen und drei Drohnen auf Handelsschiffe abgefeuert.",
         [(2, "houthis"), (3, "houthis")]),
        ("Bei Luftangriffen wurden acht Kämpfer getötet. Unter ihnen seien zwei Mitglieder der libanesischen Hisbollah.",
         [(8, ""), (2, "hezbollah")]),
    ],
)
def test_whose_the_subject_not_its_place_and_the_group_not_its_country(text, expected):
    assert [(f.value, f.force) for f in extract_figures(text, "de")] == expected


def test_a_generic_service_name_after_another_countrys_adjective_is_that_countrys():
    from processors.force_table import find_forces
    assert [f.force for f in find_forces("nach Angaben der ukrainischen Luftwaffe", "de")] == ["ukraine"]
    assert [f.force for f in find_forces("Die Luftwaffe verlegt Eurofighter", "de")] == ["germany"]


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("China sent 45 military aircraft and 14 navy ships around Taiwan, the ministry said.", "en",
         [(45, "weapons"), (14, "weapons")]),
        ("Britain will build up to 10 new attack submarines, the defence secretary announced after the war games.", "en",
         [(10, "weapons")]),
        ("Traffic deaths in the United States fell for the third straight year, to an estimated 39,345 in 2024.", "en",
         [(39345, "killed")]),
        ("The fatality rate after the crash, at 1.20 deaths per 100 million vehicle miles, is higher.", "en", []),
        ("Nach Angaben der WHO sind mehr als 1.400 Menschen an Cholera gestorben, die Zahl der Verdachtsfälle liegt bei "
         "rund 90.000.", "de", [(1400, "killed")]),
        ("Vor Lampedusa ist ein Boot mit Migranten gekentert. Es war mit 45 Menschen an Bord in Sfax gestartet.", "de",
         [(45, "refugees")]),
        ("Die Polizei setzte Tränengas ein und nahm 46 Demonstrierende fest.", "de", [(46, "captured")]),
        ("An estimated 260,000 civilians, around half of them children, remain trapped in El Fasher by the siege.", "en",
         [(260000, "civilians")]),
    ],
)
def test_compounds_changes_rates_cases_migrants_and_insertions(text, lang, expected):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Tens of thousands of Rohingya have crossed into Bangladesh since the fighting intensified.", [((10000, 99999), "refugees")]),
        ("Nearly 600,000 Rohingya refugees live in the camps after the crackdown, the UN refugee agency said.",
         [((600000, 600000), "refugees")]),
        ("The agency warned that at least 6,000 children under five in the city under siege were suffering from malnutrition.",
         [((6000, 6000), "civilians")]),
    ],
)
def test_peoples_their_head_nouns_and_age_limits(text, expected):
    assert [((f.value_low, f.value_high), f.category) for f in extract_figures(text, "en")] == expected


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        # An age set off after the person is no count.
        ("Five people died in the crash, while the truck driver, 47, was assisting officers.", "en", [(5, "killed")]),
        ("Bei dem Angriff wurden 20 Menschen getötet. Der Täter (34) wurde festgenommen.", "de", [(20, "killed")]),
        # The people who tell it are no figure.
        ("The attack killed at least 30 people, two residents told Al Jazeera by phone.", "en", [(30, "killed")]),
        # An active verb with its object: the counted did it; without one they suffered it.
        ("Two gunmen killed three people at a bar in the war-torn city.", "en", [(2, "troops"), (3, "killed")]),
        ("20 soldiers killed in an ambush in Mali.", "en", [(20, "killed")]),
        ("Five people died the next day in hospital.", "en", [(5, "killed")]),
    ],
)
def test_ages_tellers_and_doers_are_not_what_happened(text, lang, expected):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == expected


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        # "weitere" and "zuvor" are no verb of another clause.
        ("Das Bundesheer hat 800 Soldaten entsandt, weitere 300 sollen am Dienstag folgen.", "de",
         [(800, "troops"), (300, "troops")]),
        ("Die Zahl der Binnenvertriebenen stieg auf mehr als eine Million, von zuvor 700.000.", "de",
         [(1000000, "refugees"), (700000, "refugees")]),
        # Captivity, refuge and return, in their words.
        ("Noch mehr als 8.000 Ukrainer befinden sich in russischer Haft.", "de", [(8000, "captured")]),
        ("Around 62,000 people have taken refuge in the shelters there, it said.", "en", [(62000, "refugees")]),
        ("Die Taliban rechnen mit weiteren 50.000 Rückkehrern aus Pakistan.", "de", [(50000, "refugees")]),
        # Responders are a security force where the sentence names one.
        ("Rund 400 Einsatzkräfte der Polizei waren bis in die Nacht im Einsatz.", "de", [(400, "troops")]),
        # A purpose is what the counted do to others; buildings are no figure.
        ("The army deployed 3,500 soldiers and 12 attack helicopters to evacuate stranded families.", "en",
         [(3500, "troops"), (12, "weapons")]),
        ("Nach dem Erdbeben hat die Regierung rund 201.000 neue Wohnungen an Betroffene übergeben.", "de", []),
        # A participle after "and" keeps the count going past a preposition.
        ("Gunmen stormed a hotel, killing at least 32 people and wounding 63 during a siege.", "en",
         [(32, "killed"), (63, "wounded")]),
    ],
)
def test_more_counts_revised_counts_and_what_the_counted_did(text, lang, expected):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # Quoted words read as the words; an apostrophe stays one.
        ("The group said its fighters had killed 'more than 30 apostate soldiers' in the attack.", [(30, "killed")]),
        ("The army said it had 'neutralised' 12 terrorists in the operation near the border.", [(12, "killed")]),
        # A force that lost its men lost them dead; "all" and "of them" keep the verb's event.
        ("Mali's army said it had lost 14 men in the attack.", [(14, "killed")]),
        ("Armed men stopped the bus, shot dead nine of them and fled.", [(9, "killed")]),
        ("Somali forces ended the siege, killing all six al-Shabaab gunmen.", [(6, "killed")]),
        # Members of any group are people where a verb says what happened to them.
        ("Troops killed at least six members of the group in a raid, the army said.", [(6, "killed")]),
        # A toll where the text speaks of the dead is of the dead.
        ("Gunmen killed nine people. The toll rose to 12 on Sunday after the wounded died.", [(9, "killed"), (12, "killed")]),
    ],
)
def test_quotes_losses_and_members(text, expected):
    assert [(f.value, f.category) for f in extract_figures(text, "en")] == expected


def test_a_plural_possessive_is_no_quote():
    text = "The war museum reopened. Its 140 objects include soldiers' letters and a field telephone."
    assert extract_figures(text, "en") == []


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        # A fact box's label names what its number counts, by its event or its noun.
        ("SUDAN'S WAR: KEY FIGURES\nDeaths in Sudan since fighting broke out: at least 28,700.\n"
         "Displaced inside Sudan: more than 8.8 million people.\nFled abroad: about 3.2 million.", "en",
         [(28700, "killed"), (8800000, "refugees"), (3200000, "refugees")]),
        ("DER KRIEG IN ZAHLEN\nVerschleppte Geiseln: 251\nIm Gazastreifen gefallene israelische Soldaten: mehr als 460\n"
         "Dauer: knapp 20 Jahre\nKosten: mehr als 12 Milliarden Euro", "de", [(251, "captured"), (460, "killed")]),
        ("El Fasher nach dem Angriff – Tote: mindestens 21, Zahl der Verletzten: mehr als 60.", "de",
         [(21, "killed"), (60, "wounded")]),
        # A correction's wrong figure is no figure.
        ("Korrektur: In einer früheren Version dieses Artikels hieß es, bei dem Busunglück seien vier Menschen ums Leben "
         "gekommen. Tatsächlich starben zwei Menschen.", "de", [(2, "killed")]),
        # People at sea in a text about crossings are migrants.
        ("Beim Versuch, den Ärmelkanal zu überqueren, starben fünf Menschen. Mehr als 110 Personen waren an Bord; "
         "49 von ihnen wurden gerettet.", "de", [(5, "killed"), (110, "refugees"), (49, "refugees")]),
        # The wounded who died are dead.
        ("Bei dem Angriff in Charkiw starben 16 Menschen; drei Schwerverletzte seien in der Nacht im Krankenhaus gestorben.",
         "de", [(16, "killed"), (3, "killed")]),
        # "the evacuation of British nationals" names its own object.
        ("Britain will deploy 700 additional troops to Cyprus to prepare for a possible evacuation of British nationals "
         "from Lebanon, where fighting has killed 500 people.", "en", [(700, "troops"), (500, "killed")]),
        ("Fourteen suspects aged between 22 and 58 were arrested after the attack, police said.", "en", [(14, "captured")]),
    ],
)
def test_fact_boxes_corrections_and_who_it_happened_to(text, lang, expected):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == expected


def test_a_drone_show_is_no_attack():
    text = ("Statt mit Raketen und Böllern hat die Stadt das neue Jahr mit einer Drohnenshow begrüsst. 1'200 beleuchtete "
            "Drohnen formten Figuren, wie die Veranstalter mitteilten. Rund 150'000 Menschen verfolgten das Spektakel. "
            "Die Show kostete rund 400'000 Franken.")
    assert extract_figures(text, "de") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("About 80,000 U.S. troops are in Europe, according to U.S. European Command, up from 65,000.",
         ["About 80,000 U.S. troops are in Europe, according to U.S. European Command, up from 65,000."]),
        ("He moved to the U.S. The company followed.", ["He moved to the U.S.", "The company followed."]),
    ],
)
def test_a_dotted_name_goes_on_into_the_name_it_starts(text, expected):
    assert [s.text for s in sentences(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Nach der Schlägerei wurden zwei Passanten leicht verletzt, teilte die Polizei mit.", [(2, "wounded")]),
        ("Beim ersten Flug waren 28 Afghanen nach Afghanistan zurückgebracht worden.", [(28, "refugees")]),
        ("Nach Angaben von Pro Asyl leben in Deutschland rund 11.500 ausreisepflichtige Afghanen.", [(11500, "refugees")]),
        ("In der Nacht seien 45 ukrainische Drohnen abgefangen worden, davon 17 über dem Gebiet Brjansk.",
         [(45, "weapons"), (17, "weapons")]),
        ("Russland und die Ukraine tauschen je 150 Soldaten aus, teilte das Ministerium mit.", [(150, "captured")]),
    ],
)
def test_german_passers_by_deportees_parts_and_exchanges(text, expected):
    assert [(f.value, f.category) for f in extract_figures(text, "de")] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # Past a relative clause, the main clause's event; a list of verbs ending in death.
        ("In April 1994, some 10,000 people who had sought refuge there were shot, hacked or burned to death.",
         [(10000, "killed")]),
        ("At least 40 people who were killed in the strike were buried on Sunday.", [(40, "killed")]),
        # A part with a predicate of its own keeps its whole's event, not the next part's.
        ("Of the 251 people abducted in the attack, 48 were still being held in Gaza. Officials believe 20 of them "
         "are alive and 28 dead.", [(251, "captured"), (48, "captured"), (20, "captured"), (28, "killed")]),
        # A breakdown between dashes shares its whole's event.
        ("Ukraine said 390 of its citizens — 307 soldiers and 83 civilians — came home in the swap.",
         [(390, "captured"), (307, "captured"), (83, "captured")]),
    ],
)
def test_main_clauses_breakdowns_and_states(text, expected):
    assert [(f.value, f.category) for f in extract_figures(text, "en")] == expected


@pytest.mark.parametrize(
    "text, lang, source",
    [
        ("Iran Human Rights, a group based in Oslo, said security forces had killed at least 14 protesters.", "en",
         "Iran Human Rights"),
        ("Interior Minister Ihor Klymenko, speaking in Kyiv, said Russia had dropped more than 3,200 glide bombs.", "en",
         "Klymenko"),
        ("In Deutschland leben nach Zahlen des Bundesinnenministeriums knapp 975.000 syrische Schutzsuchende.", "de",
         "Bundesinnenministerium"),
        ("Russland setzt nach Nato-Schätzungen rund 600.000 Soldaten in der Ukraine ein.", "de", "Nato"),
    ],
)
def test_sources_past_an_apposition_and_by_their_numbers(text, lang, source):
    found = [f.attribution for f in extract_figures(text, lang)]
    assert len(found) == 1 and same_attribution(source, found[0]), found


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        # Aircraft are weapons where a security service flies them, not a rescue's.
        ("The Indian Air Force deployed two Mi-17 helicopters to Bharmour after the floods killed nine people.", "en",
         [(2, "weapons"), (9, "killed")]),
        ("Nach dem Unfall mit 19 Verletzten landeten zwei Rettungshubschrauber auf der Autobahn.", "de", [(19, "wounded")]),
        # In an outbreak, those taken to hospital are cases.
        ("Measles cases in Texas rose to 481. Fifty-six patients have been hospitalized since January.", "en", []),
        # An age closes a sentence too.
        ("The two men who died were named as Liam Barker, 19, and Connor Hughes, 22. Police said three were injured.",
         "en", [(2, "killed"), (3, "wounded")]),
        ("Unter den Toten seien vier Pflegekräfte, sagte der Minister.", "de", [(4, "killed")]),
        ("At least 26 people died after a passenger boat capsized. The boat was carrying more than 60 passengers.",
         "en", [(26, "killed"), (60, "civilians")]),
    ],
)
def test_service_craft_outbreaks_and_ages(text, lang, expected):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == expected


def test_a_match_report_with_injured_regulars_states_no_figure():
    text = ("Bayern überrollt Dortmund im Klassiker. Vor 75.000 Zuschauern in der ausverkauften Arena traf der "
            "Neuzugang nach 90 Sekunden, danach rollte Angriff um Angriff auf das Tor. Der BVB, der auf fünf verletzte "
            "Stammspieler verzichten musste, liegt nun elf Punkte hinter dem Tabellenführer.")
    assert extract_figures(text, "de") == []


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        # A part of the next count shares its event; a whole named before the number with a comma.
        ("The minister said 52 police officers were among about 400 people injured in the protests.", "en",
         [(52, "wounded"), (400, "wounded")]),
        ("At least 32 people were killed and 51 injured in the floods. Of the dead, 19 were from Swat district.", "en",
         [(32, "killed"), (51, "wounded"), (19, "killed")]),
        # German: an army that lost its soldiers lost them dead, the verb at the end.
        ("Die Armee hat seither mehr als 900 Soldaten verloren, über 450 davon bei den Kämpfen im Gazastreifen.", "de",
         [(900, "killed"), (450, "killed")]),
        # "N of which", a count's own "reported", a dotted force between number and noun, a capacity.
        ("Russia launched 87 drones at Ukraine overnight, 61 of which were shot down, the air force said.", "en",
         [(87, "weapons"), (61, "weapons")]),
        ("The toll from the assault has risen to 112 dead, up from 74 reported on Sunday.", "en",
         [(112, "killed"), (74, "killed")]),
        ("The Pentagon will send about 1,500 more U.S. troops to Lithuania over the coming weeks.", "en",
         [(1500, "troops")]),
        ("More than 1,100 migrants have landed since Monday, straining a reception center built for 400.", "en",
         [(1100, "refugees")]),
    ],
)
def test_parts_wholes_losses_and_capacities(text, lang, expected):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == expected


@pytest.mark.parametrize(
    "text, lang, location, context",
    [
        # A place named only in another sentence is the figure's context, not its place.
        ("A missile hit an apartment block in Kharkiv on Tuesday. Nine people were killed, the governor said.", "en",
         "", "Kharkiv"),
        ("Bei Ausschreitungen in Leipzig wurden 27 Personen festgenommen. Nach Polizeiangaben wurden 14 Beamte "
         "verletzt.", "de", "", "Leipzig"),
        # Unless its sentence points back to it: a place noun with an article and no name after it, or the country.
        ("11,300 killed in Derna floods. More than 10,000 people are still missing in the eastern Libyan city.", "en",
         "Derna", ""),
        ("Im Bezirk Reasi wurde ein Bus angegriffen. Die Armee verlegte daraufhin 250 zusätzliche Soldaten in den Bezirk.",
         "de", "Reasi", ""),
        ("Police fired tear gas at protesters in Nairobi. Amnesty said at least 16 people were killed nationwide.", "en",
         "Kenya", ""),
        ("Bei Kämpfen in Port-au-Prince starben 4.200 Menschen. Die Zahl der Binnenvertriebenen im Land stieg auf "
         "eine Million.", "de", "Haiti", ""),
        ("Fighting raged in Goma. The police investigated 10 shootings, including five deaths, across the city.", "en",
         "Goma", ""),
        # "in the city of Goma", "in der Provinz Idlib" name their place.
        ("In the city of Goma, 13 soldiers were killed.", "en", "Goma", ""),
        ("In der Provinz Idlib wurden 13 Menschen getötet.", "de", "Idlib", ""),
        # A place that counts what befell it is where; a place in the speaker's name is not.
        ("Spain has so far seen more than 28,000 coronavirus deaths.", "en", "Spain", ""),
        ("Nach Angaben des Polizeipräsidiums Stuttgart wurden auf dem Wasen 41 Personen festgenommen.", "de", "", ""),
        # "St." for "Sankt"; a month's abbreviation does not end the sentence.
        ("In St. Ingbert sind rund 350 Menschen in Notunterkünften untergebracht.", "de", "Sankt Ingbert", ""),
        ("More than 44,000 people were killed in Turkey by the Feb. 6 earthquake, and about 1.5 million were displaced.",
         "en", "Turkey", ""),
    ],
)
def test_a_figure_has_the_place_its_own_sentence_names_and_the_text_before_as_context(text, lang, location, context):
    last = extract_figures(text, lang)[-1]
    assert (last.location, last.context_location) == (location, context)
    assert last.series_location == (location or context)


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("Floods forced a quarter of a million residents from their homes in Sindh province.", "en",
         [(250_000, "refugees")]),
        ("Die Flut hat eine Viertelmillion Menschen vertrieben.", "de", [(250_000, "refugees")]),
        # "Tsd." does not end the sentence; an aside between dashes does not end the clause.
        ("Bei dem Erdbeben starben mehr als 1'400 Menschen, rund 3 Tsd. Menschen wurden verletzt, teilte ein Sprecher mit.",
         "de", [(1400, "killed"), (3000, "wounded")]),
        ("Knapp 25 Mio. Menschen im Sudan – rund die Hälfte der Bevölkerung – sind auf humanitäre Hilfe angewiesen.",
         "de", [(25_000_000, "civilians")]),
        # Roads, rates, crowds and cases are no figures; "age" is a word, not the end of "Feiertage".
        ("Zwei Tote, drei Schwerverletzte: Frontalcrash auf der B 27 bei Tübingen.", "de", [(2, "killed"), (3, "wounded")]),
        ("Sachsen-Anhalt lag mit 58 Getöteten je eine Million Einwohner vorn.", "de", []),
        ("Police arrested 1,200 people. Organisers claimed crowds of 100,000 in Nairobi.", "en", [(1200, "captured")]),
        ("Fighting has displaced 400,000 people, and cholera cases in the camps had tripled to 2,100 in a month.", "en",
         [(400_000, "refugees")]),
        ("Auf dem Wasen wurden während der Feiertage 41 Personen vorläufig festgenommen.", "de", [(41, "captured")]),
        # A noun before "und" and a number is counted apart; a time span after a bare number is no noun.
        ("Das Ministerium meldet 1.200 Einsätze und zwei Verletzte.", "de", [(2, "wounded")]),
        ("Strikes on Kharkiv killed 14 people and injured 92 over the same seven days.", "en",
         [(14, "killed"), (92, "wounded")]),
    ],
)
def test_number_forms_asides_and_counts_that_are_no_figures(text, lang, expected):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == expected


def test_a_live_tickers_entries_are_sentences():
    text = ("+++ 6.05 Uhr: In Bamberg durchsuchen rund 850 Polizisten 31 Objekte. +++ 9.45 Uhr: In Saalfeld "
            "sollen die Beamten 17 Schusswaffen gefunden haben. +++")
    assert [(f.value, f.location) for f in extract_figures(text, "de")] == [(850, "Bamberg"), (17, "Saalfeld")]


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        # More of the same after the verb; a place's residents; a ranking's count after "with".
        ("The strike killed a further 30 people.", "en", [(30, "killed", "")]),
        ("Iran expelled a further 1.5 million Afghans last year.", "en", [(1_500_000, "refugees", "")]),
        ("Between 150 and 200 residents of Treorchy spent the night in emergency shelters.", "en",
         [(175, "refugees", "Treorchy")]),
        ("Sudan recorded the most deaths, with 2,470, the World Health Organization said.", "en",
         [(2470, "killed", "Sudan")]),
        # People nouns: the accused, lads, seafarers; "zum Teil" between number and noun; a rate is no count.
        ("Nach Angaben der Bundesanwaltschaft wurden in Rehau vier Beschuldigte festgenommen.", "de",
         [(4, "captured", "Rehau")]),
        ("Bei einer Schlägerei in Wien wurden drei Burschen verletzt, teilte die Polizei mit.", "de",
         [(3, "wounded", "Vienna")]),
        ("The attacks in the Red Sea sank four merchant vessels and killed nine seafarers.", "en", [(9, "killed", "Red Sea")]),
        ("In dem Haus gibt es zudem 14 zum Teil Schwerverletzte und zwei Vermisste.", "de",
         [(14, "wounded", ""), (2, "missing", "")]),
        ("Im vergangenen Jahr starben 2.770 Menschen im Straßenverkehr. Die meisten Verkehrstoten gab es mit 412 in "
         "Hamburg, Sachsen-Anhalt lag mit 58 Getöteten je eine Million Einwohner vorn.", "de",
         [(2770, "killed", ""), (412, "killed", "Hamburg")]),
    ],
)
def test_more_of_the_same_residents_rankings_and_rates(text, lang, expected):
    assert [(f.value, f.category, f.location) for f in extract_figures(text, lang)] == expected


@pytest.mark.parametrize(
    "text, lang, source, force",
    [
        # An air force, a governor's office, an agency's own name after its kind; an initial ends no sentence.
        ("Russland hat die Ukraine in der Nacht nach Angaben der ukrainischen Luftwaffe mit 273 Drohnen angegriffen.",
         "de", "air force", "russia"),
        ("Russia launched 112 drones at Ukraine overnight, the Ukrainian air force said on Sunday.", "en",
         "air force", "russia"),
        ("About 100 soldiers will be sent to Sulphur to help with the recovery, the governor's office said.", "en",
         "governor's office", ""),
        ("Mindestens 30 Menschen starben, teilte die Katastrophenschutzbehörde AFAD am Abend mit.", "de", "AFAD", ""),
        ("The death toll from the landslides has climbed to 143, Kerala Revenue Minister P. Suresh said.", "en",
         "Suresh", ""),
        # The subject deploys, not its object; a group after its country's possessive is the group.
        ("Kolumbiens Regierung hat nach Gefechten mit der ELN-Guerilla 5.000 zusätzliche Soldaten verlegt.", "de",
         "", "colombia"),
        ("Yemen's Houthis launched more than 520 missiles and drones at shipping in the Red Sea.", "en", "", "houthis"),
    ],
)
def test_sources_by_kind_and_name_and_the_subject_as_owner(text, lang, source, force):
    first = extract_figures(text, lang)[0]
    assert (first.attribution, first.force) == (source, force)


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        # Durations in the plural, a range of years and a possessor are no counts; drones shot down are
        # still drones; bodies after "more"; "Kräfte" are forces; a crowd that gathered is no figure.
        ("Die UN schätzen, dass in den vergangenen zwei Wochen Zehntausende Menschen aus der Region geflohen sind.", "de",
         [((10_000, 99_999), "refugees")]),
        ("He was complicit in the torture of at least 1,200 detainees at Saydnaya between 2012 and 2014.", "en",
         [(1200, "captured")]),
        ("Russia launched 87 drones, of which 64 were shot down.", "en", [(87, "weapons"), (64, "weapons")]),
        ("Two of the mine's executives have been detained by police.", "en", []),
        ("Rescuers recovered nine more bodies on Thursday, police said.", "en", [(9, "killed")]),
        ("In Litauen sind etwa 1.700 deutsche Kräfte stationiert, teilte die Bundeswehr mit.", "de", [(1700, "troops")]),
        ("Tens of thousands of people gathered on Friday to mark 30 years since the Srebrenica massacre.", "en", []),
    ],
)
def test_durations_year_ranges_possessors_downed_drones_and_crowds(text, lang, expected):
    assert [(f.value if f.value_low == f.value_high else (f.value_low, f.value_high), f.category)
            for f in extract_figures(text, lang)] == expected


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("Four ski mountaineers were killed and one is missing after an avalanche.", "en", [(4, "killed"), (1, "missing")]),
        ("Two players were booked and one was injured in a clash of heads.", "en", []),
        ("A gas blast tore through the coal mine; 29 remained trapped underground, state television said.", "en",
         [(29, "civilians")]),
        ("Rescuers pulled 14 residents out of the debris after the building collapsed.", "en", [(14, "civilians")]),
        ("More than 6,000 residents of villages on the slopes of Mount Lewotobi in East Flores have been evacuated.",
         "en", [(6000, "refugees")]),
        ("Police said eight people had been taken into custody after the stampede.", "en", [(8, "captured")]),
        ("OCHA said 650,000 people across the country would need humanitarian assistance.", "en", [(650_000, "civilians")]),
    ],
)
def test_one_with_its_own_event_conditions_and_long_subjects(text, lang, expected):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == expected


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        # The count before at another time; its place stays its own sentence's, the earlier one is context.
        ("An der Südgrenze der USA hat die Behörde im Januar rund 29.000 Migranten registriert. Im Dezember 2023 waren "
         "es noch mehr als 300.000 gewesen.", "de",
         [(29_000, "refugees", "United States", ""), (300_000, "refugees", "", "United States")]),
        # Nationalities in "-ese" that a verb follows are people; ages in a list; a currency; artillery pieces.
        ("After the war some 200,000 Sudanese fled to Chad.", "en", [(200_000, "refugees", "Chad", "")]),
        ("Police arrested three suspects aged 14, 17 and 20 in Vienna.", "en", [(3, "captured", "Vienna", "")]),
        ("At least 12 artillery pieces were destroyed in Lashio.", "en", [(12, "weapons", "Lashio", "")]),
        ("Die Mission kostet rund CHF 50 Mio.; 800.000 Menschen waren aus dem Kosovo geflohen.", "de",
         [(800_000, "refugees", "Kosovo", "")]),
        # Apprehended migrants are captured; a "Mord an" counts the dead; Austrian and Swiss words.
        ("Border Patrol agents apprehended 6,072 migrants along the southwest border in March.", "en",
         [(6072, "captured", "", "")]),
        ("Der Prozess wegen Mordes an sechs Menschen in Colorado Springs hat begonnen.", "de",
         [(6, "killed", "Colorado Springs", "")]),
        ("Bei dem Busunglück in Lofer starben neun Pensionisten.", "de", [(9, "killed", "Lofer", "")]),
        # A region named by a bare direction is no place: "South Yorkshire".
        ("Mehr als 60 Beamte seien verletzt worden, teilte die Polizei von South Yorkshire mit.", "de",
         [(60, "wounded", "", "")]),
    ],
)
def test_counts_again_peoples_in_ese_and_words_of_the_region(text, lang, expected):
    assert [(f.value, f.category, f.location, f.context_location) for f in extract_figures(text, lang)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Beim Lawinenniedergang oberhalb von Saas-Fee sind drei Tourengänger ums Leben gekommen.", "Saas-Fee"),
        ("Beim Brand eines Mehrfamilienhauses in Wettingen AG sind zwei Bewohner ums Leben gekommen.", "Wettingen"),
        ("Rund 150 Bewohner mussten ihre Häuser verlassen; die A13 bleibt bis Mitte Juli gesperrt.", ""),
    ],
)
def test_swiss_places_and_the_middle_of_a_month(text, expected):
    assert [f.location for f in extract_figures(text, "de")][:1] == [expected]


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        # A dateline's day after a month without its dot; "gunned down"; a year after "seit" is a date.
        ("Bijapur (Chhattisgarh), Mar 14 (PTI) Security personnel gunned down as many as 11 Maoists on Friday.", "en",
         [(11, "killed")]),
        ("Ruanda, das seit 2021 Truppen in der Region stationiert hat, will 5.500 Soldaten schicken.", "de",
         [(5500, "troops")]),
        # "one" before a modifier and its noun; but "no one was injured" counts nobody.
        ("Gunmen attacked the village overnight and one security guard was killed, police said.", "en", [(1, "killed")]),
        ("No one was injured and there was no risk to the public, police said.", "en", []),
    ],
)
def test_datelines_years_since_and_one_before_a_modifier(text, lang, expected):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == expected


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        # A number heading its line labels what follows ("by the numbers").
        ("2.1 million — people displaced inside Burkina Faso, according to the government.", "en", [(2_100_000, "refugees")]),
        ("14.800: So viele Zivilisten wurden laut der UN seit 2022 in der Ukraine getötet.", "de", [(14_800, "killed")]),
        # Service aircraft in compounds, a unit's number, the dead as bodies, genitive number words.
        ("Die Schweizer Armee stellt zwei Super-Puma-Helikopter für die Löscharbeiten zur Verfügung.", "de", [(2, "weapons")]),
        ("Ab Mittwoch sollen rund 250 Bundeswehrsoldaten der Gebirgsjägerbrigade 23 beim Räumen helfen.", "de",
         [(250, "troops")]),
        ("In Memmingen fanden Einsatzkräfte die Leichen zweier Bewohner.", "de", [(2, "killed")]),
        # Told to leave is no speech; forces' members; emergency accommodation; a rest centre took people in.
        ("A wildfire raged near Carrbridge, with around 120 residents told to leave their homes.", "en", [(120, "refugees")]),
        ("Around 60 members of the Defence Forces have been deployed to Midleton after the floods.", "en", [(60, "troops")]),
        ("The council said 35 people spent Thursday night in emergency accommodation after the floods.", "en",
         [(35, "refugees")]),
        ("During the night operation, police took in 87 people for questioning.", "en", [(87, "captured")]),
        ("A rest centre at Keswick School took in 41 residents whose homes had been flooded.", "en", []),
    ],
)
def test_labelled_numbers_compounds_units_and_what_people_were_told(text, lang, expected):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == expected


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        # An epidemic's cases are no count, even with the disease between; its deaths are.
        ("Yemen has recorded more than 249,000 suspected cholera cases and 861 associated deaths this year.", "en",
         [(861, "killed")]),
        # Holding people is holding them captive; "one more" with its own event.
        ("The Houthis are holding at least 23 UN personnel, Secretary-General António Guterres said.", "en",
         [(23, "captured")]),
        ("Two men were shot dead in Rinkeby on Sunday and one more was seriously injured, police said.", "en",
         [(2, "killed"), (1, "wounded")]),
        # A streaming drama about a historical uprising states no figure.
        ("Netflix's prison drama, based on the 1971 Attica uprising in which 43 people died, drew 21.4 million viewers "
         "in its first week, the streamer said. The eight-episode series topped the platform's chart in 71 countries.",
         "en", []),
    ],
)
def test_cases_holding_one_more_and_a_streaming_drama(text, lang, expected):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sudanese lawyers said the RSF stormed the camp, killing anywhere from 100 to 300 people.", [((100, 300), "killed")]),
        ("In Saada, 1.2 million people depend on food aid, the UN said.", [(1_200_000, "civilians")]),
        ("More than 280 UN staff have been killed in Gaza since October 2023, OCHA said.", [(280, "killed")]),
        ("At least 1,000 children in Gaza have lost one or both legs, UNICEF said.", [(1000, "wounded")]),
    ],
)
def test_humanitarian_reports_ranges_staff_and_amputations(text, expected):
    assert [(f.value if f.value_low == f.value_high else (f.value_low, f.value_high), f.category)
            for f in extract_figures(text, "en")] == expected


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("One Polish soldier was lightly injured when a drone struck the border post.", "en", [(1, "wounded")]),
        ("Die Menschenrechtsgruppe Hengaw meldete bis zu 1.000 Festnahmen in den Kurdengebieten.", "de", [(1000, "captured")]),
        ("Nach UN-Angaben befinden sich mindestens 59 Helfer in der Gewalt der Huthi-Miliz.", "de", [(59, "captured")]),
        ("Die Polizei ließ drei Verantwortliche festnehmen.", "de", [(3, "captured")]),
    ],
)
def test_one_before_a_nationality_arrests_and_those_held(text, lang, expected):
    assert [(f.value, f.category) for f in extract_figures(text, lang)] == expected
