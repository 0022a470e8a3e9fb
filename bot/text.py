"""Text rules every stage shares: words and stems, sentence and bullet units, the section
separator, and turning what users type into clean text.

    >>> content_terms("Optimizing the models' deployments")
    ['optimiz', 'model', 'deploy']
    >>> units("Intro line. Second sentence.\\n- a bullet")
    ['Intro line.', 'Second sentence.', 'a bullet']
"""

from __future__ import annotations

import re
import unicodedata
from string import ascii_lowercase
from typing import Any

SEP = " > "  # between the headings of a section path: "Your Learning Roadmap > Cloud Skills"
STOPWORDS = frozenset(
    """a about after all also am an and any are as at be been before being both but by can
    could did do does doing for from had has have having he her here how i if in into is it
    its itself just me more most my no nor not now of off on once only or other our out over
    own same she should so some such than that the their them then there these they this
    those through to too under until up very was we were what when where which while who why
    will with would you your yours i'm i'll i've you'll you're it's don't don't what's
    tell say says said guide please thing things get got go going want wants need needs
    make makes made""".split()
)
NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())} | {"thirty": 30, "forty": 40, "fifty": 50}
WORD = re.compile(r"[a-z0-9]+(?:[+#]+|(?:'[a-z]+))?")
STEM_LETTERS = 7  # long enough to keep words apart, short enough that 'optimization' ~ 'optimize'
BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
# "4 weeks- task", "(four weeks) — task", "(weeks 1–5) — task": a line opening with its time
DURATION_LINE = re.compile(rf"^(?:\(?(?:\d+|{'|'.join(NUMBER_WORDS)})[\s-]*(?:weeks?|months?|days?|years?)\)?"
                           r"|\((?:weeks?|months?|days?)\s+\d+(?:\s*[-–]\s*\d+)?\))\s*[-–—:]", re.I)
