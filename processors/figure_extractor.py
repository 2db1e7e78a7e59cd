"""Figures from German and English news text: value, range, hedge, what is counted, whose, where,
who says, whether it is reported, expected or possible, and how sure the reading is. Pure: text in,
figures out; it never raises on content.

A number is a figure when it counts people or weapons: a counted noun follows it ("11.000
nordkoreanische Soldaten", "750 U.S. soldiers"), an event word stands in for the noun ("26 killed",
"killing 26", "N Tote"), the noun stands before it ("die Zahl der Flüchtlinge ... auf 90.000"), or it
continues the figure before it ("..., von denen etwa 8.000 in der Region Kursk"). Words are compared
as lemmas from the vocabulary in ``data/figure_vocabulary.yaml``; places come from the packaged
gazetteer (``place_gazetteer``), forces from the force table (``force_table``). A count of people to
whom nothing happened (troops deployed, civilians affected) is a figure only in a text about
conflict, disaster or displacement: a game review's soldiers or a club's fans are not.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable, Collection, Iterator

import simplemma
import wordfreq
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache, partial

from processors import figure_lexicon as lex
from processors.figure_lexicon import counted_category, event_category, lemma
from processors.force_table import ForceMention, armed_groups, find_forces
from processors.numbers import NumberMention, find_numbers
from processors.place_gazetteer import CALENDAR_WORDS, GAZETTEER_VERSION, PlaceMention, country_name, find_places
from processors.sentences import Sentence, sentences

EXTRACTOR_VERSION = f"figures-2026.12.07+v{lex.VOCABULARY_VERSION}+g{GAZETTEER_VERSION}"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExtractedFigure:
    value: float
    value_low: float
    value_high: float
    qualifier: str  # exact, approx, nearly, more_than, up_to, at_least
    status: str  # reported, expected, possible
    category: str  # troops, civilians, refugees, killed, wounded, captured, missing, weapons
    counted: str  # the counted noun as written ("" where the text implies it: "26 killed")
    force: str
    location: str
    attribution: str
    sentence: str
    span_start: int
    span_end: int
    mentions: int = 1
    vague: bool = False
    confidence: float = 0.5
    # Where the figure's own sentence names no place: the place the text named last before it. Not the
    # figure's place as a reader gives it ("Nine were killed." names none), but the best anchor for its series.
    context_location: str = ""

    @property
    def series_location(self) -> str:
        """Where the figure is counted for its series and alerts: its own place, else its context's."""
        return self.location or self.context_location


_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d[\d.,]*|[^\w\s]")
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]]|\s[–—-]\s|[„“”\"«»]")
_ABBREVIATION_IN_BRACKETS = re.compile(r"\([A-Z][A-Za-z]{1,7}\)")
_QUOTES = frozenset("„“”\"«»")
_SHORT_QUOTED = re.compile(r"[^\W\d_][\w'’-]*(?:\s[^\W\d_][\w'’-]*)?[„“”\"«»]")  # neutralisiert“
_SHORT_QUOTED_BEFORE = re.compile(r"[„“”\"«»][^\W\d_][\w'’-]*(?:\s[^\W\d_][\w'’-]*)?$")  # „neutralisiert
_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{2,4}|\d{1,2}:\d{2}|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}")
# Words between a number and its noun that say nothing about what is counted.
_MODIFIERS = {
    "more", "mehr", "weitere", "weiteren", "additional", "zusätzliche", "zusätzlichen", "new", "neue", "neuen",
    "other", "andere", "anderen", "further", "extra", "of", "all", "alle", "insgesamt", "total", "some", "rund",
    "armed", "unarmed", "bewaffnete", "bewaffneten", "unbewaffnete", "innocent", "young", "junge", "jungen", "foreign",
    "ausländische", "ausländischen", "local", "lokale", "einheimische", "u.s", "us", "un", "elite", "regular", "reguläre",
    "teils", "teilweise", "zumeist", "meist", "überwiegend", "mostly", "partly", "largely", "mainly",
    "navy", "naval", "military", "air", "army", "coast", "prison",
}
# Right after a number these end the search for its noun.
_STOP_WORDS = {
    "in", "im", "auf", "an", "am", "bei", "nach", "von", "vom", "zu", "zur", "zum", "und", "oder", "sowie", "seien",
    "sind", "waren", "wurden", "werden", "haben", "hatten", "the", "to", "at", "on", "and", "or", "were", "are", "is",
    "was", "have", "had", "from", "with", "by", "for", "für", "mit", "als", "than", "as", "der", "die", "das", "den",
    "dem", "des", "ein", "eine", "a", "this", "that", "dass", "which", "who", "near", "nahe", "across",
    "during", "after", "before", "since", "while", "when", "während", "seit", "über", "gegen", "durch",
    "over", "throughout", "within", "amid", "until", "innerhalb", "binnen", "bis",
}
# A count of forces the subject of these verbs owns: "Russland hat 3.000 Soldaten nach Kursk verlegt".
_DEPLOY_VERBS = {
    "entsenden", "schicken", "verlegen", "stationieren", "zusammenziehen", "versammeln", "mobilisieren", "abziehen",
    "einsetzen", "haben", "verfügen", "deploy", "send", "station", "mass", "amass", "withdraw", "mobilize", "mobilise",
    "gather", "have", "pull", "move", "dispatch", "commit", "field", "muster", "bring", "feuern", "abfeuern",
    "abschießen", "schießen", "starten", "fire", "launch", "shoot",
}
_SEPARABLE_PARTICLES = {"fest", "um", "ab", "an", "auf", "aus", "ein", "mit", "zurück", "weg", "fort", "hin", "los"}
# "Another 1,500 would follow", "Weitere 1.500 sollen folgen": more of what the sentence before counted.
# Words before a number that count more of the same: "another 300", "a further 30", "weitere 1.500".
_MORE_PHRASES = ("a further", "an additional", "another", "further", "additional", "weitere", "weiteren", "zusätzliche",
                 "zusätzlichen")
_MORE_BEFORE = re.compile(r"\b(?:" + "|".join(_MORE_PHRASES) + r")\s+(?:(?:some|about|rund|etwa)\s+)?$")
_BEEN = {"gewesen", "geworden", "been"}
# The count before at another time: "Im Dezember 2023 waren es noch mehr als 300.000 gewesen".
_SAME_COUNT_AGAIN = re.compile(r"\b(?:waren|sind|seien|wären|werden|wurden)\s+es\s+(?:[^\W\d_]+\s+){0,3}$")
_MORE = {"more", "others", "further", "additional", "weitere", "weiteren", "andere", "mehr"}
_ADVERBS = {"derzeit", "bereits", "noch", "allein", "schon", "inzwischen", "mittlerweile", "currently", "already",
            "still", "alone", "now", "so", "far", "more", "mehr", "weitere", "zuvor", "vorher", "previously", "earlier"}
_GERMAN_DETERMINERS = {
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines", "sein", "seine",
    "seinem", "seinen", "seiner", "ihr", "ihre", "ihrem", "ihren", "ihrer", "am", "im", "vom", "zum", "zur", "beim",
    "dieser", "diese", "diesem", "diesen", "jener", "mehrere", "einige", "viele", "neuen", "neue", "laut",
}
# Between a possessor and its number: "Russia's some 3,000 troops", "Israels 300 Panzer".
_POSSESSIVE = re.compile(r"(?P<mark>'s|’s|s)?(?P<rest>[\w ]{0,30})")
_OPPONENT = re.compile(r"(?:anti|gegen|against)[-\s]$", re.I)
# Characters within which one value of one kind, stated twice, is one figure whatever places it names.
_RESTATED_WITHIN = 400
_SEAT = re.compile(r"\s+(?:in|im|aus|from|at)\s+(?:der|dem|the\s+)?[A-ZÄÖÜ][\w'’.-]+")
_POSSESSIVE_PRONOUNS = {"seiner", "seine", "seinen", "ihrer", "ihre", "ihren", "its", "their", "his", "her"}
_SIDE = re.compile(r"(?:auf|on)\s+(?:der\s+|the\s+)?(?P<owner>[^\W\d_]+)\s+(?:Seite|side)\b", re.I)
# A clause that is the object of the one before it: "..., dass ...", "..., 47 getötet zu haben", "..., that ...".
# Claiming to have done it: "claimed on its radio station to have killed 47", "behauptete, 15 gefangen genommen zu haben".
_CLAIMED = re.compile(r"\bclaim\w*\b.{0,50}\bto have\b|\bbehauptet\w*\b.{0,120}\bzu haben\b")
_DEPENDENT_CLAUSE = {
    "de": re.compile(r"^\s*(?:dass|wonach|womit)\b|\bzu\s+(?:haben|sein|werden|\w+en)\W*$"),
    "en": re.compile(r"^\s*(?:that|to)\b"),
}
_COORDINATED = re.compile(r"^[^,;.]{0,40}\s(?:und|and|sowie|as well as)\s+[^,;.]{0,20}$")
# "The Pentagon said it will deploy", "Kenyan President Ruto said his country would send": the speaker acts.
_SPEAKER_IS_SUBJECT = re.compile(r"\s+\w+,?\s+(?:that\s+|dass\s+)?(?:it|they|he|she|his|her|its|their|er|sie|es|sein|seine|ihr|ihre)\b")
_AND_OR = {"and", "or", "und", "oder"}
_AND_OR_AFTER = re.compile(r"\s+(?:and|or|und|oder)\s+[^\W\d]")
_PARTITIVE = re.compile(r"\s*(?:of (?:whom|which|them|those)|davon|von (?:ihnen|denen))\b")
_NAME_JOINERS = {"of", "for", "and", "für", "der", "des", "de", "du"}
_RANKS = {"lt.", "col.", "gen.", "maj.", "capt.", "sgt.", "dr.", "prof.", "lt", "col", "gen", "maj"}
_NAME_PARTICLE = re.compile(r"^(?:al|el|bin|ibn|abu)-[A-Z]")
_SPEAKING = {"äußerte", "says", "said", "claims", "claimed", "sagte", "meldete", "erklärte"}
_MODALS = {"could", "would", "will", "may", "might", "must", "should", "can", "had", "have",
           "sollen", "soll", "werden", "wird", "könnten", "könnte", "dürften", "würden", "wollen"}
_AUXILIARIES = {"were", "was", "are", "is", "have", "has", "had", "been", "being", "remain", "remained", "remains",
                "still", "wurden", "waren", "sind", "seien", "bleiben", "blieben",
                "werden", "wurde", "haben", "hatten", "worden"}
# Characters after the counted noun within which its event stands: German puts the verb at the end.
_EVENT_REACH = {"de": 110, "en": 70}
_OF_PHRASE = re.compile(r"\s+(?:of|from)\s")
_OF_PHRASE_REACH = 40
_LINK_WORDS = {word for link in lex.PARENT_LINKS + lex.SUBSET_WORDS for word in link.split()} | {"auf", "to", "bis"}
_TOLD = {"told", "tells"}
# Source words that govern a bare plural or an institution ("laut Behörden", "laut Polizei"), not a subject.
_PREPOSITION_SOURCES = {"laut", "zufolge", "angaben"}
_UNNAMED_PLACE = re.compile(
    r"\b(?:" + "|".join(map(re.escape, lex.UNNAMED_PLACE)) + r"|(?:the|der|die|den|dem|des|im|ins)\s+(?:[^\W\d_]+\s+){0,2}?"
    + r"(?P<noun>" + "|".join(map(re.escape, (*lex.UNNAMED_PLACE_NOUNS, *lex.UNNAMED_COUNTRY))) + r"))\b"
)
_NAMED_AFTER = 4  # how far after "in the city" its name may start: " of ", " von "
_WORLDWIDE = re.compile(r"\b(?:" + "|".join(map(re.escape, lex.WORLDWIDE)) + r")\b")
# How far from the number and its noun a word of worldwide scope still speaks of the figure.
_WORLDWIDE_REACH = 30
_PRONOUN_SPEAKERS = {"er", "sie", "he", "she", "they", "it", "es", "der sprecher", "the spokesman"}
_CONFLICT_MINIMUM = 1
# A word that says outright what kind of text this is ("review", "gameplay") outweighs several war words in it.
_MARKER_WEIGHT = 3  # context words a text needs before counts without an event are figures
_CLEARLY_OTHER = 3  # how many more words of another domain than of conflict make a text clearly of it


def extract_figures(text: str, lang: str = "de") -> list[ExtractedFigure]:
    """Every figure the text states, each once with its mentions counted."""
    lang = "en" if lang.lower().startswith("en") else "de"
    domain = _text_domain(text, lang)
    migration, epidemic = _topics(text)
    found: list[ExtractedFigure] = []
    read = sentences(text)

    @lru_cache(maxsize=None)
    def place_of(position: int) -> PlaceMention | None:
        """The most specific place sentence ``position`` names, read once per text."""
        sentence = read[position].text
        return _most_specific_place(figure_places(sentence, lang, _speaker(sentence, lang)[1]), sentence.lower())

    @lru_cache(maxsize=None)
    def place_before(position: int) -> PlaceMention | None:
        """The place of the nearest earlier sentence that names one (for "in der Region", "there")."""
        return next((p for i in range(position - 1, max(-1, position - 9), -1) if (p := place_of(i))), None)

    @lru_cache(maxsize=None)
    def speaker_before(position: int) -> str:
        """The source the nearest of the three sentences before names ("He said", "the agency said")."""
        return next((s for i in range(position - 1, max(-1, position - 4), -1)
                     if (s := _speaker(read[i].text, lang)[0]) and s not in _PRONOUN_SPEAKERS), "")

    for position, sentence in enumerate(read):
        mentions = _mentions(sentence.text, lang)
        if not mentions or any(hint in sentence.text for hint in _RETRACTION_HINTS) and _RETRACTED.search(sentence.text):
            continue  # a correction's wrong figure: "In einer früheren Version ... hieß es, ... vier Tote"
        if _title_case(sentence.text, lang):
            sentence = Sentence(sentence.start, _detitled(sentence.text, lang))
        speaker, speaker_span = _speaker(sentence.text, lang)
        if speaker in _PRONOUN_SPEAKERS or not speaker and (
            position and read[position - 1].text.rstrip().endswith(":") or _refers_back(sentence.text, lang)
        ):
            speaker = speaker_before(position)
        # German indirect speech goes on from the sentence before, in the clauses it is in: "Unter den Toten
        # seien zwei Kämpfer", not "in Haifa wurden drei Menschen verletzt" after it.
        reported_by = (speaker_before(position)
                       if not speaker and lang == "de" and _REPORTED_SPEECH.search(sentence.text.lower()) else "")
        if not speaker and position + 1 < len(read) and _POINTS_BACK.match(read[position + 1].text):
            speaker = _speaker(read[position + 1].text, lang)[0]  # "... stationieren. Das kündigte Pistorius an."
        if (unquoted := _without_quote_marks(sentence.text)) != sentence.text:
            # Quoted words read as the words: killed 'more than 30 apostate soldiers', "dozens" of jets.
            sentence = Sentence(sentence.start, unquoted)
        reading = _SentenceReading(sentence, lang, mentions, speaker_span, domain, migration, epidemic)
        earlier = partial(place_before, position)  # read only when a figure points back
        # "About 3,000 more": a count of more of what the sentence before counted.
        carried = found[-1] if found and _within_sentences(read, found[-1].span_start, position, 2) else None
        in_sentence: list[ExtractedFigure] = []
        for index in range(len(mentions)):
            figure = reading.figure(index, in_sentence, earlier, "" if speaker in _PRONOUN_SPEAKERS else speaker, carried,
                                    reported_by)
            if figure:
                in_sentence.append(figure)
        if sentence is not read[position]:  # a figure shows the headline as written
            in_sentence = [replace(f, sentence=" ".join(read[position].text.split())) for f in in_sentence]
        found.extend(in_sentence)
    figures = _merged(found)
    return _without_restated_headline(figures, read, text) if len(read) > 1 else figures






# A German compound counts as context, or as another domain, by a part of five letters or more:
# "Kriegsbeginn", "Luftangriffen"; "Spielmechanik".
_CONTEXT_PART = re.compile("|".join(sorted((re.escape(w) for w in lex.VOCABULARIES["de"].context if len(w) >= 5), key=len, reverse=True)))


