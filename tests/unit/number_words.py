"""Write integers as German and English words, to check that reading them back gives the number."""

from __future__ import annotations

DE_UNITS = ["", "ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf",
            "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn", "neunzehn"]
DE_TENS = ["", "", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig"]
EN_UNITS = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
            "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
EN_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _german_below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    words = f"{DE_UNITS[hundreds]}hundert" if hundreds else ""
    if rest < 20:
        return words + DE_UNITS[rest]
    tens, units = divmod(rest, 10)
    return words + (f"{DE_UNITS[units]}und" if units else "") + DE_TENS[tens]


def german(n: int) -> str:
    if n == 0:
        return "null"
    if n == 10**9:
        return "eine Milliarde"
    millions, rest = divmod(n, 10**6)
    thousands, units = divmod(rest, 1000)
    parts = []
    if millions:
        parts.append("eine Million" if millions == 1 else f"{_german_below_thousand(millions)} Millionen")
    tail = (f"{_german_below_thousand(thousands)}tausend" if thousands else "") + _german_below_thousand(units)
    if units == 1 and not thousands:
        tail += "s"  # "eins", "zehn Millionen eins"
    if tail:
        parts.append(tail)
    return " ".join(parts)


def _english_below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    words = [f"{EN_UNITS[hundreds]} hundred"] if hundreds else []
    if rest >= 20:
        tens, units = divmod(rest, 10)
        words.append(EN_TENS[tens] + (f"-{EN_UNITS[units]}" if units else ""))
    elif rest:
        words.append(EN_UNITS[rest])
    return " ".join(words)


def english(n: int) -> str:
    if n == 0:
        return "zero"
    parts = []
    for scale, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand"), (1, "")):
        count, n = divmod(n, scale)
        if count:
            parts.append(f"{_english_below_thousand(count)} {name}".strip())
    return " ".join(parts)
