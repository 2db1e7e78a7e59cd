"""The vocabulary figure extraction reads, as data: hedges, counted nouns, forces, places, speakers.

Patterns are matched case-insensitively on word boundaries. To teach the extractor a new noun, force
or place, add a row here; ``figure_extractor`` holds no words of its own.
"""

from __future__ import annotations

# Hedge words right before a number -> qualifier.
HEDGES: dict[str, str] = {
    "schätzungsweise": "approx", "etwa": "approx", "rund": "approx", "ca.": "approx", "circa": "approx",
    "zirka": "approx", "ungefähr": "approx", "gut": "approx", "about": "approx", "around": "approx",
    "approximately": "approx", "roughly": "approx", "some": "approx", "an estimated": "approx",
    "estimated": "approx", "fast": "nearly", "knapp": "nearly", "beinahe": "nearly", "nahezu": "nearly",
    "nearly": "nearly", "almost": "nearly", "mehr als": "more_than", "über": "more_than",
    "more than": "more_than", "over": "more_than", "bis zu": "up_to", "up to": "up_to",
    "mindestens": "at_least", "wenigstens": "at_least", "at least": "at_least",
}

# What is counted: noun stems (matched as word prefixes) -> category. People nouns come with the
# verbs that turn them into casualties below.
COUNTED_NOUNS: dict[str, str] = {
    "soldat": "troops", "truppe": "troops", "kämpfer": "troops", "mann": "troops", "militärangehörige": "troops",
    "streitkräfte": "troops", "reservist": "troops", "söldner": "troops", "nordkoreaner": "troops",
    "soldier": "troops", "troop": "troops", "fighter": "troops", "servicemen": "troops", "personnel": "troops",
    "tote": "killed", "todesopfer": "killed", "gefallene": "killed", "dead": "killed", "deaths": "killed",
    "fatalities": "killed", "verletzte": "wounded", "verwundete": "wounded", "wounded": "wounded",
    "injured": "wounded", "gefangene": "captured", "kriegsgefangene": "captured", "prisoners": "captured",
    "pow": "captured", "zivilist": "civilians", "einwohner": "civilians", "menschen": "civilians",
    "civilian": "civilians", "people": "civilians", "residents": "civilians", "flüchtling": "refugees",
    "geflüchtete": "refugees", "vertriebene": "refugees", "refugee": "refugees", "displaced": "refugees",
    "panzer": "weapons", "rakete": "weapons", "drohne": "weapons", "granate": "weapons", "geschütz": "weapons",
    "artilleriegeschoss": "weapons", "flugzeug": "weapons", "tank": "weapons", "missile": "weapons",
    "drone": "weapons", "shell": "weapons", "artillery": "weapons", "aircraft": "weapons",
}

# "die Zahl der Flüchtlinge soll auf 90.000 steigen": the counted noun stands before the number.
COUNT_OF = ("zahl der", "anzahl der", "zahl von", "number of", "count of", "total of")

# Verbs after a people noun that say what happened to them.
CASUALTY_VERBS: dict[str, str] = {
    "getötet": "killed", "ums leben": "killed", "gestorben": "killed", "gefallen": "killed", "killed": "killed",
    "died": "killed", "verletzt": "wounded", "verwundet": "wounded", "wounded": "wounded", "injured": "wounded",
    "gefangen": "captured", "captured": "captured", "taken prisoner": "captured", "vertrieben": "refugees",
    "geflohen": "refugees", "fled": "refugees", "displaced": "refugees",
}
PEOPLE_CATEGORIES = {"civilians", "troops"}

# Whose: adjective or noun stems -> normalised force.
FORCES: dict[str, str] = {
    "nordkorea": "north_korea", "north korea": "north_korea", "pjöngjang": "north_korea",
    "pyongyang": "north_korea", "russisch": "russia", "russland": "russia", "russia": "russia", "moskau": "russia",
    "kreml": "russia", "ukrainisch": "ukraine", "ukraine": "ukraine", "kiew": "ukraine", "kyiv": "ukraine",
    "amerikanisch": "united_states", "us-": "united_states", "american": "united_states",
    "israelisch": "israel", "israel": "israel", "iranisch": "iran", "iran": "iran",
    "chinesisch": "china", "chinese": "china", "china": "china",
}
# "50.000 Soldaten, darunter Nordkoreaner": the whole is the host's force including the subset's.
ALLIED_HOSTS: dict[str, str] = {"north_korea": "russia"}
SUBSET_WORDS = ("darunter", "einschließlich", "inklusive", "including", "among them")
PARENT_LINKS = ("von denen", "davon", "darunter", "of whom", "of them", "among them", "including")