# A sentence that says who said the one before it: "Das teilte die Polizei mit", "This was announced by ...".
_POINTS_BACK = re.compile(r"\s*(?:Das|Dies|This|That)\s+(?!\w+\s+(?:ist|war|sind|is|was|are)\b)", re.I)
# English "one" before a counted noun is a numeral (the article is "a"): "One man was killed".
_ONE_WITH_EVENT = re.compile(r"\b(?:and|but|while)\s+(one)\s+(?:more\s+)?(?:is|was|has been|had been|remains|remained)\s+"
                             r"(?:still\s+|seriously\s+|critically\s+|badly\s+)?([a-z]+)")
_ONE_BEFORE_NOUN = re.compile(r"\b[Oo]ne\s+(?=([^\W\d_][\w-]*)(?:\s+([^\W\d_][\w-]*))?)")


def _title_case(sentence: str, lang: str) -> bool:
    """An English headline in title case ("2 Indian Army Soldiers Killed In Pakistani Firing"), where a
    capital marks no name."""
    if lang != "en":
        return False
    words = _LONG_WORD.findall(sentence)
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.8 * len(words) and not sentence.isupper()


def _detitled(sentence: str, lang: str) -> str:
    """A title-case headline with the words of the figure vocabulary and the commonest words in lowercase,
    names, places and forces as written (each word keeps its length, so offsets hold)."""
    kept = [(f.start, f.end) for f in find_forces(sentence, lang)] + [(p.start, p.end) for p in find_places(sentence, lang)]

    def lowered(word: re.Match[str]) -> str:
        written, low = word.group(), word.group().lower()
        if len(low) != len(written) or any(s <= word.start() < e for s, e in kept):
            return written
        common = low in _COMMON_WORDS or counted_category(written, lang) or event_category(written, lang)
        return low if common or low in lex.VOCABULARIES[lang].speech else written

    return _WORD.sub(lowered, sentence)


_LONG_WORD = re.compile(r"[^\W\d_]{4,}")
_COMMON_WORDS = frozenset(wordfreq.top_n_list("en", 1000)) | {w for hedge, _ in lex.HEDGES for w in hedge.split()}


# A sentence without a source of its own that points back to one named before: "Weitere 31 wurden demnach
# verletzt", "teilte die Behörde weiter mit", "the agency said", "The report says".
_REFERRING = {
    "de": re.compile(r"\b(?:die|der|das|den|dem|des)\s+(?:[\w-]+\s+){0,3}?[\w-]*(?:"
                     + "|".join(lex.REFERRING_SOURCES["de"]) + r")(?:e?s|e?n)?\b", re.I),
    "en": re.compile(r"\b(?:the|this|that|its|their)\s+(?:[\w.-]+\s+){0,3}?(?:"
                     + "|".join(lex.REFERRING_SOURCES["en"]) + r")\b", re.I),
}


def _refers_back(sentence: str, lang: str) -> bool:
    lowered = sentence.lower()
    if lang == "de" and "demnach" in lowered:
        return True
    return _has_speech(lowered, lang) and bool(_REFERRING[lang].search(sentence))


_REPORTED_SPEECH = re.compile(r"\b(?:sei|seien|habe|hätten)\b")


def _modifies_a_plural(word: str, following: str, mention: NumberMention, lang: str) -> bool:
    """Whether an English counted noun in the singular after a number above one stands before the plural
    noun that is counted ("40 militant targets", "12 police stations"): that noun is no person nor weapon.
    A name stays a name: "20 Eurofighter jets"."""
    return (lang == "en" and mention.high > 1 and word.islower() and not word.endswith("s")
            and following.islower() and len(following) > 3 and following.endswith("s") and not following.endswith("ss")
            and following not in _COMMON_WORDS)


def _in_designation(text: str, mention: NumberMention, lang: str) -> bool:
    """Digits inside a model's or a unit's name count nothing: "F-16", "T-72", "Leopard 2A6", "Su-25", and
    a digit after a name before the weapons it names ("14 Challenger 2 tanks")."""
    before = text[max(0, mention.start - 2) : mention.start]
    after = text[mention.end : mention.end + 1]
    if (text[mention.start].isdigit() and bool(re.search(r"[^\W\d_]-?$", before))) or (
            text[mention.end - 1].isdigit() and after.isalpha()):
        return True
    if not (mention.end - mention.start == 1 and _after_a_name(text, mention.start)):
        return False
    following = [m.group() for m in itertools.islice(_WORD.finditer(text, mention.end), 2)]  # "Leopard 2 battle tanks"
    return any(counted_category(word, lang) == "weapons" for word in following) or (
        len(following) == 2 and counted_category(" ".join(following), lang) == "weapons")


def _after_a_name(text: str, position: int) -> bool:
    """Whether a capitalised word stands right before ``position``: "Challenger 2", "Leopard 2"."""
    return bool(_NAME_BEFORE.search(text, max(0, position - 40), position))


def _mentions(text: str, lang: str) -> list[NumberMention]:
    """The numbers of a sentence, and in English "one" where it counts a noun of people or weapons,
    which the number reader leaves alone as a pronoun ("one of them")."""
    found = [m for m in find_numbers(text, lang) if not _in_designation(text, m, lang)]
    if lang != "en" or "one" not in text.lower():
        return found
    ones = [NumberMention(m.start(), m.start() + 3, 1.0, 1.0, 1.0) for m in _ONE_BEFORE_NOUN.finditer(text)
            if (counted_category(m.group(1), lang) or m.group(2) and (m.group(1).islower() or find_forces(m.group(1), lang))
                and m.group(1) not in _AUXILIARIES | _STOP_WORDS and counted_category(m.group(2), lang))  # "one security guard"
            and not any(n.start <= m.start() < n.end for n in found)]
    # "Four climbers were killed and one is missing": after a count of people, "one" with an event of its own
    # counts too; not after players or things ("Two players were booked and one was injured").
    ones += [NumberMention(m.start(1), m.end(1), 1.0, 1.0, 1.0) for m in _ONE_WITH_EVENT.finditer(text)
             if event_category(m.group(2), lang) and _counts_people_before(text, [*found, *ones], m.start(), lang)]
    return sorted(found + ones) if ones else found


def _counts_people_before(text: str, mentions: list[NumberMention], position: int, lang: str) -> bool:
    """Whether the last number before ``position`` counts a noun of people or weapons, or what befell them."""
    before = [m for m in mentions if m.end <= position]
    if not before:
        return False
    words = [w.group() for w in itertools.islice(_WORD.finditer(text, max(before, key=lambda m: m.end).end), 4)]
    return any(w[0].isalpha() and (counted_category(w, lang) or event_category(w, lang)) for w in words)


_OTHER_DOMAIN_PART = re.compile(
    "|".join(sorted((re.escape(w) for w in lex.VOCABULARIES["de"].other_domains if len(w) >= 5), key=len, reverse=True)))


@lru_cache(maxsize=100_000)
def _domain_weight(word: str, lang: str) -> tuple[int, int]:
    """How much a word says the text is about conflict, and about another domain."""
    vocabulary = lex.VOCABULARIES[lang]
    written, word = word.lower(), lemma(word, lang)
    if word in vocabulary.context or written in vocabulary.context:  # "fighting" is listed, its lemma "fight" not
        return 1, 0
    if word in vocabulary.other_domains:
        return 0, _MARKER_WEIGHT if word in lex.OTHER_DOMAIN_MARKERS else 1
    if lang == "de" and len(word) > 8:
        if _CONTEXT_PART.search(word):
            return 1, 0
        return 0, int(bool(_OTHER_DOMAIN_PART.search(word)))  # "Spielmechanik", "Limesmuseum"
    return 0, 0


# A text about an epidemic, where those taken to hospital are cases; and the words of a wound.
_EPIDEMIC = ("measles", "cholera", "ebola", "mpox", "dengue", "covid", "coronavirus", "epidemi", "pandemi", "masern",
             "infection", "infektion")
_INJURY = re.compile(r"injur|wound|hurt|verletz|verwund")
_MIGRANTS = ("migrant", "flüchtling", "geflüchtet", "refugee", "asyl", "ärmelkanal", "english channel", "schlauchboot",
             "seenotrett", "abschieb", "abgeschoben", "deport", "ausreisepflicht")
# What people in a text about migrants did or had done to them that makes them migrants: "45 Menschen an
# Bord", "25 survivors", "36,000 people crossed the Channel", "1,800 people arrived on Lampedusa".
_MIGRANTS_DID = re.compile(r"\b(?:an bord|on board|aboard|boarded|gerettet|rescued|geborgen|überlebende|survivors"
                           r"|crossed|arrived|angekommen|gelangt|überquert)\b")


def _topics(text: str) -> tuple[bool, bool]:
    """Whether the text is about migrants or refugees (not people displaced by a flood: its people on a
    boat are them), and whether about an epidemic (those taken to hospital are cases)."""
    lowered = text[:20_000].lower()
    # Substring tests: one scan each, where an alternation of the words would try every word at every position.
    return any(w in lowered for w in _MIGRANTS), any(w in lowered for w in _EPIDEMIC)


def _text_domain(text: str, lang: str) -> str:
    """ "conflict" where the text reports conflict, disaster or displacement; "other" where it is about
    sport, business or games more than that; "" where neither outweighs. German compounds count by
    their parts: "Kriegsbeginn", "Luftangriffen", "Flüchtlingslager"."""
    conflict = other = 0
    for match in re.finditer(r"[^\W\d_]{3,}", text[:20_000]):
        for_conflict, for_other = _domain_weight(match.group(), lang)
        conflict += for_conflict
        other += for_other
    if conflict >= _CONFLICT_MINIMUM and conflict > other:
        return "conflict"
    if other >= conflict + _CLEARLY_OTHER:
        return "clearly other"  # a film review, a match report: not even its deaths are figures
    return "other" if other > conflict else ""