# A capital after the stop: not "e.g. x"; nor after an initial ("Josh W. Comeau", "the U.S. Bureau").
SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\b[A-Z]\.)\s+(?=[A-Z0-9\"'(])")


# British and American spellings of one word meet: "enrol"/"enroll", "modelling"/"modeling",
# "optimise"/"optimize", "analyse"/"analyze", "behaviour"/"behavior".
SPELLINGS = [
    (re.compile(r"(?<=\w{3})ll(s|ed|ing|ment|ments)?$"), r"l\1"),
    (re.compile(r"(?<=\w\w[^aeiou])is(e|es|ed|ing|ation|ations)$"), r"iz\1"),
    (re.compile(r"(?<=\w\w)ys(e|es|ed|ing)$"), r"yz\1"),
    (re.compile(r"(?<=\w{3})our(s|ed|ing|able)?$"), r"or\1"),
]


def stem(word: str) -> str:
    """A crude stemmer: one spelling for British and American forms, strip one suffix ("ethical"
    and "ethics" are both "ethic"), keep STEM_LETTERS letters."""
    word = word.split("'")[0]
    for pattern, american in SPELLINGS:
        word = pattern.sub(american, word)
    for suffix in ("ments", "ment", "ings", "ing", "ies", "ically", "ical", "ed", "es", "s"):
        if len(word) - len(suffix) >= 3 and word.endswith(suffix):
            word = word[: -len(suffix)] + {"ies": "y", "ically": "ic", "ical": "ic"}.get(suffix, "")
            break
    return word[:STEM_LETTERS]


PLURAL_INITIALISM = re.compile(r"\b([A-Z]{2,})s\b")  # "SEs", "KPIs": the initialism's plural


def content_words(text: str) -> list[str]:
    """Lower-cased words of text, without stop words; an initialism's plural as the initialism
    ("SEs" -> "se", as "engineers" stems to "engineer")."""
    return [w for w in WORD.findall(PLURAL_INITIALISM.sub(r"\1", text).lower()) if w not in STOPWORDS]


def content_terms(text: str) -> list[str]:
    """Lower-cased, stemmed words of text, without stop words."""
    return [stem(w) for w in content_words(text)]


# "From Bank Teller to Cybersecurity Analyst in 7 Months", "Can a Nurse Become a Data Analyst in Six Months?"
TITLE_ROLES = re.compile(r"^\W*(?:(?:can|could)\s+(?:an?\s+)?)?(?:from\s+)?(?P<a>[^:—–]+?)\s+(?:to|becomes?)\s+"
                         rf"(?:an?\s+)?(?P<b>[^:—–]+?)(?=\s*[:—–(?]|\s+in\s+(?:\d+|{'|'.join(NUMBER_WORDS)})\b|\s*$)",
                         re.I)
FIGURE = re.compile(r"the\s", re.I)  # "the Right Seat": a place, not a role


def title_roles(title: str) -> tuple[str, ...]:
    """The two roles a career guide's title moves between ("From Bank Teller to Cybersecurity
    Analyst in 7 Months": "Bank Teller", "Cybersecurity Analyst"), read from the first part of
    the title that names two ("Careers in Data: From Teacher to Analyst"), or none. A part moving
    between things with "the" is a figure of speech ("From the Right Seat to the Ground Station")."""
    return next(((m["a"], m["b"]) for part in re.split(r"[:—–]", title)
                 if (m := TITLE_ROLES.search(part)) and not FIGURE.match(m["a"]) and not FIGURE.match(m["b"])), ())


def role_names(role: str) -> tuple[set[str], set[str]]:
    """A role's stemmed words, and its initialisms ("Machine Learning Engineer": "machin",
    "learn", "enginee"; "mle", "ml")."""
    words = content_words(role)
    initials = "".join(w[0] for w in words)
    short = {initials, initials[:-1]} if len(initials) > 2 else {initials} if len(initials) > 1 else set()
    return {stem(w) for w in words}, short


def role_words(role: str) -> set[str]:
    """A role's stemmed words and initialisms, together."""
    words, short = role_names(role)
    return words | short


def vocabulary(texts: list[str]) -> list[str]:
    """The corpus's distinct content words worth expanding a query towards."""
    return sorted({w for t in texts for w in content_words(t) if w.isalpha() and len(w) > 2})


# Words that carry no topic of their own in a question ("how long does it take?").
GENERIC = frozenset(content_terms(
    "long take takes time much many mean more detail details step steps "
    "example examples else one ones part explain elaborate why really stuff thing things "
    "actually honestly seriously basically literally "  # "is it actually worth it?": how it is asked
    "name names list give show few several couple"  # "can you name a few?", "list some"
    " compare compared comparison versus vs"  # "and what do they make, for comparison?"
))


# Words asking for a sum: "what does it cost?" asks one, even of a "Construction Cost Estimator" guide.
MONEY_WORDS = frozenset(content_terms("cost costs price fee fees salary earn wage pay make money much"))


# Words for the move itself, which any question about it may use: a heading they alone name ("Am I
# too old to switch?") is named in passing by "the toughest parts of making this switch?".
MOVE_WORDS = frozenset(content_terms("switch switching change move transition career pivot leap jump"))


# Words that judge the move, bad or good: a question using one reaches the guide's sections that
# use another ("the hardest part" -> "Biggest Challenges", "what will I like" -> "Pros"). General
# English, like a thesaurus's entries; the embedding model's word neighbours mix up their senses.
EVALUATIVE = [frozenset(content_terms(words)) for words in (
    "hard hardest difficult difficulty tough toughest challenge challenges challenging downside downsides "
    "drawback drawbacks con cons worst struggle struggles risk risks miss missing frustrating "
    "hate dislike annoying painful regret sting tricky stressful boring tedious",
    "enjoy enjoyable like love upside upsides benefit benefits pro pros perk perks "
    "reward rewards rewarding satisfying appeal worth worthwhile glad happy fun exciting",
)]
EVALUATIVE_WORDS = frozenset().union(*EVALUATIVE)
# Two kinds of good side: what is liked ("What You'll Love" for "will I enjoy it?") and what is
# worth it ("Why it's worth it" for "is it worth it?"); a heading of the other kind judges half as much.
ENJOY_WORDS = frozenset(content_terms("enjoy enjoyable like love fun exciting glad happy satisfying appeal"))
WORTH_WORDS = frozenset(content_terms("worth worthwhile reward rewards rewarding"))
GOOD_KINDS = [ENJOY_WORDS, WORTH_WORDS]
# Words for one thing, with no other side: "which skills carry over?" -> "What Transfers".
KIN = [frozenset(content_terms(words)) for words in (
    # "my biggest advantage": what I bring, not the move's good side
    # ("applicable" is left out: its stem is that of "applications")
    "transfer transfers transferable transferrable carry carries useful relevant bring brings "
    "advantage advantages strength strengths asset assets",
    "learn learning study acquire pick",  # "what new stuff will I pick up?" -> "What to Learn"
)]
# Words naming one of KIN in a heading ("Skills You Already Have"), but not in a question ("I
# already have a degree"): a question's KIN word reaches them, they reach nothing.
KIN_IN_HEADINGS = [frozenset(content_terms("already")), frozenset()]
# What a section can be about, one group of words each: a heading about one ("Skills You'll Need
# to Learn") is not named by a question about another ("which of my skills carry over?").
FACETS = [*EVALUATIVE, *KIN]
HEADING_FACETS = [*EVALUATIVE, *(group | more for group, more in zip(KIN, KIN_IN_HEADINGS, strict=True))]
EVALUATIVE_WEIGHT = 0.5  # a stand-in word counts half as much as the question's own
EVALUATIVE_HEADING = 2.0  # a heading judging the move as the question does: a top rank more (the other way: less)


def with_evaluative(terms: dict[str, float], weight: float = EVALUATIVE_WEIGHT,
                    opposite: float = 0.0) -> dict[str, float]:
    """terms, with the other words of each evaluative (or KIN) group one of them belongs to, at
    weight ("the hardest part" reaches "Biggest Challenges"); if they touch one evaluative
    group only, the other group's words at opposite ("what will I like" turns from "Cons")."""
    out = dict(terms)
    for group, more in zip(KIN, KIN_IN_HEADINGS, strict=True):
        if group & terms.keys():
            out.update({term: weight for term in group | more if term not in terms})
    touched = [bool(group & terms.keys()) for group in EVALUATIVE]
    for group, touches in zip(EVALUATIVE, touched, strict=True):
        if touches or (opposite and sum(touched) == 1):
            for term in group:
                out.setdefault(term, weight if touches else opposite)
    return out


# A unit of time that makes a rate ("hours a week", "$49 per month") names no section ("This Week").
RATE = re.compile(r"\b(?:a|an|per|each|every)\s+(?:week|month|day|year)\b", re.I)


def without_rates(text: str) -> str:
    return RATE.sub(" ", text)


def rate_terms(text: str) -> set[str]:
    """The words a text says only in a rate: "year" in "$48,000 a year"."""
    return set(content_terms(text)) - set(content_terms(without_rates(text)))


LIKE_AS_VERB = re.compile(r"\b(?:i|you|we|they|people|will|ll|to)(?:\s+\w+)?\s+like\b", re.I)  # not "I'd like to"


def judging_terms(question: str) -> list[str]:
    """The question's content terms, less "like" where nobody likes anything: "stuff like SQL",
    "like, what's the hourly rate?", "as an SA, like I do now", "I'd like to know" ("what will I
    like?" keeps it)."""
    if not LIKE_AS_VERB.search(question):
        question = re.sub(r"\blike\b", " ", question, flags=re.I)
    return content_terms(question)


def tone(terms: list[str] | dict[str, float]) -> int:
    """Which way words judge the move: -1 for the bad side only ("the hardest part"), +1 for the
    good side only ("what will I enjoy?"), 0 for neither or both ("pros and cons")."""
    bad, good = (bool(group & set(terms)) for group in EVALUATIVE)
    return good - bad


def facets(terms: list[str] | set[str], groups: list[frozenset[str]] = FACETS) -> frozenset[int]:
    """Which of FACETS (or of a heading's, HEADING_FACETS) the terms touch."""
    return frozenset(i for i, group in enumerate(groups) if group & set(terms))


POSSESSIVE = re.compile(r"['’]s$")  # "Google's": the word is "Google"
ADVERB = re.compile(r"^[a-z]{4,}ly$", re.I)  # "actually", "honestly": how a question asks, not what about


def one_slip(word: str) -> set[str]:
    """The words one slip from word: a letter dropped, added, changed or two swapped."""
    w = word.lower()
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    dropped = {a + b[1:] for a, b in splits if b}
    swapped = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    changed = {a + c + b[1:] for a, b in splits if b for c in ascii_lowercase}
    added = {a + c + b for a, b in splits for c in ascii_lowercase}
    return (dropped | swapped | changed | added) - {w}


def plain_english(word: str) -> bool:
    """A word that names no subject in any guide: a general English one ("side", "whole": the
    stop list of scikit-learn) or an adverb ("actually", "honestly")."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return word.lower() in ENGLISH_STOP_WORDS or bool(ADVERB.match(word))


def topical_terms(text: str) -> set[str]:
    """The stemmed words of text that name a topic (not GENERIC ones)."""
    return set(content_terms(text)) - GENERIC


def sentences(line: str) -> list[str]:
    """The sentences of one line of text."""
    return [s.strip() for s in SENTENCE_END.split(line) if s.strip()]


AN_SOUND = re.compile(r"^(?:8|1[18](?!\d)|[aei]|o(?!ne\b)|u(?!ni|s[eu]))", re.I)  # "an 18-week", "an eight-week"


def with_article(phrase: str) -> str:
    """ "a 16-week plan", "an 18-week plan": the indefinite article a phrase is said with."""
    return f"{'an' if AN_SOUND.match(phrase) else 'a'} {phrase}"


def opening(answer: str) -> str:
    """An answer's first sentence: what it says first, and what "it" in the next question means."""
    return next(iter(sentences(answer.split("\n")[0])), "")


def units(text: str) -> list[str]:
    """A passage's bullets and sentences, markers and duration prefixes removed."""
    out = []
    for line in text.split("\n"):
        if BULLET.match(line):
            out.append(BULLET.sub("", line, count=1).strip())
        elif DURATION_LINE.match(line):
            out.append(DURATION_LINE.sub("", line, count=1).strip())
        else:
            out.extend(sentences(line))
    return out


def message_text(content: Any) -> str:
    """Chat content as text: Gradio 6 may send a list of blocks instead of a string."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # one level of blocks: deeper nesting is not a message
        return " ".join(message_text(c) for c in content if not isinstance(c, list))
    if isinstance(content, dict):
        return str(content.get("text", ""))
    return ""


def clean_text(text: str) -> str:
    """Printable text on one line: no lone surrogates, control, zero-width or bidi characters."""
    text = text.encode("utf-8", errors="ignore").decode("utf-8")
    text = "".join(c if c.isspace() or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co") else " "
                   for c in text)
    return " ".join(text.split())


CITATION = re.compile(r"\s*\[(\d+)\]")  # an answer's "[2]"


def last_user_turn(history: list[dict]) -> tuple[str | None, list[dict]]:
    """The latest user message in history, and the history before it."""
    for i in range(len(history) - 1, -1, -1):
        if history[i].get("role") == "user":
            return message_text(history[i].get("content")), history[:i]
    return None, []


def last_reply(history: list[dict]) -> str:
    """The latest answer, without its citation marks: what a follow-up should not repeat."""
    if not history or history[-1].get("role") != "assistant":
        return ""
    return CITATION.sub("", message_text(history[-1].get("content")))