# Where: written forms -> normalised place, with how specific it is (higher wins in one clause).
PLACES: dict[str, tuple[str, int]] = {
    "kursk": ("Kursk", 2), "donezk": ("Donetsk", 2), "donetsk": ("Donetsk", 2), "charkiw": ("Kharkiv", 2),
    "kharkiv": ("Kharkiv", 2), "cherson": ("Kherson", 2), "kherson": ("Kherson", 2),
    "saporischschja": ("Zaporizhzhia", 2), "zaporizhzhia": ("Zaporizhzhia", 2), "belgorod": ("Belgorod", 2),
    "luhansk": ("Luhansk", 2), "sumy": ("Sumy", 2), "kiew": ("Kyiv", 2), "kyiv": ("Kyiv", 2), "krim": ("Crimea", 2),
    "crimea": ("Crimea", 2), "bachmut": ("Bakhmut", 2), "bakhmut": ("Bakhmut", 2), "gaza": ("Gaza", 2),
    "russland": ("Russia", 1), "russischen föderation": ("Russia", 1), "russia": ("Russia", 1),
    "ukraine": ("Ukraine", 1), "nordkorea": ("North Korea", 1), "north korea": ("North Korea", 1),
    "südkorea": ("South Korea", 1), "south korea": ("South Korea", 1), "israel": ("Israel", 1),
}
# "in der Region", "in the region": a place named earlier in the article.
UNNAMED_PLACE = ("in der region", "in dem gebiet", "im gebiet", "in der gegend", "in the region", "in the area", "there")
CLAUSE_CONTINUATIONS = ("insbesondere", "vor allem", "namentlich", "especially", "particularly", "mainly", "notably")

# Status words in a figure's clause.
EXPECTED_WORDS = (
    "erwartet", "erwarteten", "erwartete", "steigerung auf", "steigen auf", "anstieg auf", "soll auf",
    "sollen auf", "prognose", "voraussichtlich", "steigen", "ansteigen", "anwachsen", "rechnen mit",
    "rechnen damit", "expected", "expects", "forecast", "projected", "rise to",
    "increase to", "grow to", "will reach",
)
POSSIBLE_WORDS = (
    "könnten", "könnte", "möglicherweise", "vielleicht", "eventuell", "could", "might", "may", "possibly",
)

# Not a count: the word right after the number makes it a date, time, duration, age, share or money.
NOT_COUNTS_AFTER = (
    "jahr", "monat", "woche", "tag", "stunde", "minute", "sekunde", "uhr", "prozent", "%", "euro", "€",
    "dollar", "$", "usd", "eur", "rubel", "pfund", "kilometer", "km", "meter", "kilogramm", "tonne",
    "jährig", "year", "month", "week", "day", "hour", "minute", "second", "percent", "per cent", "o'clock",
    "mile", "ton", "januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september",
    "oktober", "november", "dezember", "january", "february", "march", "june", "july", "october", "december",
    "mal", "times", "seite", "page",
)
NOT_COUNTS_BEFORE = ("seite", "page", "nr.", "no.", "tel", "telefon", "phone", "€", "$", "£", "um", "im jahr", "in")

# Speakers: a title before a name; group sources as they are written -> as shown.
SPEAKER_TITLES = (
    "präsident", "präsidenten", "außenminister", "verteidigungsminister", "minister", "ministerin",
    "kanzler", "kanzlerin", "sprecher", "sprecherin", "general", "oberbefehlshaber", "machthaber",
    "sicherheitsberater", "generalsekretär", "president", "secretary", "spokesman", "spokeswoman",
    "chancellor", "commander", "secretary of state", "secretary-general",
)
GROUP_SOURCES: dict[str, str] = {
    "us-beamte": "US officials", "us-regierung": "US government", "us officials": "US officials",
    "geheimdienst": "intelligence", "intelligence": "intelligence", "new york times": "New York Times",
    "pentagon": "Pentagon", "nato": "NATO", "kreml": "Kremlin", "kremlin": "Kremlin", "un": "UN",
}
SPEECH_WORDS = (
    "sagte", "sagt", "erklärte", "erklärt", "betonte", "warnte", "gewarnt", "berichtete", "berichtet",
    "gab bekannt", "teilte mit", "laut", "bestätigt", "bemerkte", "fügte hinzu", "hinweisen", "meldet", "so ", "zufolge", "nach angaben", "bestätigte", "said", "says",
    "told", "according to", "warned", "announced", "stated", "reported",
)