class _SentenceReading:
    """One sentence's numbers, places and forces, read once for all its figures."""

    def __init__(
        self,
        sentence: Sentence,
        lang: str,
        mentions: list[NumberMention],
        speaker_span: tuple[int, int],
        domain: str,
        migration: bool = False,
        epidemic: bool = False,
    ) -> None:
        self.sentence = sentence
        self.text = sentence.text
        self.lowered = sentence.text.lower()
        self.lang = lang
        self.mentions = mentions
        self.places = figure_places(sentence.text, lang, speaker_span)
        # "anti-pakistanische Kämpfer" are Pakistan's opponents, not its own.
        self.forces = [f for f in find_forces(sentence.text, lang) if not _OPPONENT.search(sentence.text[max(0, f.start - 5) : f.start])]
        self.speaker_span = speaker_span
        self.about_conflict = domain == "conflict"
        self.other_domain = domain in ("other", "clearly other")
        self.clearly_other_domain = domain == "clearly other"
        self.migration = migration
        self.epidemic = epidemic
        self.counts = [m.high > 0 and not _not_a_count(sentence.text, m, lang) for m in mentions]
        # The word as well as its lemma: simplemma reads "schicken" as the adjective "schick".
        self.deploys = any(m.group().lower() in _DEPLOY_VERBS or lemma(m.group(), lang) in _DEPLOY_VERBS
                           for m in _WORD.finditer(sentence.text) if m.group()[0].isalpha())

    def figure(
        self,
        index: int,
        in_sentence: list[ExtractedFigure],
        last_place: Callable[[], PlaceMention | None],
        speaker: str,
        carried: ExtractedFigure | None = None,
        reported_by: str = "",
    ) -> ExtractedFigure | None:
        text, mention, lang = self.text, self.mentions[index], self.lang
        if not self.counts[index]:
            return None
        # Only other counts bound this one's clause: "soll bis Ende 2024 rund 2000 Blauhelme abziehen".
        previous_end = max((m.end for m, c in zip(self.mentions[:index], self.counts) if c), default=0)
        next_start = next((m.start for m, c in zip(self.mentions[index + 1 :], self.counts[index + 1 :]) if c), len(text))
        own_clause_start = _clause_start(text, mention.start)
        clause_start = max(previous_end, own_clause_start)
        full_clause_end = _clause_end(text, mention.end)
        clause_end = min(next_start, full_clause_end)
        # "13 soldiers, among them nine peacekeepers, have been killed": the event stands past the part.
        # Not past a relative clause of the part's own: "59 hostages remain, of whom 35 are believed dead".
        between = text[mention.end : next_start]
        # Nor past a predicate of its own: "20 of them are alive and 28 dead".
        event_end = (full_clause_end if _linked(between) and not _RELATIVE_PART.search(between)
                     and not _OWN_PREDICATE.search(between) else clause_end)
        parent = in_sentence[-1] if in_sentence else None
        # "Unter den Toten seien neun Kinder", "Among them were two children": a part of the sentence before's.
        part_of_carried = parent is None and carried is not None and bool(
            _PART_OPENER.match(text[own_clause_start : mention.start])  # "..., darunter seien 17.000"
            or _PARTITIVE.match(self.lowered, mention.end))  # "Israeli officials believe 33 of them are dead"
        again = bool(_SAME_COUNT_AGAIN.search(self.lowered, max(0, mention.start - 50), mention.start))
        if parent is None and carried and (self._says_more(mention.end) or part_of_carried or again
                                           or _MORE_BEFORE.search(self.lowered, max(0, mention.start - 20), mention.start)):
            parent = carried
        confidence = 0.6
        own_event = False  # whether the figure's own words say what happened, not only its noun
        noun = self._counted_after(mention)
        implied = False
        if noun is None:
            noun = self._implied(mention, clause_start, clause_end)
            implied = noun is not None
        if noun is None:
            if parent is None or not self._continues(mention.end) or (
                    self._governed_by_other_verb(mention.start, clause_start) and not again):
                return None
            if self._counts_another_noun(clause_start, mention.start):
                return None  # "..., die Zahl der Verdachtsfälle liegt bei rund 90.000": cases, not the deaths before
            category, counted, noun_end = parent.category, parent.counted, mention.end
            if category in lex.PEOPLE_CATEGORIES or category in lex.EVENT_CATEGORIES:
                # "26 Menschen getötet und 50 verletzt": the event after the number is this one's own
                category = (self._event(mention.end, event_end, clause_start)
                            or self._verb_before(mention.start, clause_start)  # "killing four and injuring dozens more"
                            or ("civilians" if self._in_condition(mention.end, event_end) else category))  # "14 weitere eingeschlossen"
            confidence -= 0.15
        else:
            category, counted, noun_end = noun
            noun_end = max(noun_end, mention.end)
            if _SPEAKERS_VERB.match(text, noun_end):
                return None  # "two residents told Al Jazeera": who told it, not a figure
            if noun_end > clause_end:  # the clause goes on past its noun: "21 of the 23 people on board were
                # killed" (the whole is in the noun), "Three New People's Army (NPA) rebels were killed"
                full_clause_end = max(full_clause_end, _clause_end(text, noun_end))
                clause_end = event_end = full_clause_end
            # "Weitere 14 Insassen und drei Wärter seien verletzt worden": both nouns share the verb,
            # which follows the second ("34 members of the security forces and 18 fighters ... were killed").
            shared_event = ""
            between_counts = text[noun_end:next_start]
            if (next_verb := _NEXT_COUNTS_VERB.search(between_counts)) and event_category(next_verb.group(1), lang):
                event_end = min(event_end, noun_end + next_verb.start())  # "drei Menschen ... und verletzte acht weitere"
            if next_start < len(text) and _CONJUNCTION_ONLY.match(between_counts) and not _OWN_PREDICATE.search(between_counts):
                event_end = full_clause_end
                shared_event = self._event_of_the_counted(next_start, full_clause_end, clause_start)
            # A relative clause on the counted noun tells what happened to it: "elf Kumpeln, die unter
            # Tage eingeschlossen sind", "11 people who had been killed".
            if relative := _RELATIVE_CLAUSE[lang].match(text, noun_end):
                event_end = max(event_end, _clause_end(text, relative.end()))
            # "52 police officers were among about 400 people injured": a part of the next count, and its event.
            if next_start < len(text) and _AMONG_AFTER.fullmatch(text, noun_end, next_start):
                shared_event = self._event(next_start, full_clause_end, clause_start)
            whole_of_part = bool(previous_end and _WHOLE_OF_A_PART.fullmatch(text, previous_end, mention.start))
            noun_category = category
            if category == "civilians" and _GATHERED.match(self.lowered, noun_end):
                return None  # a crowd: "Tens of thousands of people gathered to mark 30 years since the massacre"
            if (category in lex.PEOPLE_CATEGORIES or category in ("captured", "missing")) and not whole_of_part:
                # "400 dort getöteten Kämpfern"; "20 Häftlinge getötet" were prisoners and are dead now: an
                # attributive participle between number and noun first.
                attributive = self._event(mention.end, noun_end - len(counted), clause_start) if counted else ""
                category = (attributive or self._verb_before(mention.start, clause_start)
                            or self._label_category(mention, nouns=False)
                            or self._event_of_the_counted(noun_end, event_end, clause_start) or shared_event
                            or self._inverted_event(mention.start, clause_start)
                            or self._among(own_clause_start, mention.start)
                            or self._after_apposition(noun_end, clause_start) or category)
            elif category == "wounded" and self._event_of_the_counted(noun_end, event_end, clause_start) == "killed":
                category = "killed"  # "drei Schwerverletzte seien im Krankenhaus gestorben"
            if category in ("troops", "civilians") and (_LOST_BEFORE.search(text, clause_start, mention.start)
                                                        or lang == "de" and _LOST_AFTER.match(text, noun_end)
                                                        or _BODIES_OF.search(self.lowered, clause_start, mention.start)):
                category = "killed"  # "Die Armee verlor dort 18 Soldaten", "We have lost 40 men", "die Leichen zweier Bewohner"
            own_event = implied or category != noun_category
            confidence += 0.1 if not implied else 0.0
        before = text[previous_end : mention.start]
        # "including eight women and five children": the second part is a part too.
        coordinated_part = bool(parent and parent.category in lex.EVENT_CATEGORIES and _NOUN_AND.match(before))
        of_them = bool(parent and _OF_THEM.match(text, mention.end))  # "270 Ukrainians, 246 of them soldiers"
        breakdown = bool(_DASH_BEFORE.search(before))  # "390 of its citizens — 307 soldiers and 83 civilians —"
        linked = parent if parent and (_linked(before) or part_of_carried or coordinated_part or of_them or breakdown) else None
        if (not own_event and noun is not None and parent and parent.category in lex.EVENT_CATEGORIES
                and category in lex.PEOPLE_CATEGORIES and _LIST_ITEM.fullmatch(before) and not _OWN_PREDICATE.search(before)
                and not any(event_category(w, lang) for w in re.findall(r"[^\W\d_]+", before))):
            # "the dead included 690 civilians, 140 members of the security forces and 170 fighters"
            category = parent.category
        if linked and category in lex.PEOPLE_CATEGORIES and category != linked.category and (
            linked.category in lex.EVENT_CATEGORIES or self._force_at(noun_end - 1)
            or (linked.category, category) == ("refugees", "civilians")
        ):
            # A part shares what happened to its whole: "20 Zivilisten getötet, darunter elf Kinder";
            # "50.000 Soldaten, darunter 11.000 Nordkoreaner" are soldiers too; "578,000 displaced,
            # including 180,000 children" are displaced children.
            category = linked.category
        if (category in ("troops", "civilians") or not counted) and not self.about_conflict:
            # A game's soldiers, a match's fans; and a bare number whose event word may mean something
            # else outside war and disaster ("shot 3 for 11", "zwei fallen durch").
            return None
        if _INFECTED_BEFORE.search(text, clause_start, mention.start):
            return None  # "has infected 45,000 people and killed 870": infections are cases
        if category == "wounded" and self.epidemic and not _INJURY.search(self.lowered, clause_start, event_end):
            return None  # "56 patients have been hospitalized" in an outbreak: cases, not wounds
        if _RATE.match(text, noun_end):
            return None  # "1.20 deaths per 100 million vehicle miles", "12 Tote pro 100.000 Einwohner": a rate
        if category == "weapons" and self.other_domain:
            return None  # an arms maker's output: "delivered 110 F-35 fighter jets ... as revenue rose"
        if self.clearly_other_domain:
            return None  # a war film's history: "in der mehr als 700.000 Menschen starben"
        if category == "civilians" and self.migration and _MIGRANTS_DID.search(self.lowered[clause_start:event_end]):
            category = "refugees"  # "das Boot sei mit 45 Menschen an Bord gestartet", "25 survivors": in a text about migrants
        if category == "civilians" and lemma(counted, lang) in lex.RESPONDERS and self._names_a_security_service:
            category = "troops"  # "400 Einsatzkräfte der Polizei"
        if category == "civilians" and not (linked or self._in_condition(clause_start, event_end)):
            return None  # people to whom the text says nothing happened: a crowd, a work party, a team
        force = self._force(mention, noun_end, clause_start, category)
        if not force and implied and counted:
            force = self._force_before(counted, clause_start, mention.start)
        if not force and (noun is None or not counted) and parent:
            force = parent.force  # "Dutzende burkinische Soldaten getötet und 15 gefangen genommen"
        subset = self._subset_force(noun_end)
        if subset and subset != force:
            force = f"{force}_incl_{subset}" if force else force
        if not force and linked:
            force = linked.force
        # "6 Kampfjets und 2.000 Soldaten in den Nahen Osten": the place after the pair is both figures'.
        place_end = full_clause_end if _COORDINATED.match(text[noun_end:next_start]) else clause_end
        location, context_location = self._location(
            mention, noun_end, clause_start, place_end, linked or (parent if noun is None else None), last_place, category
        )
        # The clause and the one before it, which may govern it: "JNIM behauptete, 15 gefangen genommen zu haben".
        status = _status(self.lowered[self._governing_start(clause_start, clause_end) : clause_end], lang)
        if status == "reported" and _CLAIMED.search(self.lowered[self._governing_start(clause_start, full_clause_end) : full_clause_end]):
            status = "possible"  # "behauptete, Dutzende Soldaten getötet und 15 gefangen genommen zu haben"
        if parent and status == "reported" and _COORDINATED.match(text[previous_end : mention.start]):
            status = parent.status  # "wollen 6 Kampfjets und rund 2.000 Soldaten verlegen": one verb for both
        source = self._clause_speaker(clause_start, clause_end, mention.start) or speaker or (
            reported_by if _REPORTED_SPEECH.search(self.lowered, own_clause_start, full_clause_end) else "")
        if status == "reported" and _armed_group(source, lang):
            status = "possible"  # what an armed group says of its own deeds is a claim: "Al-Shabaab said its fighters killed 50"
        heir = linked or (parent if noun is None or not counted else None)
        if heir and status == "reported":
            status = heir.status  # as sure as its whole, or the claim it continues: "sollen 20 getötet worden sein, darunter elf Kinder"
        confidence += 0.1 * bool(force) + 0.1 * bool(location or context_location) + 0.05 * bool(speaker) - 0.15 * mention.vague
        return ExtractedFigure(
            value=mention.value,
            value_low=mention.low,
            value_high=mention.high,
            qualifier=_qualifier(text[: mention.start], mention),
            status=status,
            category=category,
            counted=counted,
            force=force,
            location=location,
            context_location=context_location,
            attribution=source,
            sentence=" ".join(text.split()),
            span_start=self.sentence.start + mention.start,
            span_end=self.sentence.start + mention.end,
            vague=mention.vague,
            confidence=round(min(max(confidence, 0.05), 0.99), 2),
        )

    def _counted_after(self, mention: NumberMention) -> tuple[str, str, int] | None:
        """(category, noun as written, end of the noun) of the counted noun right after a number."""
        text, lang = self.text, self.lang
        # A number that heads its line labels what follows: "2.1 million — people displaced", "14.800: So viele
        # Zivilisten wurden getötet" (a "by the numbers" box).
        label = _NUMBER_THEN_LABEL.match(text, mention.end) if not text[: mention.start].strip(_BULLETS) else None
        end = label.end() if label else mention.end
        start = end + len(self.lowered[end : end + 40]) - len(self.lowered[end : end + 40].lstrip())
        if phrase := self._counted_phrase(start):
            return phrase
        start = end + 1 if text[end : end + 1] == "-" else end  # "the 250-man SAS"
        joined = partitive = False
        # An abbreviation in brackets and a partitive's words do not count toward the reach: "New People's Army
        # (NPA) rebels", "1,000 of the roughly 11,000 North Korean soldiers".
        extra_reach = 0
        for index, match in enumerate(_WORD.finditer(text, start)):
            if index >= 5 + extra_reach:
                return None
            word = match.group()
            if partitive and word[0].isdigit():
                extra_reach += 1
                continue  # "killing 14 of the 19 people on board"
            if not word[0].isalpha():
                if index and (re.match(r"\d+[^\W\d_]\w*", text[match.start() : match.start() + 8])
                              or _after_a_name(text, match.start()) and re.match(r"\d\b", word)):
                    continue  # a model's name: "14 Leopard 2A6 tanks", "14 Challenger 2 tanks"
                if word == "." and text[match.start() - 1 : match.start()].isalpha():
                    extra_reach += 1
                    continue  # "U.S." as tokens, which count as one word
                if word == "(" and re.match(r"\([A-Z]{2,6}\)", text[match.start() : match.start() + 8]):
                    extra_reach += 2  # the abbreviation and its closing bracket
                    continue  # "Tehreek-e-Taliban Pakistan (TTP) militants"
                if word == ")" and extra_reach:
                    continue
                return None
            lowered = word.lower().strip("'’")
            if index == 0 and start > mention.end and lowered == "odd":
                continue  # "60-odd injured": about 60
            if index == 0 and start > mention.end and lowered in ("man", "mann"):
                return "troops", word, match.end()  # a unit's strength: "the 250-man SAS", "5.000-Mann-Truppe"
            if index and (phrase := self._counted_phrase(match.start())):
                return phrase  # "six F-22 fighter jets": the longer noun, not "fighter"
            if index and lang == "en" and lowered.endswith("'s"):
                continue  # a possessor, not the counted: "two of the mine's executives"
            category = counted_category(word, lang) if not self._in_english_name(match) else ""
            category = (category or self._member(match) or self._members_it_happened_to(match, mention)
                        or self._service_craft(word))
            if category and (index == 0 or lowered not in lex.ONLY_RIGHT_AFTER_NUMBER or all(
                    w.lower() in _MORE for w in text[mention.end : match.start()].split())):  # "nine more bodies"
                head = re.match(r" ([^\W\d_][\w'’-]*)", text[match.end() : match.end() + 40])
                if head and counted_category(head.group(1), lang) and index < 4:
                    continue  # "600,000 Rohingya refugees": the head noun is the last
                if head and self.other_domain and _domain_weight(head.group(1), lang)[1]:
                    return None  # a match report's "drei verletzte Stammspieler", "three injured players"
                if head and _modifies_a_plural(word, head.group(1), mention, lang):
                    return None  # "40 militant targets", "40 shell casings", "12 police stations": things
                return category, word, match.end()
            if index <= 2 and (participle := self._participle(word)) and not _SHOT_DOWN.match(text, match.end()) and all(
                w.lower() in _AUXILIARIES or w.lower() in _MODIFIERS for w in self.text[mention.end : match.start()].split()
            ):
                return participle, "", mention.end  # "26 killed", "3,000 fled", "200 were wounded"
            if lowered in _AUXILIARIES and index < 2:
                continue
            if mention.vague and lowered in ("von", "of", "the", "der", "den"):
                continue  # "Tausende von Kämpfern", "dozens of the attackers"
            if lang == "de" and lowered in ("der", "von") and index == 0 and not mention.vague:
                partitive = True
                continue  # "39 der Drohnen", "zwei der Opfer"
            if lang == "en" and (lowered == "of" and index == 0 or lowered in _PARTITIVE_DETERMINERS and partitive
                                 or partitive and lowered in _HEDGE_WORDS):  # "1,000 of the roughly 11,000 soldiers"
                extra_reach += index > 0
                partitive = True
                continue  # "three of its soldiers", "two of the hostages"
            force = self._force_at(match.start())
            if force and force.end >= match.end() - 1 and (force.kind == "demonym" or self._adjective_as_people(force, lowered)):
                return "civilians", word, match.end()  # "1.200 Israelis", "11.000 Nordkoreaner", "200,000 Sudanese fled"
            if force and self._group_members(force, match.end()):
                return "troops", self.text[force.start : force.end], force.end  # "30 Taliban", "12 Houthis"
            if lowered in _MODIFIERS or force or _PARTLY.match(self.lowered, match.start()):
                continue
            # Coordinated modifiers: "1,000 government and military personnel", "1000 Regierungs- und Militärangehörige".
            # A noun before "and" and a number is one of two things counted: "1.200 Einsätze und zwei Verletzte".
            if (and_or := _AND_OR_AFTER.match(self.lowered, match.end())) and any(
                    m.start == and_or.end() - 1 for m in self.mentions):
                return None
            if word.endswith("-") or (lowered in _AND_OR and joined) or and_or:
                joined = True
                continue
            if lowered in _STOP_WORDS:
                return None
            if lang == "de" and word[0].isupper() and not _is_adjective(lowered):
                return None
            if lang == "en" and not _is_adjective(lowered) and not word[0].isupper():
                following = [m.group() for m in itertools.islice(_WORD.finditer(text, match.end()), 2)]
                if not any(counted_category(w, lang) for w in following):
                    return None  # "10 new attack submarines", "14 navy ships" go on to their noun
        return None

    def _adjective_as_people(self, force: ForceMention, word: str) -> bool:
        """An English nationality adjective in "-ese" or "Swiss" that a verb follows is its people: "200,000
        Sudanese fled" (not "30 Chinese companies")."""
        if self.lang != "en" or force.kind != "adjective" or not word.endswith(("ese", "swiss")):
            return False
        following = _WORD.search(self.text, force.end)
        return not following or not following.group()[0].isalpha() or (
            following.group().lower() in _AUXILIARIES or bool(event_category(following.group(), "en")))

    def _group_members(self, force: ForceMention, word_end: int) -> bool:
        """Whether an armed group's name stands for its members: as the counted noun, with no noun of
        its own after it ("30 Taliban getötet", "12 Houthis", not "5 Hamas hostages")."""
        if force.force not in _ARMED_GROUPS or force.kind != "organisation" or force.end < word_end - 1:
            return False
        following = _WORD.search(self.text, force.end)
        return not (following and following.group()[0].isalpha()
                    and (counted_category(following.group(), self.lang) or lemma(following.group(), self.lang) in lex.MEMBER_NOUNS))

    def _counted_phrase(self, at: int) -> tuple[str, str, int] | None:
        """A counted noun of several words starting at ``at``, in the plural too ("fighter jets")."""
        tail = self.lowered[at : at + 40]
        for phrase, category in lex.VOCABULARIES[self.lang].counted_phrases.items():
            if tail.startswith(phrase):
                end = len(phrase) + (tail[len(phrase) : len(phrase) + 1] == "s")
                if not tail[end : end + 1].isalpha():
                    return category, self.text[at : at + end], at + end
        return None

    def _clause_speaker(self, clause_start: int, clause_end: int, number_start: int) -> str:
        """A source the figure's own clause names before the number ("..., while the Red Crescent put
        the toll at 11,300") over the sentence's; one after it tells of something else ("329 people
        since President Noboa declared a conflict")."""
        if clause_start == 0 and clause_end == len(self.text):
            return ""
        who, (start, _) = _speaker(self.text[clause_start:clause_end], self.lang)
        return "" if who in _PRONOUN_SPEAKERS or clause_start + start > number_start else who

    def _governing_start(self, clause_start: int, clause_end: int) -> int:
        """Where the figure's status is read from: its clause, and the clause before it when the figure's
        clause depends on it ("JNIM behauptete, 47 Soldaten getötet zu haben", "Das Abkommen sieht vor,
        dass ..."); not an independent clause after it ("..., while the Red Crescent put the toll at")."""
        if not clause_start:
            return 0
        own = self.lowered[clause_start:clause_end]
        return _clause_start(self.text, clause_start - 1) if _DEPENDENT_CLAUSE[self.lang].search(own) else clause_start


    def _says_more(self, position: int) -> bool:
        following = _WORD.search(self.text, position)
        return bool(following and following.group().lower() in _MORE)

    def _force_before(self, counted: str, clause_start: int, number_start: int) -> str:
        """The force of a noun named before its number: "die Zahl der IS-Mitglieder ... auf 2200"."""
        at = self.text.rfind(counted, clause_start, number_start)
        noun_end = at + len(counted)
        inside = [f for f in self.forces if at <= f.start < noun_end or 0 <= at - f.end <= 1]  # "IS-Mitglieder", "IS members"
        if inside:
            return inside[0].force
        genitive = re.match(r"\s*(?:der|des|of the|of)\s", self.lowered[noun_end:number_start])
        return next((f.force for f in self.forces
                     if genitive and noun_end + genitive.end() <= f.start <= noun_end + genitive.end() + 25), "")

    def _member(self, noun: re.Match[str]) -> str:
        """ "troops" for members of a force ("2.200 IS-Mitglieder", "members of Iran's Revolutionary Guards")."""
        word = noun.group()
        return "troops" if lemma(word.rsplit("-", 1)[-1], self.lang) in lex.MEMBER_NOUNS and self._member_of_force(noun) else ""

    def _members_it_happened_to(self, noun: re.Match[str], mention: NumberMention) -> str:
        """Members of any group are people where a verb before the number says what happened to them:
        "killed at least six members of the group", "arrested 14 alleged members"."""
        if lemma(noun.group(), self.lang) not in lex.MEMBER_NOUNS:
            return ""
        return "civilians" if self._verb_before(mention.start, _clause_start(self.text, mention.start)) else ""

    def _service_craft(self, word: str) -> str:
        """Aircraft are weapons where the sentence names a security service: "The Indian Air Force deployed
        two Mi-17 helicopters"; not a rescue's or an airline's."""
        # The last part of a compound: "Super-Puma-Helikopter", "Transporthubschraubern".
        forms = {form.rsplit("-", 1)[-1] for form in (lemma(word, self.lang).lower(), word.lower())}
        if not any(form in lex.SERVICE_CRAFT or self.lang == "de" and form.endswith(_LONG_SERVICE_CRAFT) for form in forms):
            return ""
        return "weapons" if self._names_a_security_service else ""

    @cached_property
    def _names_a_security_service(self) -> bool:
        return any(lemma(w, self.lang) in lex.SECURITY_SERVICES for w in _WORD.findall(self.text)) or any(
            service in self.lowered for service in lex.SECURITY_SERVICES if " " in service)

    def _member_of_force(self, noun: re.Match[str]) -> bool:
        """Members count as fighters only of a force: "IS-Mitglieder", "members of the Revolutionary Guards"."""
        prefix = noun.group().rsplit("-", 1)[0] if "-" in noun.group() else ""
        if prefix and any(f.start >= noun.start() and f.end <= noun.start() + len(prefix) + 1 for f in self.forces):
            return True
        if any(0 <= noun.start() - f.end <= 1 and f.kind == "organisation" for f in self.forces):
            return True  # "IS members", "Hamas members"
        tail = self.lowered[noun.end() : noun.end() + 50]
        genitive = re.match(r"\s*(?:der|des|of|of the|von)\s", tail)
        owner = re.sub(r"^(?:the|der|die|des|den)\s+", "", tail[genitive.end() :]) if genitive else ""
        if genitive and (any(counted_category(w, self.lang) == "troops" for w in owner.split()[:3]) or any(
                owner.startswith(p) for p, c in lex.VOCABULARIES[self.lang].counted_phrases.items() if c == "troops")):
            return True  # "members of the security forces", "Angehörige der Sicherheitskräfte"
        return bool(genitive and any(noun.end() <= f.start <= noun.end() + 50 for f in self.forces))

    def _governed_by_other_verb(self, number_start: int, clause_start: int) -> bool:
        """ "killed nearly 50 people and infected more than 1,400": a verb of its own, no continuation."""
        # Focus words, adverbs and "more" are no verb: "weitere 300 sollen folgen", "von zuvor 700.000".
        words = _without_hedge([m.group() for m in _WORD.finditer(self.text, clause_start, number_start)
                                if m.group()[0].isalpha() and m.group().lower() not in _NOT_A_VERB])
        if not words:
            return False
        word = words[-1]
        vocabulary = lex.VOCABULARIES[self.lang]
        if word in vocabulary.speech or lemma(word, self.lang) in vocabulary.possible | vocabulary.expected:
            return False  # "officials believe 33 of them are dead": a source's verb, not the count's
        if word.lower() in _DEPLOY_VERBS or lemma(word, self.lang) in _DEPLOY_VERBS:
            return False  # "has sent 2,000 troops and will send 1,500 more": deploying is what troops do
        return word.islower() and word not in _STOP_WORDS and word not in _LINK_WORDS and not event_category(word, self.lang)

    def _label_category(self, mention: NumberMention, nouns: bool) -> str:
        """What a fact box's label before a colon says of the number after it, by its event ("Deaths in
        Jamaica: 32", "Displaced inside Sudan: more than 8.8 million people", "Verschleppte Geiseln: 251")
        or, where ``nouns``, by its counted noun ("In Afghanistan eingesetzte Bundeswehrsoldaten: 93.000")."""
        colon = _COLON_BEFORE.search(self.text, max(0, mention.start - 40), mention.start)
        if colon is None:
            return ""
        start = max(self.text.rfind(mark, 0, colon.start()) for mark in _LABEL_STARTS) + 1
        label = self.text[start : colon.start()]
        if len(label) > _LONGEST_LABEL:
            return ""
        words = [w for w in _WORD.findall(label) if w[0].isalpha()]
        lowered = label.lower()
        event = next((c for w in words if (c := event_category(w, self.lang))), "") or next(
            (c for p, c in _SUBJECT_EVENT_PHRASES[self.lang] if p in lowered), "")
        return event or (next((c for w in words if (c := counted_category(w, self.lang))), "") if nouns else "")

    def _verb_before(self, number_start: int, clause_start: int) -> str:
        """The event of a verb or phrase right before the number, hedges aside: "killed 26 people",
        "tötete 26", "claimed the lives of more than 500 soldiers"."""
        written = [m.group() for m in _WORD.finditer(self.text, clause_start, number_start) if m.group()[0].isalpha()]
        if written and written[-1].lower() in _ALL:
            written = written[:-1]  # "killing all six gunmen", "tötete alle drei Insassen"
        words = _without_hedge(written)
        # "killed a further 30 people", "tötete weitere 30": more of the same, the verb's object still.
        while words and (filler := _MORE_FILLER.search(" ".join(words[-3:]).lower())):
            words = words[: len(words) - len(filler.group().split())]
        if not words:
            return ""
        lead = " ".join(words[-4:]).lower()
        if lead.endswith(("sentenced to death", "condemned to death")):
            return ""  # a verdict, not a killing: "sentenced to death five militants"
        # A phrase may end in a hedge's word: "handed over 250 servicemen" is no "over 250".
        phrases = lex.VOCABULARIES[self.lang].event_phrases.items()
        whole = " ".join(written[-4:]).lower()
        phrase = next((c for p, c in phrases if lead.endswith(p)), "") or next((c for p, c in phrases if whole.endswith(p)), "")
        return phrase or event_category(words[-1], self.lang)

    def _in_english_name(self, match: re.Match[str]) -> bool:
        """ "360 National Guard troops": a capitalised word before another is part of a name."""
        if self.lang != "en" or not match.group()[0].isupper():
            return False
        following = _WORD.search(self.text, match.end())
        return bool(following and following.group()[0].isupper() and following.start() - match.end() <= 1)

    def _participle(self, word: str) -> str:
        """An event word standing for its noun: "26 killed", "12 dead", "200 were wounded", "50 verletzt"."""
        if self.lang == "de" and word[0].isupper():
            return ""  # a German noun is a noun, not a participle
        if self.lang == "en" and word.endswith("s") and not counted_category(word, "en"):
            return ""  # a plural noun of events counts events: "76 massacres", "12 attacks"
        return event_category(word, self.lang)

    def _implied(self, mention: NumberMention, clause_start: int, clause_end: int) -> tuple[str, str, int] | None:
        """No noun after the number: an event verb before it ("killing 26", "tötete 26") or the noun
        named before it ("die Zahl der Toten stieg auf 50", "the death toll rose to 50")."""
        if (category := self._verb_before(mention.start, clause_start)) and _followed_by_no_noun(self.text, mention.end):
            return category, "", mention.end
        if category := self._label_category(mention, nouns=True):
            return category, "", mention.end  # "Verschleppte Geiseln: 251", "Deaths in Jamaica: 32"
        if (fronted := _FRONTED_WHOLE.search(self.text, max(0, mention.start - 60), mention.start)) and (
                category := counted_category(fronted.group("noun"), self.lang) or event_category(fronted.group("noun"), self.lang)):
            return category, fronted.group("noun"), mention.end  # "Of the dead, 19 were from Swat district"
        labelled = _LABEL_BEFORE.search(self.text, max(0, mention.start - 60), mention.start)
        if labelled and _followed_by_no_noun(self.text, mention.end) and (
                category := counted_category(labelled.group("noun"), self.lang) or self._participle(labelled.group("noun"))):
            return category, labelled.group("noun"), mention.end  # "Tote: mindestens 21", "Verletzte: 60", "Killed: 157"
        if (category := self._changed_to(mention.start)) and _followed_by_no_noun(self.text, mention.end):
            return category, "", mention.end
        if named := self._count_named(clause_start, mention):
            return named
        # "Die Gesamtzahl der Kämpfer in Afghanistan, die ..., wird auf 6000 geschätzt": a number of people
        # estimated "at" the number names them across the sentence's commas, right after its phrase.
        if _TO_BEFORE.search(self.lowered, max(0, mention.start - 40), mention.start) and (
                named := self._count_named(0, mention, _NUMBER_OF, 4)):
            return named
        # "knapp acht Millionen mussten ihre Häuser verlassen", "tens of thousands more could flee":
        # the event after a bare number implies the people it happened to.
        following = _WORD.search(self.text, mention.end)
        if following and not mention.year_like and following.group()[0].islower() and (
            self.lang == "de" or following.group().lower() in _AUXILIARIES | _MODALS | _ADVERBS
        ):
            if category := self._event(mention.end, clause_end, clause_start):
                return category, "", mention.end
            if following.group().lower() in _AUXILIARIES and self._in_condition(mention.end, clause_end):
                return "civilians", "", mention.end  # "29 remained trapped underground"
        return None

    def _count_named(self, start: int, mention: NumberMention, phrases: Collection[str] = lex.COUNT_OF,
                     reach: int = 60) -> tuple[str, str, int] | None:
        """The counted noun a count phrase from ``start`` names before the number ("die Zahl der
        getöteten Palästinenser", "the death toll"), within ``reach`` words of the phrase."""
        for phrase, words in self._counts_of(start, mention.start):
            if phrase not in phrases:
                continue
            if phrase in ("toll", "bilanz") and any(w in self.lowered for w in ("death", "dead", "killed", "died", "tote", "todes")):
                return "killed", "", mention.end  # "... feared dead, cautioning that the toll could rise above 500"
            if phrase == "toll" and _A_TOLL.search(self.lowered, 0, mention.start) and not _OTHER_TOLL.search(self.lowered):
                return "killed", "", mention.end  # a toll alone is of the dead: "the ministry put the toll at eight"
            for match in words[:reach]:
                force = self._force_at(match.start())
                if category := counted_category(match.group(), self.lang) or self._member(match) or (
                        "civilians" if force and force.kind == "demonym" else ""):
                    # "die Zahl der getöteten Palästinenser": the participle says what happened
                    event = next((e for w in words if (e := event_category(w.group(), self.lang))), "")
                    return (event if event and category in lex.PEOPLE_CATEGORIES else category), match.group(), mention.end
            # No noun, an event: "put the number of abducted at 87"
            if phrases is _NUMBER_OF and (event := next((e for w in words[:2] if (e := event_category(w.group(), self.lang))), "")):
                return event, "", mention.end
        return None

    def _counts_of(self, clause_start: int, number_start: int) -> Iterator[tuple[str, list[re.Match[str]]]]:
        """Each ``lex.COUNT_OF`` phrase the clause names before the number ("die Zahl der", "the death
        toll"), with the words between it and the number."""
        lowered = self.lowered[clause_start:number_start]
        for phrase in lex.COUNT_OF:
            at = lowered.rfind(phrase)
            if at != -1:
                yield phrase, list(_WORD.finditer(self.text, clause_start + at + len(phrase), number_start))

    def _counts_another_noun(self, clause_start: int, number_start: int) -> bool:
        """Whether the clause's count phrase names a noun that is not counted: "die Zahl der Verdachtsfälle"."""
        _, words = next(self._counts_of(clause_start, number_start), ("", []))
        if words:
            return words[0].group()[0].isalpha() and not counted_category(words[0].group(), self.lang)
        # "cholera cases in overcrowded camps had tripled to 2,100": what rose is no count of people
        if not _TO_BEFORE.search(self.lowered, max(clause_start, number_start - 40), number_start):
            return False
        before = [m.group() for m in _WORD.finditer(self.text, clause_start, number_start) if m.group()[0].isalpha()]
        return (any(w.lower() in lex.NOT_COUNTS_AFTER for w in before)
                and not any(counted_category(w, self.lang) for w in before))

    def _changed_to(self, number_start: int) -> str:
        """A casualty noun that rose or fell "to" the number, across the sentence's commas: "Traffic
        deaths fell for the third straight year, to an estimated 39,345", "put the death toll higher,
        at 38". Not troops: "police estimated it at 107,000" is a crowd."""
        window_start = max(0, number_start - _CHANGE_REACH)
        before = self.lowered[window_start:number_start]
        if not _TO_BEFORE.search(before):
            return ""
        nouns = [c for m in _WORD.finditer(self.text, window_start, number_start)
                 if m.group()[0].isalpha() and (c := counted_category(m.group(), self.lang)) in lex.EVENT_CATEGORIES]
        if _DEATH_TOLL.search(before):
            nouns.append("killed")
        return nouns[-1] if nouns and not _DIGIT.search(before[before.rfind(",") :]) else ""

    def _continues(self, position: int) -> bool:
        """A number with no noun of its own carries the previous figure's noun: what follows it is no noun
        and no other verb ("..., von denen etwa 8.000 in Kursk", "und 50 verletzt", "three fatally")."""
        following = _WORD.search(self.text, position)
        if not following or _PARTITIVE.match(self.lowered, position):
            return True  # "59 hostages, at least 35 of whom are dead"
        word = following.group()
        lowered = word.lower()
        return (not word[0].isalpha() or lowered in _STOP_WORDS or lowered in _ADVERBS or lowered in _MODALS
                or lowered in _AS_REPORTED or lowered in _BEEN  # "waren es noch 300.000 gewesen"
                or bool(event_category(word, self.lang)))  # "Weitere 1.500 sollen folgen"

    def _event(self, start: int, end: int, clause_start: int) -> str:
        """What happened to the counted people: the nearest event word after the noun, in its clause.
        (A verb before the number governs it only right before it: see ``_verb_before``.)"""
        # The event stands near its noun; further on, a verb belongs to another clause ("... and to
        # establish ... until all the suspects linked to the murder are arrested").
        # A noun's own "of" phrase does not count toward the reach: "6,000 residents of villages on the slopes
        # of Mount Lewotobi in East Flores have been evacuated".
        reach = _EVENT_REACH[self.lang] + (_OF_PHRASE_REACH if _OF_PHRASE.match(self.text, start) else 0)
        window = self.text[start : min(end, start + reach)]
        lowered = window.lower()
        hits = [(lowered.find(p), c) for p, c in _SUBJECT_EVENT_PHRASES[self.lang] if p in lowered]
        hits += [(m.start(), c) for m in _WORD.finditer(window) if (c := event_category(m.group(), self.lang))
                 and not _SHOT_DOWN.match(window, m.end())]  # "64 were shot down": aircraft and drones, no wound
        if not hits and self.lang == "de":
            hits = self._separable_events(window, self.text[clause_start:start])
        if not hits:
            return ""
        position, event = min(hits)
        # "were shot, hacked or burned to death": a list of verbs that ends in death, past the clause's comma.
        verb = _WORD.match(self.lowered, start + position)
        if event == "wounded" and verb and _LIST_TO_DEATH.match(self.lowered, verb.end()):
            return "killed"
        return event

    def _event_of_the_counted(self, noun_end: int, end: int, clause_start: int) -> str:
        """The event after the counted noun, unless the counted did it to someone: in English an active verb
        takes its object after it ("300 officers executed 41 search warrants", "two gunmen killed three
        people"), where "20 soldiers killed in an ambush" has none. Past a relative clause, the main
        clause's event: "10,000 people who had sought refuge there were shot"."""
        if self.lang == "en" and (relative := _RELATIVE_THEN_MAIN.match(self.text, noun_end, end)):
            if main := self._event(relative.end(), end, clause_start):
                return main
        event = self._event(noun_end, end, clause_start)
        if not event or self.lang != "en":
            return event
        verb = next((m for m in _WORD.finditer(self.text, noun_end, min(end, noun_end + _EVENT_REACH["en"]))
                     if event_category(m.group(), "en")), None)
        if verb is None or _PASSIVE.search(self.text, noun_end, verb.start()) \
                or lemma(verb.group(), "en") in lex.VICTIM_SUBJECT_VERBS:
            return event
        rest = self.text[verb.end() : verb.end() + 40]
        numbers = find_numbers(rest, "en")
        takes_object = (bool(_DETERMINER_AFTER.match(rest)) or bool(numbers and not rest[: numbers[0].start].strip())
                        or _noun_of_people_next(rest))
        return "" if takes_object else event  # also a purpose: "3,500 soldiers ... to evacuate stranded families"

    def _after_apposition(self, noun_end: int, clause_start: int) -> str:
        """The event right past an apposition to the counted noun: "1.9 million people, about 90 percent of
        the population, have been displaced", "390 of its citizens — 307 soldiers and 83 civilians — came home
        in the swap"; past dashes, not a place further on ("– seien auf dem Weg in ein Flüchtlingslager")."""
        if apposition := _APPOSITION.match(self.text, noun_end):
            return self._event(apposition.end(), _clause_end(self.text, apposition.end()), clause_start)
        if apposition := _DASH_APPOSITION.match(self.text, noun_end):
            end = min(_clause_end(self.text, apposition.end()), apposition.end() + _DASH_APPOSITION_EVENT_REACH)
            return self._event(apposition.end(), end, clause_start)
        return ""

    def _among(self, clause_start: int, number_start: int) -> str:
        """The event of a group the clause counts among: "Among the dead in Quetta were 14 soldiers",
        "Unter den Verletzten in Charkiw sind drei Kinder"."""
        among = _AMONG.search(self.text, clause_start, number_start)
        if not among:
            return ""
        word = among.group(1)
        category = counted_category(word, self.lang) or event_category(word, self.lang)
        return category if category in lex.EVENT_CATEGORIES else ""

    def _inverted_event(self, number_start: int, clause_start: int) -> str:
        """German puts the verb before its subject in a clause that opens with something else: "Bei
        dem Angriff starben laut den Weißhelmen 26 Menschen", and before its object: "Soldaten
        erschossen am Morgen drei Palästinenser", "erschossen Sicherheitskräfte zwei IS-Kämpfer". Not
        where another counted noun is the verb's: with a verb whose subject is the one it happened to
        ("Soldaten starben ..."), or the noun of a count before it."""
        if self.lang != "de":
            return ""
        words = [m.group() for m in _WORD.finditer(self.text, clause_start, number_start) if m.group()[0].isalpha()]
        for index in range(len(words) - 1, -1, -1):
            if category := event_category(words[index], "de"):
                other_noun = any(counted_category(word, "de") for word in words)
                # After an earlier count the noun before the verb is that count's: "hat 50 Menschen getötet
                # und 1400 Menschen infiziert".
                after_count = any(c and m.end == clause_start for m, c in zip(self.mentions, self.counts))
                victim_subject = lemma(words[index], "de") in lex.VICTIM_SUBJECT_VERBS
                return "" if other_noun and (after_count or victim_subject) else category
        return ""

    def _in_condition(self, start: int, end: int) -> bool:
        window = self.lowered[start:end]
        return any(condition in window for condition in lex.VOCABULARIES[self.lang].conditions)

    def _separable_events(self, window: str, before: str) -> list[tuple[int, str]]:
        """German verbs whose particle ends the clause: "nahm 30 Personen fest" -> festnehmen."""
        words = [m.group() for m in _WORD.finditer(window) if m.group()[0].isalpha()]
        particle = words[-1].lower() if words else ""
        if particle not in _SEPARABLE_PARTICLES:
            return []
        verbs = [m.group() for m in _WORD.finditer(before) if m.group()[0].isalpha()] + words[:-1]
        return [(0, c) for verb in verbs if (c := event_category(particle + lemma(verb, "de"), "de"))]

    def _force_at(self, position: int) -> ForceMention | None:
        return next((f for f in self.forces if f.start <= position < f.end), None)

    def _force(self, mention: NumberMention, noun_end: int, clause_start: int, category: str) -> str:
        # Inside the noun phrase: "11.000 nordkoreanische Soldaten", "750 U.S. soldiers", "1.200 Israelis".
        inside = [f for f in self.forces if mention.end <= f.start < max(noun_end, mention.end + 1)]
        if inside:
            return inside[0].force
        # Whom the noun counts, right after it: "5000 gefangene Taliban", "200 getötete Russen".
        who = next((f for f in self.forces if 0 < f.start - noun_end <= 1), None)
        if who and (who.kind == "demonym" or self._group_members(who, who.end)):
            return who.force
        # After the noun, in the genitive: "Soldaten der syrischen Armee", "fighters of Hamas".
        tail = self.lowered[noun_end : noun_end + 60]
        # "von" only of those who stay alive: "42 Kämpfer von Boko Haram festgenommen", while in
        # "1.200 Menschen von der Hamas getötet" it names who killed them.
        of = "der|des|of the|of|from the|from" + ("|von der|von den|vom|von" if category in ("troops", "captured") else "")
        genitive = re.match(rf"\s*(?:(?:oder|und|or|and)\s+\S+\s+)?(?:{of})\s", tail)
        if genitive:
            near = [f for f in self.forces if noun_end <= f.start <= noun_end + genitive.end() + 25]
            if len(near) > 1 and near[0].kind == "adjective" and near[1].kind == "organisation" and near[1].start - near[0].end <= 1:
                return near[1].force  # "Mitglieder der libanesischen Hisbollah": the group, not its country
            if near:
                return near[0].force
        # "20.000 seiner Kämpfer": the force the sentence named before, the speaker's included.
        between = {w.lower() for w in re.findall(r"[^\W\d_]+", self.text[mention.end : noun_end])}
        if between & _POSSESSIVE_PRONOUNS:
            named = [f for f in self.forces if f.end <= mention.start]
            if named:
                return named[-1].force
        # "Auf ukrainischer Seite ... 5000 Soldaten", "on the Russian side": whose side.
        side = _SIDE.search(self.text[clause_start : mention.start])
        if side:
            owner = self._force_at(clause_start + side.start("owner"))
            if owner:
                return owner.force
        # Just before the number: "Russia's 3,000 troops", "Israels 300 Panzer".
        for owner in self.forces:
            possessive = _POSSESSIVE.fullmatch(self.text[owner.end : mention.start])
            if (
                possessive
                and owner.kind in ("country", "organisation")
                and clause_start <= owner.start
                and owner.end <= mention.start
                and not self.speaker_span[0] <= owner.start < self.speaker_span[1]
                and (possessive.group("mark") or self.text[owner.end - 1] == "s")
                and not _without_hedge(possessive.group("rest").split())
            ):
                return owner.force
        # "1.000 Regierungs- und Militärangehörige", "government troops": the government the text names.
        if re.search(r"regierung|government", self.lowered[mention.end : noun_end]):
            governments = [f for f in self.forces if re.match(r"\s*(?:regierung|government)", self.lowered[f.end : f.end + 15])]
            if governments:
                return governments[0].force
        # The subject of a deploying verb owns the troops or weapons it deploys.
        # Its subject is before the clause's first count, whose pair this one may be: "Die USA wollen
        # 6 Kampfjets und 2.000 Soldaten verlegen".
        if category in ("troops", "weapons"):
            if self.deploys:
                subject_start = _clause_start(self.text, mention.start)
                subject_end = min([mention.start] + [m.start for m, counts in zip(self.mentions, self.counts)
                                                     if counts and m.start >= subject_start])
                speaker_deploys = _SPEAKER_IS_SUBJECT.match(self.lowered, self.speaker_span[1])
                owners = [f for f in self.forces if subject_start <= f.start < subject_end and f.kind != "demonym"
                          and (speaker_deploys or not self.speaker_span[0] <= f.start < self.speaker_span[1])
                          and not (f.kind == "country" and _LOCATIVE_BEFORE.search(self.lowered[max(0, f.start - 12) : f.start]))]
                # "Die Huthi-Miliz im Jemen hat ... abgefeuert": a country the subject is in is where, not whose.
                # A country named first is the subject, a later one its object ("Russland hat die Ukraine
                # mit 273 Drohnen angegriffen"), unless a group follows it ("Yemen's Houthis"); else the last
                # force named, nearest the count.
                if owners and owners[0].kind == "country":
                    group = owners[1] if len(owners) > 1 and owners[1].kind == "organisation" else None
                    return (group if group and group.start - owners[0].end <= 3 else owners[0]).force
                if owners:
                    return owners[-1].force
        return ""

    def _subset_force(self, noun_end: int) -> str:
        """ "50.000 Soldaten, darunter Nordkoreaner": the force of the part the whole includes."""
        following = self.lowered[noun_end : noun_end + 20].lstrip(" ,")
        if not following.startswith(lex.SUBSET_WORDS):
            return ""
        window_end = noun_end + 60
        return next((f.force for f in self.forces if noun_end <= f.start < window_end), "")

    def _location(
        self,
        mention: NumberMention,
        noun_end: int,
        clause_start: int,
        clause_end: int,
        parent: ExtractedFigure | None,
        last_place: Callable[[], PlaceMention | None],
        category: str,
    ) -> tuple[str, str]:
        """(location, context_location). None for a count of the whole world ("weltweit"); else the most
        specific place of the figure's clause, after the number first; a place the clause points back to
        ("there", "in der Region"); the parent's; the sentence's. A border's other side, or where refugees
        came from, only where nothing else is named (troops withdrawn "aus dem Irak" are in Iraq). Where
        the sentence names none, the place the text named last before it is the context."""
        if _WORLDWIDE.search(self.lowered, max(clause_start, mention.start - _WORLDWIDE_REACH),
                             min(clause_end, noun_end + _WORLDWIDE_REACH)):
            return "", ""  # "600,000 people worldwide ... a catastrophe in the U.S.": the world is no place name
        main = [p for p in self.places if not _aside(p, self.lowered, category)]
        after = [p for p in main if noun_end <= p.start < clause_end]
        before = [p for p in main if clause_start <= p.start < mention.start]
        # "in the city" points back; "in the city of Goma", "in der Provinz Idlib" name their place.
        # A sentence that names no place may point back outside the figure's clause: "10 shootings,
        # including five deaths, across the city".
        points_back = [m for m in _UNNAMED_PLACE.finditer(self.lowered, *((clause_start, clause_end) if self.places else (0,)))
                       if not any(0 < p.start - m.end() <= _NAMED_AFTER for p in self.places)]
        for candidates in (after, [] if points_back else before):
            if candidates:
                return _most_specific(candidates, self.lowered), ""
        if parent and parent.location and parent.span_start >= self.sentence.start:
            return parent.location, ""  # a whole in another sentence gives its place as the context only
        # Only a place the clause points back to: the figure's own sentence names where it is, or nothing
        # does ("Nine people were killed." after "A missile hit Kharkiv." has no place of its own).
        if points_back and (place := last_place()):
            country_wide = any((m.group("noun") or m.group()) in lex.UNNAMED_COUNTRY for m in points_back)
            return (country_name(place.country) or place.name if country_wide else place.name), ""
        if main or self.places:
            return _most_specific(main or self.places, self.lowered), ""
        if parent and parent.series_location:
            return "", parent.series_location
        return "", (place.name if (place := last_place()) else "")


