"""What a sentence names, checked against a passage: every number (digits or written out),
quoted string and capitalised name in the sentence must be in the passage it cites.

A model that writes "Your Business Metrics by Chip Huyen" shares most of its words with a
passage naming "Designing Machine Learning Systems by Chip Huyen"; by words it passes, by
names it does not: "Your Business Metrics" is nowhere in the passage.

    >>> missing("Read Designing Machine Learning Systems by Chip Huyen.",
    ...         "Designing Machine Learning Systems by Chip Huyen is the book to read.")
    []
    >>> missing("Read Your Business Metrics by Chip Huyen.",
    ...         "Designing Machine Learning Systems by Chip Huyen is the book to read.")
    ['Business Metrics']
    >>> missing("It takes six weeks.", "Phase 2 (6 weeks): SQL")
    []
"""

from __future__ import annotations

import re

from bot.text import NUMBER_WORDS, POSSESSIVE, STOPWORDS, stem

TOKEN = re.compile(r"[A-Za-z0-9][\w+#&.'’-]*[\w+#]|[A-Za-z0-9]")
QUOTED = re.compile(r"[\"“”«»]([^\"“”«»]{2,120})[\"“”«»]")
DIGITS = re.compile(r"\d+(?:[.,]\d+)?")


def words(text: str) -> list[str]:
    """text as comparable words: lower-case, stemmed, written-out numbers as digits."""
    out = []
    for token in TOKEN.findall(POSSESSIVE.sub("", text)):
        for part in re.split(r"[-.'’&]", POSSESSIVE.sub("", token).lower()):
            if part:
                out.append(str(NUMBER_WORDS[part]) if part in NUMBER_WORDS else stem(part))
    return out


def numbers(text: str) -> set[str]:
    """The numbers text states, in digits: "six weeks" and "6 weeks" both give {"6"}."""
    found = {n.replace(",", "") for n in DIGITS.findall(text)}
    return found | {str(NUMBER_WORDS[w]) for w in re.findall(r"[a-z]+", text.lower()) if w in NUMBER_WORDS
                    and NUMBER_WORDS[w] > 1}  # "one" of many and "zero" name no figure


def names(sentence: str) -> list[tuple[str, str]]:
    """The capitalised spans of a sentence ("Google Cloud Platform", "MLflow"), each with the
    span less its first word when that word opens the sentence (and may be capitalised only
    for that: "Read Designing Data-Intensive Applications"); a lone opening word is no name."""
    tokens = list(TOKEN.finditer(sentence))
    spans: list[list[re.Match]] = []
    for i, token in enumerate(tokens):
        text = token.group(0)
        if text == "I" or not any(c.isupper() for c in text):
            continue
        if spans and spans[-1][-1] is tokens[i - 1] and sentence[tokens[i - 1].end():token.start()] == " ":
            spans[-1].append(token)
        else:
            spans.append([token])
    out = []
    for span in spans:
        opens = span[0] is tokens[0] or sentence[: span[0].start()].rstrip().endswith((".", "!", "?", ":"))
        texts = trimmed([t.group(0) for t in span])
        rest = trimmed([t.group(0) for t in span[1:]]) if opens else texts
        if rest:
            out.append((" ".join(texts), " ".join(rest)))
    return out


def trimmed(texts: list[str]) -> list[str]:
    """A span without the stop words at its ends: "The Kubernetes" names Kubernetes."""
    while texts and texts[0].lower() in STOPWORDS:
        texts = texts[1:]
    while texts and texts[-1].lower() in STOPWORDS:
        texts = texts[:-1]
    return texts


def quoted(sentence: str) -> list[str]:
    return [q.strip() for q in QUOTED.findall(sentence) if q.strip()]


def contains(passage_words: list[str], span: str) -> bool:
    """Whether the span's words stand in the passage, in order and together."""
    wanted = words(span)
    n = len(wanted)
    return not n or any(passage_words[i:i + n] == wanted for i in range(len(passage_words) - n + 1))


def missing(sentence: str, passage: str) -> list[str]:
    """The numbers, quoted strings and names of the sentence that the passage does not hold."""
    held = words(passage)
    out = sorted(numbers(sentence) - numbers(passage), key=sentence.find)
    out += [q for q in quoted(sentence) if not contains(held, q)]
    out += [rest for full, rest in names(sentence)
            if not contains(held, full) and not contains(held, rest) and rest not in out]
    return out