# One to three capitalised words, "al-" and "N'" inside; a possessive "'s" ends the name ("Somalia's").
_NAME_WORD = r"[A-ZÄÖÜÉ](?:[\w-]|['’](?!s\b))+"
_PLACE_NAME = rf"(?P<name>(?:(?:al|el|as|ad)-)?{_NAME_WORD}(?:\s+(?:(?:al|el|as|ad)-|de\s+|du\s+)?{_NAME_WORD}){{0,2}})"
# Where a text says a place follows, and how specific what follows is: a settlement or quarter named as
# such (4), a place after "in" or "near" (3), a region named as such (2).
_ARMED_GROUPS = armed_groups()
_SETTLEMENT = 4
_PLACE_CUES = {
    "de": (
        (_SETTLEMENT, re.compile(r"\b(?:Ortschaft|Dorf(?:es)?|Stadt|Kleinstadt|Gemeinde|Stadtteil|Vorort(?:es|s)?|Viertel"
                       r"|Flüchtlingslager|Lager|Stützpunkt|Militärbasis|Hafenstadt|Vulkan(?:s)?)\s+" + _PLACE_NAME)),
        (3, re.compile(r"\b(?:in|nahe|bei|nördlich von|südlich von|östlich von|westlich von|oberhalb von|unterhalb von|"
                       r"unweit von|außerhalb von)\s+" + _PLACE_NAME)),
        (2, re.compile(r"\b(?:Bezirk|Distrikt|Provinz|Region|Bundesstaat|Gouvernement)\s+" + _PLACE_NAME)),
    ),
    "en": (
        (_SETTLEMENT, re.compile(r"\b(?:village|town|city|neighbou?rhood|suburb|camp|base|area|port)\s+of\s+" + _PLACE_NAME)),
        (_SETTLEMENT, re.compile(r"\b(?:[Vv]olcano|Mount)\s+" + _PLACE_NAME)),
        (_SETTLEMENT, re.compile(_PLACE_NAME + r"\s+(?:neighbou?rhood|suburb|camp|district|township|village)\b")),
        (3, re.compile(r"\b(?:in|near|outside|around|on|off)\s+(?:the\s+)?" + _PLACE_NAME)),
        (3, re.compile(r"\b(?:residents|inhabitants|villagers|people)\s+of\s+" + _PLACE_NAME)),
        (2, re.compile(_PLACE_NAME + r"\s+(?:region|province|state|governorate|county|prefecture|oblast)\b")),
    ),
}
_NEXT_WORD = re.compile(r"\.?\s?([^\W\d_][\w'’-]*)")  # the word right after a name, past an abbreviation's dot
_CAPITAL_BEFORE = re.compile(r"(?<![\w'’.-])([A-Z][\w'’.-]*)\s+$")
_POSSESSIVE = re.compile(r"['’]s$")
_DIRECTION_WORDS = frozenset(
    f"{side}{suffix}" for side in ("north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest")
    for suffix in ("", "ern")) | {"central", "upper", "lower", "greater", "inner", "outer", "far"}
_CLAUSE_OPENERS = {"", "die", "der", "das", "the", "and", "und", "but", "aber"}
_AGENT = (" von der", " von den", " vom", " by", " by the")
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|im|at|into|to|towards|near|nahe|bei|nach|auf|on|off|across|throughout|around|um|zur|zum|ins)\s+(?:der|dem|den|die|the)?\s*$"
)
_DATELINE = re.compile(r"^\s*[A-ZÄÖÜ][A-ZÄÖÜ .'-]{2,}(?:,\s*[\w .'-]{2,30})?\s*(?:\([\w .,/-]{1,30}\))?\s*[-–—]\s")
# Before a place: where people came from or a border's other side, not where the figure is.
_ORIGIN_BEFORE = re.compile(r"(?:\baus|\bfrom|\bvon)\s+(?:der|dem|den|the)?\s*$")
_BORDER_BEFORE = re.compile(r"(?:grenze\s+(?:zu|zur|zum|mit)|border\s+(?:with|to)|frontier\s+with)\s+(?:der|dem|den|the)?\s*$")


def _within_sentences(read: list[Sentence], offset: int, position: int, count: int) -> bool:
    """Whether ``offset`` lies in one of the ``count`` sentences before sentence ``position``."""
    return read[max(0, position - count)].start <= offset


def figure_places(text: str, lang: str, speaker_span: tuple[int, int]) -> list[PlaceMention]:
    """The sentence's places that can be a figure's place: not in the dateline ("ATHENS (Reuters) -"),
    not an adjective of a force ("U.S. soldiers"), not a country that acts ("Israel would free"),
    not where the speaker is, not a person's first name ("Wolodymyr Selenskyj"), not a capital that
    speaks ("Kiew äußerte sich nicht")."""
    dateline = _DATELINE.match(text)
    forces = find_forces(text, lang)
    adjectives = [f for f in forces if f.kind in ("adjective", "demonym")]
    kept = []
    places = _cued_places(text, lang, find_places(text, lang), forces)
    for place in places:
        if dateline and place.start < dateline.end() or speaker_span[0] <= place.start < speaker_span[1]:
            continue
        following = _NEXT_WORD.match(text, place.end)
        next_word = following.group(1) if following else ""
        if any(f.start <= place.start < f.end for f in adjectives) and _owned(next_word, lang):
            continue  # "750 U.S. soldiers", "the Myanmar military": whose, not where; but "in Myanmar rose" is where
        if next_word[:1].isupper() and not simplemma.is_known(next_word, lang=lang) and not find_places(next_word, lang):
            continue  # a first name
        written = text[place.start : place.end]
        if place.kind == "city" and not text[: place.start].strip() and simplemma.is_known(written.lower(), lang=lang):
            continue  # a common word that opens the sentence: "Reading", "Nice"
        if written.isupper() and place.kind != "country":
            continue  # "SUV", "AP": an abbreviation, not a town of that name
        if next_word.lower() in lex.VOCABULARIES[lang].speech or next_word.lower() in _SPEAKING:
            continue
        if next_word and counted_category(next_word, lang):
            continue  # "750 U.S. soldiers": whose, not where
        if next_word.lower() in lex.ORGANISATION_HEADS:
            continue  # "the Sinaloa Cartel", "New York Times": a name, not a place
        if lang == "en" and _word_of_a_longer_name(text, place, [*forces, *places]):
            continue
        if place.kind == "country" and _acts(text, place):
            continue
        kept.append(place)
    return kept


def _word_of_a_longer_name(text: str, place: PlaceMention, names: list[ForceMention | PlaceMention]) -> bool:
    """In English prose a capital marks a name, so a place right after a capitalised word inside the sentence
    is a word of a longer name the gazetteer does not know: a person's ("Judge Hassan Ali Nur"), a storm's
    ("Typhoon Rosal"), a port's ("Ras Isa"). Not after a direction ("Northern Gaza"), a force's adjective
    ("Russian Kursk region"), another place ("Bangladesh's Cox's Bazar"), a day or month, an acronym, or a
    sentence's first word ("In Gaza"), unless that word is a title."""
    before = _CAPITAL_BEFORE.search(text, max(0, place.start - 40), place.start)
    if before is None or before.group(1).isupper():
        return False
    word = _POSSESSIVE.sub("", before.group(1)).rstrip(".")
    if word.lower() in lex.VOCABULARIES["en"].titles:
        return True
    return bool(text[: before.start(1)].strip()) and not (
        word.lower() in _DIRECTION_WORDS or word.lower() in CALENDAR_WORDS
        or any(n.start <= before.start(1) < n.end for n in names))


def _owned(word: str, lang: str) -> bool:
    """Whether a word after a country's adjective is what the country owns: a name, a counted noun,
    a source or title ("U.S. Army", "U.S. soldiers", "Myanmar military", "U.S. President")."""
    lowered = word.lower()
    return bool(word[:1].isupper() or counted_category(word, lang) or lowered in lex.SOURCES
                or lowered in lex.ORGANISATION_HEADS or lowered in lex.VOCABULARIES[lang].titles)


def _acts(text: str, country: PlaceMention) -> bool:
    """A country that opens its clause or is an agent acts ("Die USA wollen ... verlegen", "Israel
    would free", "der von den USA unterstützte Deal"): whose, not where. One that heads the text
    ("Sudan: 12,000 killed") is where."""
    before = text[_clause_start(text, country.start) : country.start].strip().lower()
    if _SUFFERED_AFTER.match(text, country.end):
        return False  # "Spain has so far seen 28,000 deaths", "Madhya Pradesh zählt 799 Todesfälle": where
    return text[country.end : country.end + 1] != ":" and (before in _CLAUSE_OPENERS or before.endswith(_AGENT))


# A place as the subject of a verb that counts what befell it.
_SUFFERED_AFTER = re.compile(r"\s+(?:(?:has|have|had)\s+(?:\w+\s+){0,2}?)?(?:seen|recorded|registered|counted|suffered|"
                             r"zählt|zählte|verzeichnet|verzeichnete|registrierte|beklagt|beklagte)\b")


def _cued_places(text: str, lang: str, known: list[PlaceMention], forces: list[ForceMention]) -> list[PlaceMention]:
    """The gazetteer's places with the text's cues: places no gazetteer lists, named where the text says a
    place follows ("nahe der Ortschaft Tinzaouaten", "the village of Kuriga", "in Reasi"), in place of a
    shorter gazetteer match inside them ("Talat" in "Talat N'Yaaqoub"), and a known town the text names
    as a settlement ("an area of Vinhedo") as specific as one. Every word of an unknown name must be no
    common word, place, force or month, so "in Haft" or "in February" is no place."""
    places = list(known)
    cued = sorted(((match, rank) for rank, cue in _PLACE_CUES[lang] for match in cue.finditer(text)), key=lambda c: -c[1])
    for match, rank in cued:
        start, end = match.span("name")
        if canton := _CANTON_AFTER.search(match.group("name")):
            end -= len(canton.group())  # "Wettingen AG": the Swiss canton's letters are no part of the name
        name = text[start:end]
        same = next((p for p in places if (p.start, p.end) == (start, end)), None)
        if same:
            # "an area of Vinhedo": a known town named as a settlement; but in "the Damascus suburb of
            # Mezzeh" the suburb is the other name.
            if rank == _SETTLEMENT and not text.startswith(" of ", match.end()):
                places[places.index(same)] = replace(same, rank=rank)
            continue
        overlapping = [p for p in places if p.start < end and start < p.end]
        if any(p.kind == "cued" or p.start < start or p.end > end for p in overlapping) or any(
            f.start < end and start < f.end for f in forces
        ):
            continue  # part of another name, or a force's
        words = name.split()
        if any(w.lower() in lex.NOT_NAMES for w in words):
            continue
        # A city the gazetteer keeps out of this language as a frequent word, but after "in" or "near"
        # ("in Seattle", "near Buffalo"): read it as the other language's gazetteer does.
        other = find_places(name, "de" if lang == "en" else "en")
        if other and other[0].start == 0 and other[0].end == end - start:
            places.append(replace(other[0], start=start, end=end))
            continue
        if all(simplemma.is_known(w, lang=lang) for w in words):
            continue
        places = [p for p in places if p not in overlapping]
        places.append(PlaceMention(start, end, name, "cued", rank, ""))
    return sorted(places, key=lambda p: p.start)



def _armed_group(source: str, lang: str) -> bool:
    return bool(source) and any(f.force in _ARMED_GROUPS for f in find_forces(source, lang))


def _aside(place: PlaceMention, lowered: str, category: str) -> bool:
    """A border's other side, or where refugees came from: not where the figure is."""
    before = lowered[max(0, place.start - 30) : place.start]
    return bool(_BORDER_BEFORE.search(before) or (category == "refugees" and _ORIGIN_BEFORE.search(before)))


def _most_specific(places: list[PlaceMention], lowered: str) -> str:
    place = _most_specific_place(places, lowered)
    return place.name if place else ""


def _most_specific_place(places: list[PlaceMention], lowered: str) -> PlaceMention | None:
    """The most specific place; of equals, one the text puts a figure in ("at Israel", "in Seattle")
    before one that acts ("Iran fired"), then the later one."""
    def weight(place: PlaceMention) -> tuple[int, bool, int]:
        return place.rank, bool(_LOCATIVE_BEFORE.search(lowered[max(0, place.start - 12) : place.start])), place.start

    return max(places, key=weight) if places else None




def _without_hedge(words: list[str]) -> list[str]:
    """The words before a number less a hedge that ends them ("killed at least", "the lives of more than")."""
    if words and words[-1].lower() in ("between", "zwischen"):
        words = words[:-1]  # a range's opener: "abducted between 20 and 30 people"
    lowered = " ".join(words).lower()
    for hedge, _ in lex.HEDGES:
        if lowered == hedge or lowered.endswith(" " + hedge):
            return words[: len(words) - len(hedge.split())]
    return words


def _clause_start(text: str, position: int) -> int:
    start = 0
    for match in _CLAUSE_BREAK.finditer(text, 0, position):
        if not _in_scare_quotes(text, match) and not _abbreviation_bracket(text, match):
            start = match.end()
    return start


def _abbreviation_bracket(text: str, match: re.Match[str]) -> bool:
    """A bracket around an abbreviation goes on with the clause: "nach Angaben der Internationalen
    Organisation für Migration (IOM) ertrunken"."""
    if match.group() == "(":
        return bool(_ABBREVIATION_IN_BRACKETS.match(text, match.start()))
    return match.group() == ")" and bool(_ABBREVIATION_IN_BRACKETS.search(text, max(0, match.end() - 10), match.end()))


def _clause_end(text: str, position: int) -> int:
    inserted = False  # ", darunter 11.000 Nordkoreaner," goes on past the comma that closes it
    aside_end = 0
    for match in _CLAUSE_BREAK.finditer(text, position):
        if _in_scare_quotes(text, match) or _abbreviation_bracket(text, match):
            continue
        if match.group() == "," and text[match.end() :].lstrip().lower().startswith(lex.CLAUSE_CONTINUATIONS):
            inserted = True
            continue
        if match.group() == "," and inserted:
            inserted = False
            continue
        if match.start() < aside_end:
            continue
        if aside := _aside_between_dashes(text, match):
            aside_end = aside
            continue
        return match.start()
    return len(text)


_PAIRED_DASH = re.compile(r"[^–—\d]{3,80}?\s[–—]\s")


def _aside_between_dashes(text: str, match: re.Match[str]) -> int:
    """Where a remark between two dashes that counts nothing ends, 0 where there is none: the clause goes
    on past it ("25 Mio. Menschen im Sudan – rund die Hälfte der Bevölkerung – sind auf Hilfe angewiesen")."""
    closing = _PAIRED_DASH.match(text, match.end()) if match.group().strip() in ("–", "—") else None
    if closing is None or closing.group().lower().split()[0] in lex.CLAUSE_CONTINUATIONS:
        return 0
    return closing.end()


def _in_scare_quotes(text: str, match: re.Match[str]) -> bool:
    """A quotation mark around one or two words ("30 Terroristen „neutralisiert“") marks a word, not
    a quotation, and one that opens an event verb's object quotes it: neither ends a clause."""
    if match.group() not in _QUOTES:
        return False
    if _SHORT_QUOTED.match(text, match.end()) or _SHORT_QUOTED_BEFORE.search(text, 0, match.start()):
        return True
    # 'had killed "dozens of apostate soldiers"': a quote right after an event's verb is its object.
    # English quotes only: a German "die „fast 50.000 ...“" would read as the English verb "die".
    if match.group() != '"' or not re.match(r"[^\W\d_]", text[match.end() : match.end() + 1]):
        return False
    verb = re.search(r"([^\W\d_]+)\s$", text[max(0, match.start() - 30) : match.start()])
    return bool(verb and event_category(verb.group(1), "en"))


def _followed_by_no_noun(text: str, position: int) -> bool:
    """No noun after the number: its end, a stop word, or "of them" ("shot dead nine of them")."""
    following = _WORD.search(text, position)
    return (not following or not following.group()[0].isalpha() or following.group().lower() in _STOP_WORDS
            or bool(_OF_THEM.match(text, position)))


def _without_quote_marks(text: str) -> str:
    """The text with the quotation marks around a few words as spaces, so that offsets hold; quoted speech
    keeps its marks, which end the speaker's clause ("„Derzeit sind 11.000 ...“, sagte er in Budapest")."""
    if not any(mark in text for mark in _QUOTE_MARKS):
        return text

    def unquoted(match: re.Match[str]) -> str:
        words = match.group("double") if match.group("double") is not None else match.group("single")
        return f" {words} " if len(words.split()) <= _MOST_QUOTED_WORDS else match.group()

    return _QUOTED_WORDS.sub(unquoted, text)


def _noun_of_people_next(text: str) -> bool:
    """Whether ``text`` opens with a counted noun, one modifier before it at most: "stranded families"."""
    words = [m.group() for m in itertools.islice(_WORD.finditer(text), 2)]
    if words and words[0].lower() in _STOP_WORDS:
        return False  # "surrendered to troops", "killed in militant attack"
    return any(counted_category(word, "en") for word in words)


def _is_adjective(word: str) -> bool:
    if "-" in word.strip("-"):
        return True  # "anti-ship", "long-range", "surface-to-air"
    return word.endswith(("isch", "ische", "ischen", "ischer", "isches", "an", "ean", "ese", "ish", "i", "ed", "en", "er", "e",
                          "ic", "al", "ive", "ary", "ous", "ful")) or word in (
        "north", "south", "korean", "u.s", "us",
    )


def _not_a_count(text: str, mention: NumberMention, lang: str) -> bool:
    written = text[mention.start : mention.end]
    if any(m.start() <= mention.start < m.end() for m in _DATE.finditer(text, max(0, mention.start - 6), mention.end + 6)):
        return True
    if lang == "de" and re.match(r"\.\s", text[mention.end : mention.end + 2]) and written.isdigit() and len(written) <= 2:
        return True  # an ordinal: "am 6. August", "seit dem 1. September" ("wounding 23." ends an English sentence)
    glued = re.match(r"-([^\W\d_]+)", text[mention.end : mention.end + 30])
    if glued and glued.group(1).lower() not in ("man", "mann", "strong", "starke", "starken", "odd"):
        return True  # "12-year-old", "three-week", "20-köpfige"; "the 250-man SAS" is a count
    after = _WORD.search(text, mention.end)
    after_word = after.group().lower().rstrip(".") if after else ""
    if after and after_word in _CASE_MODIFIERS:  # "90,000 suspected cases", "300 new infections"
        second = _WORD.search(text, after.end())
        if second and second.group().lower() in lex.NOT_COUNTS_AFTER:
            return True
    # A unit, a month...; "24 may be missing": a month that is also a verb names the month only capitalised.
    measure = after_word in lex.NOT_COUNTS_AFTER and not (after_word in ("may", "march") and after and after.group().islower())
    if measure or text[mention.end : mention.end + 2].strip().startswith(("%", "€", "$", "£")) or _CLOCK.match(text, mention.end):
        return True
    before = text[max(0, mention.start - 16) : mention.start].lower().rstrip(" ~")
    if _NOT_COUNTS_BEFORE.search(before) and not (before.endswith(_YEAR_WORDS) and not mention.year_like):
        return True  # "im Jahr 2023"; but "im vergangenen Jahr 482 Menschen" is a count
    if before.endswith(("€", "$", "£", "#")):
        return True
    if written.isdigit() and int(written) <= _OLDEST and _an_age(text, mention, lang):
        return True  # "the truck driver, 47, was", "Der Täter (34) wurde festgenommen"
    preceding = text[max(0, mention.start - 30) : mention.start]
    if _AGES.search(preceding) or _AGE_LIMIT.search(preceding):
        return True  # "two men aged 58 and 63", "im Alter von 17 und 19 Jahren"
    if _DESIGNATION.search(preceding):
        return True  # a model's designation: "Radhaubitzen vom Typ RCH 155", "a Patriot of type PAC 3"
    if _ROAD.search(preceding):
        return True  # a road: "auf der B 27", "the M25", "die A 8"
    if _CASES_AFTER.match(text, mention.end):
        return True  # an epidemic's cases: "249,000 suspected cholera cases", "1.200 Masern-Verdachtsfälle"
    if _RATE_BASE.search(text, max(0, mention.start - 40), mention.start) or _RATE_AFTER.match(text, mention.end):
        return True  # a rate and its base: "58 Getötete je eine Million Einwohner", "12 deaths per 100,000 people"
    if written.isdigit() and len(written) == 4 and 1800 <= int(written) <= 2100 or mention.year_like and mention.low < mention.high:
        # A year unless a counted noun follows at once: "2000 soldiers" counts, "im Jahr 2000" and "seit 2021
        # Truppen in der Region" do not.
        return _SINCE_BEFORE.search(before) is not None or not (
            after and counted_category(after.group(), lang) and after.start() - mention.end <= 1)
    return False


def _an_age(text: str, mention: NumberMention, lang: str) -> bool:
    """A person's age set off after the person: "the truck driver, 47, was", "and Connor Hughes, 22.", "Der
    Täter (34)"."""
    before = _SET_OFF_BEFORE.search(text, max(0, mention.start - 40), mention.start)
    closers = (")",) if before is not None and before.group().endswith("(") else (",", ".")
    if before is None or not text.startswith(closers, mention.end):
        return False
    word = before.group("word")
    return word[:1].isupper() or counted_category(word, lang) in lex.PEOPLE_CATEGORIES


_LIST_TO_DEATH = re.compile(r"(?:\s*,?\s*(?:or|and|oder|und)?\s*[a-zäöüß]+){1,3}\s+(?:to death|zu tode)\b")
# A relative clause with a verb of its own, then the main clause's: "people who had sought refuge there were".
_RELATIVE_THEN_MAIN = re.compile(r"\s+(?:who|that)\s+[^,;.]*?\s(?:were|was|are|is|have been|has been|had been)\s+", re.I)
_PASSIVE = re.compile(r"\b(?:were|was|been|be|being|is|are|got|get)\b", re.I)
_DETERMINER_AFTER = re.compile(r"\s+(?:the|a|an|his|her|their|its|all|most|much|parts?|control)\s", re.I)
_OLDEST = 120
# A count of the people who tell: "two residents told Al Jazeera", "drei Augenzeugen sagten".
_SPEAKERS_VERB = re.compile(r"\s+(?:told(?!\s+to\b)|said|say|says|sagten|berichteten|erzählten)\b")  # not "told to leave"
_SET_OFF_BEFORE = re.compile(r"(?P<word>[^\W\d_][\w'’-]*)(?:,\s|\s\()$")
_RELATIVE_CLAUSE = {"de": re.compile(r"\s*,\s*(?:die|der|denen|welche)\s"), "en": re.compile(r"\s*,?\s*(?:who|that|which)\s")}
# How far before "to N" the noun that changed may stand: a sentence's length, not a text's.
_CHANGE_REACH = 200
_NUMBER_OF = {"zahl der", "anzahl der", "zahl von", "number of"}
_YEAR_WORDS = ("jahr", "jahres", "year")
_CLOCK = re.compile(r"\s?[ap]\.\s?m\.", re.I)  # "4 a.m."
_OTHER_TOLL = re.compile(r"injur|wound|casualt|missing|displace")
_A_TOLL = re.compile(r"\btoll\b(?!-)")  # not "toll-free", "bells tolled"
_CASE_MODIFIERS = {"suspected", "confirmed", "new", "active", "reported", "additional", "probable",
                   "neue", "neuen", "bestätigte", "bestätigten", "weitere", "weiteren"}
_TO_BEFORE = re.compile(
    r"\b(?:to|at|auf|bei|with|mit)\s+(?:(?:an estimated|about|around|more than|nearly|some|rund|etwa|mehr als|knapp)\s+)?$"
)
_DIGIT = re.compile(r"\d")
_DEATH_TOLL = re.compile(r"\bdeath toll\b|\btodesbilanz\b|\bzahl der toten\b")
# A rate's "per" and its base: "per 100 million", "pro 100.000", "je eine Million".
_PER_BASE = r"(?:per|pro|je)\s+(?:(?:eine|einer|one|a)\s+)?(?:\d|hundred|thousand|million|mio|hundert|tausend)"
_RATE = re.compile(r"\s*" + _PER_BASE, re.I)
_RATE_AFTER = re.compile(r"\s+[^\W\d_]+\s+" + _PER_BASE, re.I)  # the rate's noun between: "58 Getötete je eine Million"
_PART_OPENER = re.compile(r"\s*(?:unter (?:ihnen|den \w+)|among (?:them|the \w+)|darunter|including)\b", re.I)
# A counted noun as a label before a colon, hedges between: "Tote: mindestens 21".
_LABEL_BEFORE = re.compile(r"(?P<noun>[^\W\d_][\w-]*)\s*:\s*(?:[^\W\d_]+\s+){0,2}$")
# The whole a count is a part of: "21 of the 23 people on board were killed" (the 23 were not).
_WHOLE_OF_A_PART = re.compile(r"\s+(?:of\s+(?:the|its|their)|der|von\s+den)\s+(?:(?:roughly|about|around|some|nearly|"
                              r"more than|rund|etwa|knapp|mehr als)\s+)?", re.I)
_NAME_BEFORE = re.compile(r"\b[A-Z][a-z]+ $")
_APPOSITION = re.compile(r",[^,;.:()]{3,80},\s+(?=(?:have|has|had|were|was|are|is|will|would|could|may|might|"
                         r"sind|seien|wurden|waren|haben|hatten|mussten|müssen|werden)\b)")
# Between dashes, no auxiliary needed: "390 of its citizens — 307 soldiers and 83 civilians — came home".
_DASH_APPOSITION = re.compile(r"\s*[—–]\s*[^—–;.:()]{3,80}?\s*[—–]\s+")
# A dash apposition needs no auxiliary after it, so its event must stand close.
_DASH_APPOSITION_EVENT_REACH = 30
# A whole named before the number, with a comma: "Of the dead, 19 were from Swat", "Von den Verletzten schweben 3".
_FRONTED_WHOLE = re.compile(r"\b(?:[Oo]f|[Vv]on) (?:the|den|these|those) (?P<noun>[^\W\d_][\w-]*)(?: [^\W\d_][\w-]*)?,\s*"
                            r"(?:(?:about|some|nearly|more than|at least|rund|etwa|mehr als|mindestens)\s+)?$")
# A dash right before a count opens the breakdown of the count before it.
_DASH_BEFORE = re.compile(r"[—–]\s*$")
_AMONG_AFTER = re.compile(r"\s+(?:were|was|are|is|waren|sind|seien)\s+(?:among|unter)\s+(?:the|den)?\s*(?:[^\W\d_]+\s+){0,2}",
                          re.I)
_AMONG = re.compile(r"\b(?:[Aa]mong|[Uu]nter)\s+(?:the|those|den)\s+([^\W\d_]+)")
# "21 Polizisten und mindestens 30 Demonstranten wurden verletzt": a hedge may follow the conjunction.
_CONJUNCTION_ONLY = re.compile(r"[^,;.:]{0,40}?\s(?:und|and|sowie|or|oder)(?:\s+(?:" + "|".join(
    sorted((re.escape(h) for h, _ in lex.HEDGES), key=len, reverse=True)) + r"))?\s*$", re.I)
_INFECTED_BEFORE = re.compile(r"\b(?:infected|sickened|infiziert(?:e|en)?|angesteckt)\s+(?:(?:more than|some|about|nearly|at least|"
                              r"mehr als|rund|etwa|fast|mindestens)\s+)?$", re.I)
_LOST_AFTER = re.compile(r"\s+(?:[^\W\d_]+\s+){0,3}?verloren\b")  # "hat ... 900 Soldaten verloren"
_LOST_BEFORE = re.compile(r"\b(?:lost|verlor|verloren)\b[^,;.]{0,40}$")
_NEXT_COUNTS_VERB = re.compile(r"\s(?:und|and)\s+([^\W\d_]+)\s+(?:(?:mehr als|mindestens|rund|etwa|more than|at least|about|some)\s+)?$")
_OWN_PREDICATE = re.compile(r"\b(?:were|was|are|is|been|have|has|had|sind|seien|wurden|waren|wurde|haben|hatten)\b", re.I)
_LIST_ITEM = re.compile(r"\s*(?:[^\W\d_][\w'’-]*\s+){0,7}[^\W\d_][\w'’-]*(?:\s*,|,?\s+(?:und|and|sowie))\s+")
_OF_THEM = re.compile(r"\s+(?:of them|davon|von ihnen)\b", re.I)
_NOUN_AND = re.compile(r"\s*[^\W\d_][\w-]*\s+(?:und|and|sowie)\s+$")
_FOCUS_WORDS = {"allein", "alone", "sogar", "even", "auch", "also", "nur", "only", "noch", "still"}
_RETRACTION_HINTS = ("version", "Version", "Fassung")
# A correction that says what an earlier version had wrong.
_RETRACTED = re.compile(r"\b(?:(?:früheren|vorherigen|ersten) (?:Version|Fassung) (?:dieses|des) (?:Artikels|Textes|Beitrags)"
                        r"|[Aa]n earlier version of this (?:article|story|report))\b")
# A few words in quotation marks, no clause: "dozens", 'more than 30 apostate soldiers'. A single quote opens
# before a word and closes after one, so an apostrophe stays one ("Yemen's", "soldiers' letters").
_QUOTED_WORDS = re.compile(r"[\"“„«»](?P<double>[^\"“”„«».,;:!?]{1,60}?)[\"”“»«]"
                           r"|(?<![^\W\d_])['‘’](?=[^\W\d_])(?P<single>[^'‘’.,;:!?]{0,60}?[^\W_])['‘’](?![^\W\d_])")
_MOST_QUOTED_WORDS = 5
_QUOTE_MARKS = "\"“”„«»'‘’"
_ALL = {"all", "alle", "allen", "sämtliche", "sämtlichen"}
# A count's own "as reported": "up from 74 reported on Sunday", "nach zuvor 16 gemeldeten".
_AS_REPORTED = {"reported", "recorded", "registered", "confirmed", "gemeldet", "gemeldeten", "registriert", "bestätigt"}
_NOT_A_VERB = _FOCUS_WORDS | _ADVERBS | _MORE
_PARTITIVE_DETERMINERS = {"the", "its", "their", "his", "her", "our", "these", "those"}
_HEDGE_WORDS = frozenset(word for hedge, _ in lex.HEDGES for word in hedge.split())
# A fact box's colon before its number, hedges between: "Fled abroad: about 3.2 million".
_COLON_BEFORE = re.compile(r":\s*(?:(?:" + "|".join(sorted((re.escape(w) for w in _HEDGE_WORDS), key=len, reverse=True))
                           + r")\s+){0,3}$", re.I)
_LABEL_STARTS = ("\n", "|", "•", ";", ",", ":", "–", "—")
_LONGEST_LABEL = 100
# Event phrases that can tell what happened to a noun before them: not one that names its own object
# ("troops ... ahead of the evacuation of British nationals").
_SUBJECT_EVENT_PHRASES = {lang: tuple((p, c) for p, c in lex.VOCABULARIES[lang].event_phrases.items()
                                      if not p.endswith((" of", " von"))) for lang in lex.LANGS}
_RELATIVE_PART = re.compile(r"\b(?:of whom|of which|among whom|von denen|unter denen)\b", re.I)
# "children under five", "most of them over 60": an age limit of the people just named, not a count.
_AGE_LIMIT = re.compile(r"\b(?:children|kinder|people|menschen|them|ihnen|adults|erwachsene)\s+(?:under|over|unter|über)\s+$", re.I)
_AGES = re.compile(r"\b(?:aged|alter von)\s+\d+(?:\s*(?:,|and|und|to|bis)\s*\d+)*\s*(?:,|and|und|to|bis)\s*$", re.I)
# Whole words only: "age" before a number is no "village" or "Feiertage".
_NOT_COUNTS_BEFORE = re.compile(r"(?:^|(?<![^\W\d_]))(?:" + "|".join(map(re.escape, lex.NOT_COUNTS_BEFORE)) + r")$")
_RATE_BASE = re.compile(r"\d\s+[^\W\d_]+\s+(?:je|pro)\s+$")
_GATHERED = re.compile(r"\s+(?:(?:have|had|were|haben|hatten|sich)\s+)?(?:gathered|rallied|marched|protested|"
                       r"demonstrated|turned out|attended|versammelten|versammelt|demonstrierten|protestierten)\b")
_SHOT_DOWN = re.compile(r"\s+down\b")
_PARTLY = re.compile(r"zum teil\b|teil\b(?<=zum teil)")  # "14 zum Teil Schwerverletzte"
_MORE_FILLER = re.compile(r"(?:^|\s)(?:" + "|".join((*_MORE_PHRASES, "a total of", "insgesamt")) + r")$")
_CANTON_AFTER = re.compile(r"\s+[A-Z]{2}$")
_SINCE_BEFORE = re.compile(r"\b(?:seit|since|bis|until|ab)$")
_LONG_SERVICE_CRAFT = tuple(craft for craft in lex.SERVICE_CRAFT if len(craft) >= 8)  # a German compound's tail
_NUMBER_THEN_LABEL = re.compile(r"\s*(?::|\s[–—-])\s+(?:(?:so viele|so many)\s+)?", re.I)
_BULLETS = " \t•*·–—-"
_BODIES_OF = re.compile(r"\b(?:leichen|leichname|bodies|remains)\s+(?:von\s+|of\s+)?$")
_CASES_AFTER = re.compile(r"\s+(?:[^\W\d_][\w-]*\s+){0,2}(?:cases|infections|(?:neu)?infektionen|(?:[\w-]*?(?:verdachts|"
                          r"krankheits|infektions|erkrankungs|masern|corona|cholera|grippe)-?)?fälle)\b", re.I)
_ROAD = re.compile(r"(?<![\w.'’-])(?:[ABLKSMNE]|St)[ -]?$")  # the class letter of a road before its number
_DESIGNATION = re.compile(r"\b(?:[Tt]yps?|[Tt]ype|[Mm]odell|[Mm]odel|[Vv]ersion)\s+[A-Z][\w-]*\s*$"
                          r"|(?:[Bb]rigade|[Dd]ivision|[Rr]egiment|[Bb]ataillon|[Bb]attalion|[Kk]orps|[Cc]orps|[Gg]eschwader)\s+$")


def _linked(between: str) -> bool:
    lowered = between.lower()
    return any(link in lowered for link in lex.PARENT_LINKS)


def _qualifier(before: str, mention: NumberMention) -> str:
    tail = " ".join(before.lower().split()[-3:])
    for hedge, qualifier in lex.HEDGES:
        if tail.endswith(hedge) and (len(tail) == len(hedge) or not tail[-len(hedge) - 1].isalnum()):
            return qualifier
    return "approx" if mention.vague else "exact"


_SOLL_PERFECT = re.compile(r"\b(?:soll|sollen)\b.*\b(?:sein|haben|worden)\b")


def _status(clause: str, lang: str) -> str:
    """expected for plans and forecasts, possible for unconfirmed claims, else reported."""
    vocabulary = lex.VOCABULARIES[lang]
    words = set(re.findall(r"[^\W\d_]+", clause))
    if lang == "de" and _SOLL_PERFECT.search(clause):
        return "possible"  # "sollen 500 Soldaten gefallen sein"
    if words & vocabulary.possible - {"soll", "sollen"} or any(p in clause for p in vocabulary.possible_phrases):
        return "possible"
    if _CLAIMED.search(clause):
        return "possible"  # "claimed on its radio station to have killed 47"
    if words & vocabulary.expected or any(p in clause for p in vocabulary.expected_phrases) or words & {"soll", "sollen"}:
        return "expected"
    return "reported"



_NAME = r"[A-ZÄÖÜ][\w’'-]+(?:\s+(?:al-|bin\s+|von\s+|van\s+|de\s+)?[A-ZÄÖÜ][\w’'-]+){0,2}"


def _attribution_patterns(lang: str) -> tuple[re.Pattern[str], ...]:
    """A source after a speech word ("laut X", "sagte X", "according to X") or before it ("X said",
    "X told AP": the one told is no source)."""
    speech = sorted(lex.VOCABULARIES[lang].speech | set(lex.VOCABULARIES[lang].speech_phrases), key=len, reverse=True)
    verbs = "|".join(re.escape(word) for word in speech)
    verbs_before_source = "|".join(re.escape(word) for word in speech if word not in _TOLD)
    article = r"(?:(?:de[rsmn]|die|das|eine[rsmn]?|von|vom)\s+)?" if lang == "de" else r"(?:by\s+)?(?:the\s+)?"
    auxiliary = r"(?:(?:hat|habe|hatte|haben)\s+)?" if lang == "de" else r"(?:(?:has|had|have)\s+)?"
    return (
        # "nach Armeeangaben", "nach Nato-Schätzungen"
        *([re.compile(r"\bnach\s+(?P<who>\w{2,}?)-?(?:[Aa]ngaben|[Ss]chätzungen|[Zz]ahlen)\b")] if lang == "de" else []),
        # An abbreviation's dot stays in the name: "according to the U.N. human rights office".
        re.compile(rf"(?i:\b(?P<verb>{verbs_before_source}))\s+(?P<article>{article})(?P<who>(?:[^.,;:!?\d]|(?<=\b[A-Z])\.){{2,60}})"),
        re.compile(rf"(?P<who>(?:[\w’'.-]+\s+){{0,3}}[\w’'.-]+)\s+{auxiliary}(?:{verbs})\b"),
        # Past an apposition: "Iran Human Rights, a group based in Oslo, said", "Klymenko, speaking in Kyiv, said".
        *([re.compile(rf"(?P<who>(?:[\w’'.-]+\s+){{0,3}}[\w’'.-]+),\s[^,;:]{{3,60}},\s+{auxiliary}(?:{verbs})\b")]
          if lang == "en" else []),
    )


_ATTRIBUTION_PATTERNS = {lang: _attribution_patterns(lang) for lang in lex.LANGS}
_OWN_ACCOUNT = re.compile(r"\bnach eigenen angaben\b|\beigenen angaben zufolge\b|\bby (?:its|their) own account\b"
                          r"|\baccording to (?:its|their) own\b")
_UNNAMED_SOURCE = re.compile(r"\b\w*(?:kreisen|quellen)\b|\b(?:sources|officials|circles)\b")


@lru_cache(maxsize=4096)
def _speaker(sentence: str, lang: str) -> tuple[str, tuple[int, int]]:
    """Who says what the sentence reports, and where that phrase stands ("" when nobody is named).
    A titled person or a known organisation beats a bare capitalised name found first."""
    lowered = sentence.lower()
    if not _has_speech(lowered, lang):
        return "", (0, 0)
    own = _OWN_ACCOUNT.search(lowered)
    if own:  # "Die Huthi-Miliz hat nach eigenen Angaben ...": the subject speaks for itself
        subject = sentence[: own.start()]
        who, end, _ = _source(subject, lang)
        if not who:
            group = next((f for f in find_forces(subject, lang) if f.kind == "organisation"), None)
            who = subject[group.start : group.end] if group else ""
        if who:
            return who, (own.start(), own.end())
    best: tuple[int, str, tuple[int, int]] = (0, "", (0, 0))
    for pattern in _ATTRIBUTION_PATTERNS[lang]:
        for match in pattern.finditer(sentence):
            if _reports_content(match, lang):
                continue  # "Pakistan said on Wednesday that Indian shelling across the Line of Control ...": what was said
            # Before a verb, the subject comes first: "wie Gouverneur Prokudin auf Telegram mitteilte".
            subject_first = _subject_follows(match, lang) if "verb" in match.re.groupindex else True
            who, end, sure = _source(match.group("who"), lang, subject_first, _institution_follows(match, lang))
            if not who and "verb" not in match.re.groupindex:
                who, end, sure = _country_subject(match.group("who"), lang)
            if who in _PRONOUN_SPEAKERS and match.start("who") > match.start() and not _inverted(sentence, match.start()):
                continue  # "JNIM said it had captured 30": "it" is the reported clause's subject
            if who and sure >= best[0] and (sure > best[0] or _speech_ends(sentence, match)):
                name_end = match.start("who") + end
                # Where the source sits belongs to it: "aus dem Verteidigungsministerium in Berlin", "des
                # Polizeipräsidiums Stuttgart".
                seat = _SEAT.match(sentence, name_end)
                seat_end = seat.end() if seat else _place_right_after(sentence, name_end, lang)
                best = (sure, who, (match.start(), seat_end or name_end))
    if not best[1]:
        # An unnamed source sits somewhere too: "aus Regierungskreisen in Ankara", "officials in Kyiv".
        for unnamed in _UNNAMED_SOURCE.finditer(lowered):
            if seat := _SEAT.match(sentence, unnamed.end()):
                return "", (unnamed.start(), seat.end())
    return best[1], best[2]



def _place_right_after(sentence: str, position: int, lang: str) -> int:
    """The end of a place named right after ``position`` ("Polizeipräsidium Stuttgart"), else 0."""
    if not sentence[position : position + 1].isspace():
        return 0
    place = next(iter(find_places(sentence[position : position + 40], lang)), None)
    return position + place.end if place and place.start == 1 else 0


def _has_speech(lowered: str, lang: str) -> bool:
    """Whether a sentence (lowercased) has a word or phrase of speech or of a source."""
    vocabulary = lex.VOCABULARIES[lang]
    return bool(set(re.findall(r"[^\W\d_]+", lowered)) & vocabulary.speech or any(p in lowered for p in vocabulary.speech_phrases)
                or (lang == "de" and ("angaben" in lowered or "schätzungen" in lowered)))


def _subject_follows(match: re.Match[str], lang: str) -> bool:
    """Whether the phrase after a speech verb opens with its subject: a bare name after a finite verb
    in the singular ("sagte Cruz", "erklärte Merkel", "said Kirby"), which a German singular noun
    could only follow with an article ("sagte der Sprecher")."""
    if "verb" not in match.re.groupindex or match.group("article"):
        return False
    verb = match.group("verb").lower()
    return verb not in _PREPOSITION_SOURCES and not (lang == "de" and verb.endswith("en"))


def _country_subject(phrase: str, lang: str) -> tuple[str, int, int]:
    """A country right before a speech verb speaks through its government: "Pakistan said", "India
    reported"."""
    country = next((p for p in reversed(find_places(phrase, lang)) if p.kind == "country"), None)
    if country is None or phrase[country.end :].strip():
        return "", 0, 0
    return phrase[country.start : country.end], country.end, 1


_INSTITUTION_PREPOSITIONS = {"nach angaben", "laut", "nach schätzungen", "nach zählung", "nach erkenntnissen",
                              "nach einschätzung", "nach informationen", "nach berechnungen", "nach zahlen"}


def _institution_follows(match: re.Match[str], lang: str) -> bool:
    """Whether a German source preposition and its article introduce an institution, whatever its
    name: "nach Angaben der Militärverwaltung", "laut dem Katastrophenschutz"."""
    return (lang == "de" and "verb" in match.re.groupindex and bool(match.group("article"))
            and (match.group("verb").lower() in _INSTITUTION_PREPOSITIONS))


def _reports_content(match: re.Match[str], lang: str) -> bool:
    """An English speech verb followed by lowercase words opens what was said, not who said it
    ("said on Wednesday that ..."); "said Kirby", "according to the ministry" name a source."""
    if lang != "en" or "verb" not in match.re.groupindex or match.group("article"):
        return False
    return match.group("verb").lower() not in ("according to", "citing", "quoting") and match.group("who")[:1].islower()


def _speech_ends(sentence: str, match: re.Match[str]) -> bool:
    """Of two sources as sure, the one whose speech verb closes the sentence's report wins: in "...
    since President Noboa declared ..., Defence Minister Loffredo said Tuesday" it is Loffredo."""
    return bool(re.match(r"(?:\s+\w+)?\s*(?:[,.;]|$)", sentence[match.end() :]))


def _inverted(sentence: str, verb_start: int) -> bool:
    """Whether a speech verb follows what was said: '..., said he', „...", sagte er'."""
    return not sentence[:verb_start].strip() or sentence[:verb_start].rstrip()[-1] in ",\"“”„'’«»"


# A long source name also ends a German compound: "Bundesinnenministeriums", "Staatsmedien".
_NAME_AFTER_SOURCE = re.compile(r"\s+\(?(?P<name>[A-Z][A-Z0-9]{1,6}|[A-Z][a-z]{2,5}(?=\s+(?:am|on|in|mit|said|sagte|teilte)\b))\)?")
_SOURCE_NAMES = re.compile(
    r"(?:(?<![\w-])|(?<=\w)(?=\w{8}))(?:" + "|".join(map(re.escape, sorted(lex.SOURCES, key=len, reverse=True))) + r")(?:e?s)?(?![\w-])"
)


def source_name(phrase: str, lang: str) -> tuple[str, int]:
    """The name in a source phrase and where it ends there: a titled person's surname, a known
    organisation, or a run of capitalised words that is no place, force or common noun ("", 0 when
    the phrase names nobody)."""
    who, end, _ = _source(phrase, lang)
    return who, end


def _source(phrase: str, lang: str, subject_first: bool = False, institution: bool = False) -> tuple[str, int, int]:
    """``source_name`` and how sure it is: 2 for a titled person, a known source or a pronoun, 1 for a
    bare capitalised name. ``subject_first``: the phrase follows a speech verb and opens with its
    subject (``_subject_follows``); ``institution``: it opens with an institution's noun
    (``_institution_follows``), its name when nothing else is."""
    lowered = phrase.lower()
    first = re.match(r"\w+", lowered)
    if first and first.group() in _PRONOUN_SPEAKERS:
        return first.group(), first.end(), 2
    titles = lex.VOCABULARIES[lang].titles
    words = list(re.finditer(r"[\w’'.-]+", phrase))
    known = max(_SOURCE_NAMES.finditer(lowered), key=lambda m: len(m.group()), default=None)
    for index, word in enumerate(words):
        bare = word.group().lower()
        if (bare in titles or bare.split("-")[-1] in titles or _compound_title(bare, titles, lang)) and not (
            known and known.start() <= word.start() < known.end() < len(lowered) and known.end() > word.end()
        ):
            following = _name_after_title(words[index + 1 : index + 6])
            if following:
                return following.group().strip("’'.,"), following.end(), 2  # "Präsident Wolodymyr Selenskyj"
    if known:  # the longest: "health ministry" over "ministry"
        if (named := _NAME_AFTER_SOURCE.match(phrase, known.end())) and named.group("name").lower() not in lex.NOT_NAMES:
            return named.group("name"), named.end(), 2  # "die Katastrophenschutzbehörde NDMA", "the agency (UNGRD)"
        written = known.group()
        return lex.SOURCES.get(written) or lex.SOURCES[re.sub(r"e?s$", "", written)], known.end(), 2
    run = _name_run(phrase, words, lang, subject_first)
    if run:
        return " ".join(w.group().strip("’'.") for w in run), run[-1].end(), 1
    # Past its adjectives: "der dortigen Gesundheitsbehörde", "der zuständigen französischen Seepräfektur".
    head = next((w for w in words[:4] if w.group()[:1].isupper()), None) if lang == "de" else (words[0] if words else None)
    if institution and head and head.group()[:1].isupper() and not (
        counted_category(head.group(), lang) or find_places(head.group(), lang) or head.group().lower() in lex.NOT_NAMES
    ):
        return simplemma.lemmatize(head.group(), lang="de"), head.end(), 1  # "des Katastrophenschutzes"
    return "", 0, 0



def _compound_title(word: str, titles: frozenset[str], lang: str) -> bool:
    """A German title at the end of a compound: "Polizeisprecher", "Armeesprecherin", "Innenminister"."""
    return lang == "de" and len(word) > 9 and any(word.endswith(t) for t in titles if len(t) >= 7)


def _name_after_title(words: list[re.Match[str]]) -> re.Match[str] | None:
    """The surname of the name after a title: its last word, past ranks ("Lt. Col."), with particles
    ("Abdulmenam al-Ghaithi", "Ursula von der Leyen")."""
    name = None
    previous = ""
    for word in words:
        text = word.group()
        if text.lower() in _RANKS:
            continue
        if text[:1].isupper() or _NAME_PARTICLE.match(text):
            name = word
        # "der" joins a name only after "von"/"van": in "Thomas Meier der Deutschen Presse-Agentur" it
        # opens the one he spoke to.
        elif name is not None and not (text.lower() in ("von", "van", "de", "bin", "ibn")
                                       or text.lower() == "der" and previous in ("von", "van")):
            break
        previous = text.lower()
    return name


def _name_run(phrase: str, words: list[re.Match[str]], lang: str, subject_first: bool = False) -> list[re.Match[str]]:
    """The last run of adjacent capitalised words that can be a name ("U.S. Central Command", "Kirby");
    with ``subject_first``, the run the phrase opens with: in „erklärte Cruz in einem Interview mit
    ‚Face the Nation‘" the speaker is Cruz."""
    # An armed group speaks for itself ("Al-Shabaab said"); a country's adjective or a place names nobody.
    unnamed = {(p.start, p.end) for p in find_places(phrase, lang)} | {
        (f.start, f.end) for f in find_forces(phrase, lang) if f.kind != "organisation"
    }
    runs: list[list[re.Match[str]]] = [[]]
    for index, word in enumerate(words):
        if _can_be_name(word, words[index - 1].group().lower() if index else "", lang, subject_first and not index) and not any(
            start <= word.start() < end for start, end in unnamed
        ):
            runs[-1].append(word)
        elif runs[-1] and word.group() in _NAME_JOINERS and index + 1 < len(words) and words[index + 1].group()[:1].isupper():
            runs[-1].append(word)  # "International Organization for Migration"
        elif runs[-1]:
            runs.append([])
    for run in runs:
        while run and run[-1].group() in _NAME_JOINERS:
            run.pop()  # "Scholz der" of "Scholz der Süddeutschen Zeitung", the paper not being a name
    if subject_first and runs[0] and runs[0][0] is words[0]:
        return runs[0][-4:]
    return next((run[-4:] for run in reversed(runs) if run), [])


def _can_be_name(word: re.Match[str], before: str, lang: str, subject: bool = False) -> bool:
    text = word.group()
    lowered = text.lower().strip("’'.")
    if not text[:1].isupper() or lowered in lex.NOT_NAMES or lowered in _STOP_WORDS:
        return False
    if lowered in lex.VOCABULARIES[lang].speech or counted_category(text, lang) or event_category(text, lang):
        return False
    if find_numbers(text, lang):
        return False  # "Hunderte", "Tausende"
    # German capitalises every noun: one after an article or preposition, or one the dictionary knows,
    # is a noun ("dem Radiosender", "Angriff"), not a name. The dictionary also holds names ("Scholz",
    # "Merkel", "Cruz"): as a verb's bare subject, a word that is its own lemma (no plural such as
    # "Experten") is one.
    if lang != "de" or subject and simplemma.lemmatize(text, lang="de") == text:
        return True
    return not (before in _GERMAN_DETERMINERS or simplemma.is_known(text, lang="de"))


def _without_restated_headline(figures: list[ExtractedFigure], read: list[Sentence], text: str) -> list[ExtractedFigure]:
    """A headline's rounder figure is the text's exact one once: "Mehr als 40 Tote nach Luftangriffen" over a
    lead's 43 dead, "Dozens killed" over 31; the headline's mention counts toward the figure it restates."""
    headline = read[0]
    end = headline.start + len(headline.text)
    if not text[end : end + 1] == "\n" or headline.text.rstrip()[-1:] in ".!?:":
        return figures
    body = [f for f in figures if f.span_start >= end]
    kept = []
    for figure in (f for f in figures if f.span_start < end):
        # A headline figure the text states again as it is has been merged with it already.
        restated = figure.mentions == 1 and next(
            (b for b in body if b.category == figure.category and _restates(figure, b)), None)
        if not restated:
            kept.append(figure)
        else:
            body[body.index(restated)] = replace(restated, mentions=restated.mentions + figure.mentions)
    return kept + body


def _restates(headline: ExtractedFigure, figure: ExtractedFigure) -> bool:
    """Whether a headline's hedged or vague number may be the exact one of the text below it."""
    if headline.vague:
        return headline.value_low <= figure.value_low and figure.value_high <= headline.value_high
    value, exact = headline.value, figure.value
    return {
        "more_than": value <= exact <= 2 * value,
        "at_least": value <= exact <= 2 * value,
        "approx": abs(exact - value) <= 0.15 * value,
        "nearly": 0.8 * value <= exact <= value,
        "up_to": 0.8 * value <= exact <= value,
    }.get(headline.qualifier, False)


def _same_figure(a: ExtractedFigure, b: ExtractedFigure) -> bool:
    """One figure stated twice: same value, what and status; whose agrees where both are known, and
    where too, unless the two stand close together (a headline's "Damascus" and its lead's suburb)."""
    return (
        (a.value, a.value_low, a.value_high, a.category, a.status) == (b.value, b.value_low, b.value_high, b.category, b.status)
        and (not a.force or not b.force or a.force == b.force)
        and (not a.location or not b.location or a.location == b.location or abs(a.span_start - b.span_start) <= _RESTATED_WITHIN)
    )



def _merged(figures: list[ExtractedFigure]) -> list[ExtractedFigure]:
    """Each figure once, with its mentions counted; the first mention's wording is kept."""
    merged: list[ExtractedFigure] = []
    for figure in figures:
        index = next((i for i, kept in enumerate(merged) if _same_figure(kept, figure)), None)
        if index is None:
            merged.append(figure)
            continue
        kept = merged[index]
        # Of two places, the surer mention's (a lead's over its headline's).
        place = figure.location if figure.location and figure.confidence > kept.confidence else kept.location
        merged[index] = replace(
            kept,
            force=kept.force or figure.force,
            location=place or figure.location,
            context_location="" if place or figure.location else kept.context_location or figure.context_location,
            attribution=kept.attribution or figure.attribution,
            mentions=kept.mentions + figure.mentions,
            confidence=max(kept.confidence, figure.confidence),
        )
    return merged
