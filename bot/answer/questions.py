"""Slots: what a question names that the guide's outline can fill in once its intent is read
(see intents) — a phase by order ("the second phase", "phase 3"), a week or month number, a
direction (before or after), an operation on phases (added, compared, the longest), a book
asked for — and whether it leans on the conversation for its topic. Patterns of English
questions, not of any one guide: the answers still come from the passages and roadmap facts
of the corpus.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator

from bot.ingest.timeline import NUM, number
from bot.text import (
    GENERIC,
    NUMBER_WORDS,
    STOPWORDS,
    content_terms,
    content_words,
    opening,
    plain_english,
    stem,
    topical_terms,
)

ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3,
            "4th": 3, "fifth": 4, "5th": 4, "sixth": 5, "6th": 5, "last": -1, "final": -1}
ORDINAL = re.compile(
    r"\b(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|sixth|6th|last|final)\s+"
    r"(thing|things|step|steps|phase|stage|part|task|move|module|sprint|quarter)\b"
    # "the last part of it (on)?", "the first step of that?" is a part of what was said; "of this plan" is not
    r"(?!\s+of\s+(?:it|them)\b|\s+of\s+(?:that|this|those|these)\b(?!\s+[a-z]))"
    r"|\b(do|start|begin)\s+(first)\b|\bwhere (do|should|can) i (start|begin)\b"
    r"|\b(?:phase|stage|step|module|sprint|quarter) (?P<number>\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b"
    r"|\bQ(?P<quarter>[1-4])\b"  # "in Q2": the plan's second quarter
    r"|\b(?:phase|stage|step|module|part) (?P<letter>(?-i:[A-H]))\b",  # "Stage D"; not "at this stage a beginner"
    re.I,
)
WEEK_OR_MONTH = re.compile(
    rf"\b(?P<unit>week|month|day)\s+(?P<n>{NUM})\b|\b(?P<nth>\d+)(?:st|nd|rd|th)\s+(?P<unit2>week|month|day)\b",
    re.I)
LASTS = re.compile(rf"\b{NUM}[\s-]+(?:second|minute|hour|day|week|month|year)s?\b", re.I)  # "a 14-day trial": a length
SPAN_OF = re.compile(rf"\b(?P<end>first|last)\s+(?P<n>{NUM})\s+(?:phase|stage|step|module|part|sprint|quarter)s\b",
                     re.I)
PHASE_NUMBERS = re.compile(r"\b(?:phase|stage|step|sprint|quarter)s?\s+(\d+)(?:\s*(?:and|&|\+|,|to|-)\s*(\d+))?",
                           re.I)
AFTER = re.compile(r"\b(after|following|comes next after)\b", re.I)
BEFORE = re.compile(r"\b(before|previous|prior|preceding|earlier)\b", re.I)
COMES_NEXT = re.compile(r"\b(?:what(?:['’]s| is| comes| happens)? next|comes next|after (?:that|this|it)|"
                        r"next (?:phase|stage|step))\b", re.I)  # "I'm in week 12. What's next?"
LEFT = re.compile(r"\b(left|remains?|remaining|still to go|to go|rest of)\b", re.I)  # the weeks after a phase
FINISHED = re.compile(r"\b(?:finish(?:ed|es|ing)?|done|complete(?:d|s)?|wrap(?:ped|s)? up)\b", re.I)
# "in three bullets", "a couple of lines": how many parts an answer is asked to have.
SHAPE = re.compile(rf"\b(?P<n>{NUM}|a couple|a few)\s+(?:of\s+)?(?:\w+\s+)?"
                   r"(?:bullets?|points?|lines?|sentences?|things?|takeaways?|items?)\b", re.I)
# "which roadmap phase ...?", "where in the plan does X come?", "when does X show up in the roadmap?"
WHICH_PHASE = re.compile(r"\b(which|what)\s+(?:\w+\s+)?(phase|stage|step)\b|\b(?:where|when|at what point)\b.*"
                         r"\b(?:in|into|on)\s+(?:the|my|this|your)\s+(?:plan|roadmap|timeline|schedule)\b", re.I)
PHASE_WORD = re.compile(r"\b(?:phase|stage)\b", re.I)  # "during the cloud phase": a phase named as where to look
PLAN_WORDS = re.compile(r"\b(?:phases?|stages?|steps?|plan|roadmap|timeline|schedule)\b", re.I)  # the kind asked for
COUNTED = re.compile(r"\bhow many\s+(?:\w+\s+){0,2}?(?P<noun>\w+s)\b", re.I)  # "how many new skills"
# What a roadmap's lengths and places count; "how many hours of study", "how many applications" count other things.
PLAN_COUNTS = {"weeks", "months", "days", "years", "phases", "stages", "steps", "milestones", "modules"}
ROADMAP_UNITS = re.compile(r"\b(phases|stages|steps|milestones|modules)\b", re.I)
# "one" stands for a thing named before when no noun follows it: "which one does it mention?",
# "if I want one," (not "one cloud certification", "one of the phases").
ONE = r"one\b(?=\s*(?:[,;?!.]|$|(?:does|do|is|are|was|should|would|will|can|could|i|you)\b))"
# ... and "that" as a verb's subject: "where does that show up?", "is that less than I make now?"
PRONOUN = re.compile(rf"\b(it|that|this|those|them|these|there|one)\b\W*$"
                     rf"|\b(it|its|that one|this one|they|them|of th[eo]se|{ONE})\b"
                     r"|\b(?:that|this|the same)\s+(?:phase|stage|step|module|part)\b"  # "that phase"
                     # "why that order?", "how much is that book?" (not "this week?", a time; nor "in this field?",
                     # the guide's whole subject; nor "the ones that transfer?", "that" after the noun it stands for)
                     r"|\b(?:why|is|are|was|were|about|of|for|on|in|with|from|to|at|by|like|than|into|take|buy|read|"
                     r"use|skip|need)\s+(?:that|this|those|these)\s+"
                     r"(?!(?:week|weekend|month|year|quarter|time|summer|spring|fall|autumn|winter|morning|evening|"
                     r"semester|season|field|industry|career|role|job|guide|plan|move|switch|transition|path|"
                     r"profession|work|world)s?\b)[a-z]+\W*$"
                     # a fragment going on from the last answer: "on which topics?", "in what order?", "for how long?"
                     r"|^\W*(?:on|in|for|with|at|from|about|by|to|under|after|before)\s+(?:which|what|whom|how)\b"
                     r"(?:\s+[a-z]+)?\W*$"
                     r"|\b(?:does|did|do|is|was|will|would|can|could|should|has)\s+that\b|\b\w+['’]s\s+that\b"
                     # "each" standing for what was listed: "how long does each take?", "how much is each one?"
                     r"|\beach(?:\s+one)?(?=\s+(?:take|cost|last|run|need|require)s?\b|\W*$)", re.I)
# A follow-up picking, among the things the last answer listed, each one that is as asked: "which
# of those is free?", "which ones are online?"
PICKS_AMONG = re.compile(r"\bwhich\s+(?:of\s+(?:those|these|them)|ones)\b", re.I)
MOST = re.compile(r"\b(longest|most (time|weeks)|biggest)\b", re.I)
LEAST = re.compile(r"\b(shortest|quickest|least (time|weeks)|fewest weeks)\b", re.I)
COMPARE = re.compile(r"\b(longer|shorter|difference|more than|less than)\b", re.I)
NEXT = re.compile(
    r"^\W*(and\s+)?(then\s+)?(what\s+)?(comes\s+|happens\s+|do i do\s+)?"
    r"(after that|after this|afterwards|next|then what|and then)\W*$",
    re.I,
)
THANKS = re.compile(r"\b(thanks?|thank you|thx|ty|cheers|appreciated?|helpful|great)\b", re.I)
BYE = re.compile(r"\b(bye|goodbye|see you|farewell)\b", re.I)
FOLLOW_UP_START = re.compile(r"^\W*(and|what about|how about|what else|also|then|so)\b", re.I)
# A follow-up that asks the same of something else, named alone: "and senior buyers?", "and in the last quarter?"
PLACES = r"in|during|for|at|by|over|on"
ELLIPSIS = re.compile(rf"^\W*(?:and|what about|how about)\s+(?:(?:{PLACES})\s+)?(?P<slot>[^?.!]+?)[\s?.!]*$", re.I)
ASKING = re.compile(r"(?:when|where|what|which|who|whom|whose|how|why|do|does|did|is|are|was|were|can|could|"
                    r"should|would|will|shall|may|might|must|has|have|had|if)\b", re.I)  # "and when does it end?"
PLACE_PREP = re.compile(rf"\b(?P<prep>{PLACES})\s+(?!(?:{PLACES})\b)", re.I)  # "... study in Q1?", "put in during ..."
# Time phrases said another way than a guide's headings say them ("the coming 7 days" -> "this week").
TIME_PHRASES = [
    (re.compile(r"\b(?:the\s+)?(?:next|coming|following)\s+(?:7|seven|few|couple(?:\s+of)?)\s+days\b"
                r"|\b(?:next|coming)\s+week\b", re.I), "this week"),
    (re.compile(r"\b(?:the\s+)?(?:next|coming)\s+(?:30|thirty)\s+days\b|\b(?:next|coming)\s+month\b", re.I),
     "this month"),
    (re.compile(r"\b(?:end of|by|within|over)\s+the\s+(?:next\s+)?quarter\b|\b(?:next|coming)\s+(?:three|3)\s+months\b",
                re.I), "next 90 days"),
]


# A short name as an answer's whole first clause: "AWS, because ...", "Google Cloud."
SUBJECT = re.compile(r"^\s*(?P<name>[A-Z][\w+#&-]*(?:\s+[A-Z][\w+#&-]*){0,2})\s*(?:[,.!]|\s(?:because|since)\s)")

# Chat shorthand, spelled out so that the exemplars, the keyword index and the embedding model
# read it as the words it stands for (general texting usage, not any guide's terms).
SHORTHAND = {
    "u": "you", "ur": "your", "r": "are", "n": "and", "w/": "with", "w/o": "without", "b4": "before",
    "hw": "how", "abt": "about", "ppl": "people", "pls": "please", "plz": "please", "thx": "thanks", "rly": "really",
    "prob": "probably", "shud": "should", "cud": "could", "wud": "would", "btwn": "between", "thru": "through",
    "wat": "what", "wats": "what's", "whats": "what's",
    "im": "I'm", "ive": "I've", "dont": "don't", "cant": "can't", "wont": "won't", "idk": "I don't know",
    "wk": "week", "wks": "weeks", "hr": "hour", "hrs": "hours", "yr": "year", "yrs": "years",
    "mo": "month", "mos": "months", "cert": "certification", "certs": "certifications",
    "gonna": "going to", "wanna": "want to", "gotta": "have to", "kinda": "kind of", "sorta": "sort of",
    "tho": "though", "rn": "right now", "cuz": "because", "coz": "because", "lemme": "let me", "gimme": "give me",
    "dunno": "don't know",
    # months, as a guide's dated headings write them in full ("the jan project": "January 5 – February 1: ...")
    "jan": "January", "feb": "February", "mar": "March", "apr": "April", "jun": "June", "jul": "July",
    "aug": "August", "sep": "September", "sept": "September", "oct": "October", "nov": "November", "dec": "December",
}
# Lower-case, or capitalised when longer than a letter: "R" is a language, "Wat" opens a sentence.
SHORTHAND_WORD = re.compile(r"(?<![\w/])(" + "|".join(
    re.escape(w) + ("" if len(w) == 1 else "|" + re.escape(w.capitalize()))
    for w in sorted(SHORTHAND, key=len, reverse=True)) + r")(?![\w/'’])")

# Asides that say nothing of what is asked ("how much do CSMs make tbh", "ngl, is it worth it?"): dropped.
# Lower-case or capitalised only: "IMO" may be a name.
FILLERS = "tbh ngl imo imho btw fwiw lol lmao".split()
FILLER = re.compile(r"(?<![\w/])(?:" + "|".join(f"{w}|{w.capitalize()}" for w in FILLERS) + r")(?![\w/'’])[\s,;:.!]*")


# Abbreviations a guide may use itself ("Ops Manual"): spelled out only where it never does.
ABBREVIATIONS = {"corp": "corporate", "ops": "operations", "mgr": "manager", "mgmt": "management",
                 "dept": "department", "govt": "government", "biz": "business", "info": "information"}
ABBREVIATION = re.compile(r"\b(" + "|".join(ABBREVIATIONS) + r")\b", re.I)


# "The best thing about it" judges the move as "the upside" does ("best" alone does not: "Best Practices").
BEST_OF = re.compile(r"\bbest (?:thing|part|bit|aspect)s?\b", re.I)
# "the single best thing", "my very first week": the superlative says it all.
INTENSIFIER = re.compile(r"\b(?:single|very|absolute|one)\s+(?=(?:best|worst|biggest|hardest|toughest|greatest|"
                         r"first|last)\b)", re.I)
# "wat do lab techs make an hour", "what am I making now": how much they earn (not "what do I make of it").
# "whats a dispatcher make startin out", not "what's a good project to make?"
WHAT_MAKE = re.compile(r"\bwhat(?P<does>['’]s)?(?=(?(does)|\s+(?:do|does|did|will|would|am|are|is))"
                       r"\s+(?:[\w'’-]+\s+){0,5}?(?<!\bto )mak(?:e|ing)(?:\s*(?:$|[?!.,])|\s+(?:start(?:ing|in)|"
                       r"an? (?:hour|year|month|week)|per|now|again|these days|today|at first|on average|as|"
                       r"to start)\b))", re.I)
SET_BACK = re.compile(r"\bset (me|you|us|them|him|her)\s+back\b", re.I)  # "how much will that set me back?": cost me
# "what will help me as a tester?" asks what is of use: what carries over, not what to learn.
HELP_AS = re.compile(r"\bhelps?\s+(?:me|you)\s+(?=(?:in|as|at)\b)", re.I)
# "the things I learned doing radio" are what I know, not what is to learn
LEARNED = re.compile(r"\b(?:i|you)(?:\s+have|['’]ve)?\s+(?:already\s+)?(?:learned|learnt)\b", re.I)
# "someone like me" compares, it does not judge: "like" here is not the "like" of "What You'll Like".
LIKE_ME = re.compile(r"\blike (?=(?:me|us|him|her|them|mine|ours)\b)", re.I)
# A chat opener that only acknowledges the last answer ("ok and then what", "cool, how long is
# it?"): the question starts after it.
OPENER = re.compile(r"^\W*(?:ok(?:ay)?|k|alright|all right|right|cool|great|nice|got it|sure|hmm+|um+|uh+|well|yeah|"
                    r"yes|oh|ah|i see)(?:\s*[,.!;:—–-]+\s*|\s+(?=(?:and|so|then|what|how|when|which|who|why|where|"
                    r"is|are|do|does|can|could|should|will|would)\b))(?=\w)", re.I)


def spell_out(question: str, known: Collection[str] = ()) -> str:
    """question with chat shorthand written out: "wat r the certs 4 gcp" -> "what are the
    certifications 4 gcp"; "the best thing about" as "the biggest upside about", "like me" as
    "similar to me", "set me back" as "cost me", "help me as" as "be useful as", "I learned" as
    "I know", "what do they make?" as "how much do they make?", a guide's words where it never
    uses their abbreviation ("corp" for "corporate"; known: the guide's words, stemmed); an
    opener that only acknowledges ("ok, ..."), an aside ("tbh") and a superlative's "single" or
    "very" dropped."""
    spelled = FILLER.sub("", question).strip()
    spelled = SHORTHAND_WORD.sub(lambda m: SHORTHAND[m.group(1).lower()], OPENER.sub("", spelled, count=1))
    spelled = WHAT_MAKE.sub(lambda m: "how much does" if m["does"] else "how much",
                            SET_BACK.sub(r"cost \1", INTENSIFIER.sub("", spelled)))
    if known:  # "a corp investigator" in a guide that says "corporate", not in one naming "The Ops Manual"
        spelled = ABBREVIATION.sub(lambda found: spelled_in(found.group(1), known), spelled)
    spelled = LEARNED.sub("I know", HELP_AS.sub("be useful ", spelled))
    return LIKE_ME.sub("similar to ", BEST_OF.sub("biggest upside", spelled))


def spelled_in(short: str, known: Collection[str]) -> str:
    """An abbreviation as the guide says it, if the guide never uses it and has every word of it in full."""
    full = ABBREVIATIONS[short.lower()]
    return full if stem(short.lower()) not in known and all(stem(w) in known for w in full.split()) else short


def answer_subject(opening: str, proper: set[str]) -> str:
    """The name an answer opens with as its whole first clause, if it does ("AWS, because it has
    the largest share..." -> "AWS"): what "it" means in the next question. Not a heading that
    leads a list ("Next 90 Days: ..."), nor a plain word ("Yes."): one word must be one of the
    proper names (lower-cased) or have a capital inside."""
    found = SUBJECT.match(opening)
    name = found["name"] if found else ""
    return name if " " in name or name.lower() in proper or any(c.isupper() for c in name[1:]) else ""


def normalise_time(question: str) -> str:
    for pattern, said in TIME_PHRASES:
        question = pattern.sub(said, question)
    return question


SENTENCE_END = re.compile(r"[.!?](?=\s)")
# "what do I do this week to get started?", "like, this week?": how a question gets going, no subject
GETTING_GOING = frozenset(content_terms("start started starting begin beginning kick going like"))
NAMING_NOTHING = GENERIC | GETTING_GOING


def asks_for(question: str, name: str, leaf: bool = False) -> bool:
    """Whether a question (its times normalised) asks for a section by its name: says it whole
    (of two words or more, or one for a leaf: a glossary's "LMS", not "Roadmap"), and names
    nothing else ("what should I get done this week?" asks for "This week"; "which tool crawls
    the site for a content audit?" does not ask for "Content audit", and "a bad week" says no heading)."""
    if len(name.split()) < (1 if leaf else 2) or name.lower() not in question.lower():  # the cheap test first
        return False
    said = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", question, re.I)
    if said is None:
        return False
    # the sentence saying it ("ok, I'm convinced. what do I do first, like this week?"), less the name
    start = max((m.end() for m in SENTENCE_END.finditer(question, 0, said.start())), default=0)
    end = next((m.start() for m in SENTENCE_END.finditer(question, said.end())), len(question))
    rest = set(content_words(question[start:said.start()] + question[said.end():end]))
    return all(plain_english(w) or stem(w) in NAMING_NOTHING for w in rest)


# A time said with no number ("and a few years in?") qualifies the topic; "week 5" names a part of the plan.
TIME_UNITS = frozenset(content_terms("day days week weeks month months year years"))
COUNTED_TIME = re.compile(rf"\b{NUM}\b", re.I)


def has_own_topic(question: str, besides: frozenset[str] | set[str] = frozenset()) -> bool:
    """Whether the question names something, beyond words like 'how long' or 'it' (and the terms
    `besides`: the guide's roles, which every passage is about)."""
    return any(t not in GENERIC and t not in besides for t in content_terms(question))


def untimed(question: str) -> frozenset[str]:
    """The words of a time the question says with no number ("a few years in?"), which ask
    about the topic rather than name one of their own."""
    return frozenset() if COUNTED_TIME.search(question) else TIME_UNITS


def is_follow_up(question: str, said: str = "") -> bool:
    """True when the question leans on the conversation for its topic: it names nothing of its
    own, opens like a continuation ("and ...", "what about ..."), points back ("it", "that one",
    "those audits" where the answer named "two mock audits"), or names only what the last answer
    `said` ("why tell my manager?" after "...tell your manager"; "why though?" names nothing)."""
    asked = {stem(w) for w in content_words(question) if not plain_english(w)} - GENERIC  # not "though"
    return not has_own_topic(question) or asked <= set(content_terms(said)) or bool(
        FOLLOW_UP_START.match(question) or NEXT.match(question) or points_back(question)) or bool(
        said and with_named_thing(question, said) != question)  # "those audits" the answer named


def points_back(question: str) -> bool:
    """Whether the question refers to something said before ("is there a book for it?")."""
    return bool(PRONOUN.search(question) or ITEM_BACK.search(question))  # "how much is the second one?"


def counted(question: str) -> str | None:
    """What a "how many ..." question counts: "skills" in "how many new skills are there?"."""
    found = COUNTED.search(question)
    return found["noun"] if found else None


def counts_other(question: str) -> bool:
    """Whether a "how many" question counts something the roadmap's weeks, months and phases
    do not ("how many hours of study", "how many applications a week")."""
    noun = counted(question)
    return noun is not None and noun.lower() not in PLAN_COUNTS


def counts_roadmap(question: str) -> bool:
    return bool(ROADMAP_UNITS.search(question))


def asks_after(question: str) -> bool:
    return bool(AFTER.search(question))


def asks_next(question: str) -> bool:
    """Whether the question asks what comes after where it stands ("I'm in week 12, what's next?")."""
    return bool(COMES_NEXT.search(question))


def asks_left(question: str) -> bool:
    """Whether the question asks what remains after something ("how many weeks are left?")."""
    return bool(LEFT.search(question))


def asks_finished(question: str) -> bool:
    """Whether the question asks when something is finished ("when should I have it done by?")."""
    return bool(FINISHED.search(question))


def asks_before(question: str) -> bool:
    return bool(BEFORE.search(question))


def parts_asked(question: str) -> int | None:
    """How many bullets, lines or points the question asks for ("in 3 bullets": 3), if it says."""
    m = SHAPE.search(question)
    if m is None:
        return None
    n = {"a couple": 2, "a few": 3}.get(m["n"].lower()) or int(number(m["n"]))
    return n if n > 0 else None


def asked_of_a_phase(question: str, besides: Collection[str] = frozenset()) -> set[str]:
    """What a question asks of a phase, in its topical words less those for the kind of thing
    ("phase", "stage", "plan") and besides: "reading" in "what's the reading for the next one?"."""
    return topical_terms(PLAN_WORDS.sub(" ", question)) - set(besides)


def asks_which_phase(question: str) -> bool:
    return bool(WHICH_PHASE.search(question))


# A question asking for a book ("which book...?", "any good book on it?", "something fun to read?"), not
# one using the verb ("when should I book the exam?"); a guide names a book as "Title by Author".
BOOK = re.compile(r"\b(?:(?:text)?books?|reading)\b", re.I)  # the word for a work, which names none
ASKS_WORK = re.compile(
    r"\b(?:a|an|any|the|which|what|good|best|one|first|main|recommended|favou?rite)\s+"
    r"(?:[\w'’-]+\s+){0,2}?(?:text)?books?\b|\b(?:something|anything)\s+(?:\w+\s+){0,2}?to\s+read\b"
    r"|\bwhat\s+(?:should|could|can|do)\s+(?:I|we)\s+(?:\w+\s+)?read\b|\breading\s+(?:list|material)s?\b"
    r"|\b(?:the|any|some|my|more|extra|required|recommended)\s+reading\b(?!\s+(?:of|on|from)\b)", re.I)
NOT_AN_AUTHOR = ("Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|"
                 "July|August|September|October|November|December|Mid|End")
WORK = re.compile(rf"\b[A-Z][\w'’:+&-]*[\"”'’]?\s+by\s+(?!(?:{NOT_AN_AUTHOR})\b)"
                  r"[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][\w'’-]+"
                  # or "Alan J. Stolzer's Safety Management Systems in Aviation", "Richard Barnhart's textbook ..."
                  r"|\b[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][a-z]+['’]s\s+(?:(?:text)?book\s+)?[A-Z][\w'’:+&-]*\s+(?:[a-z]+\s+)?[A-Z]")


def names_a_work(text: str) -> bool:
    """Whether a text names a book by its author ("The Phoenix Project by Gene Kim", "Alan J.
    Stolzer's Safety Management Systems")."""
    return bool(WORK.search(text))


# "Read Supply Chain Management For Dummies by Daniel Stanton", "\"Storytelling with Data\" by Cole Nussbaumer
# Knaflic": a title (capitalised words and the small words between them) and its author
TITLED = re.compile(r"(?P<title>[A-Z][\w'’:+&-]*(?:\s+(?:[A-Z][\w'’:+&-]*|of|with|and|for|the|a|an|in|to|on|at))*?)"
                    rf"[\"”'’]?\s+by\s+(?!(?:{NOT_AN_AUTHOR})\b)(?P<author>[A-Z][a-z]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w'’-]+)+)")


def work_named(said: str) -> str:
    """The first book a text names by its author, as its title and author ("The Game Audio
    Tutorial Richard Stevens"), or "": what "it" is after "Which book ...?"."""
    found = TITLED.search(CITATION_MARK.sub("", said))
    return f"{found['title']} {found['author']}" if found else ""


# "why does that last one matter?": an item of the list the last answer gave, by its place
ITEM_BACK = re.compile(r"\b(?:the|that|this)\s+(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last|final)"
                       r"\s+(?:one|item|point|bullet)\b", re.I)
LIST_SEPARATOR = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+(?=[^,]*$)")
CITATION_MARK = re.compile(r"\s*\[\d+\]")


def with_listed_item(question: str, said: str) -> str:
    """The question with the item of the last answer's list it points at by its place in place
    ("why does that last one matter?" -> "why does inconsistent job titles matter?"): one of
    the answer's bullets, or of the three or more things its first sentence lists."""
    found = ITEM_BACK.search(question)
    if not found:
        return question
    said = CITATION_MARK.sub("", said)
    items = [line.lstrip("-*• ").strip() for line in said.splitlines() if line.lstrip().startswith(("-", "*", "•"))]
    if len(items) < 2:
        items = [part.strip() for part in LIST_SEPARATOR.split(opening(said).rstrip(".")) if part.strip()]
        items = items if len(items) >= 3 else []
    place = ORDINALS[found[1].lower()]
    if not -len(items) <= place < len(items):
        return question
    return f"{question[:found.start()]}{items[place]}{question[found.end():]}"


# "when do I make those videos?", "what are those three projects?": a thing by its noun, not a part of the
# plan nor a span of time
DEMONSTRATIVE = re.compile(rf"\b(?:that|this|those|these)\s+(?:{NUM}\s+)?(?P<noun>[a-z]{{3,}})\b", re.I)
NOT_A_THING = frozenset(content_terms("one ones phase stage step module part week month year day quarter time plan "
                                      "guide roadmap way kind sort"))
MODIFIER = re.compile(r"^[A-Za-z][\w-]*$")
PUNCTUATION = ".,;:!?\"'()[]"


def asks_of_named_thing(question: str) -> bool:
    """Whether the question asks about the thing its demonstrative points at and nothing else of
    its own ("when in the plan do I make those videos?"), not about a thing it names beside it
    ("and the membership you need to get that price?")."""
    rest = PLAN_WORDS.sub(" ", DEMONSTRATIVE.sub(" ", question))
    return not has_own_topic(rest, TIME_UNITS)


def with_named_thing(question: str, said: str) -> str:
    """The question with the thing a demonstrative points at by its noun named as the last
    answer names it, with the words before the noun there that are no stop words, numbers nor
    generic ("when do I make those videos?" after "... two implementation videos outweigh a
    diploma" -> "when do I make the implementation videos?"); as it was if the answer names it
    by the noun alone."""
    found = DEMONSTRATIVE.search(question)
    noun = stem(found["noun"].lower()) if found else ""
    if not noun or noun in NOT_A_THING:
        return question
    words = [w.strip(PUNCTUATION) for w in CITATION_MARK.sub("", said).split()]
    for i, word in enumerate(words):
        if stem(word.lower()) != noun:
            continue
        before: list[str] = []
        for w in reversed(words[max(0, i - 2):i]):
            plain = w.lower()
            if not MODIFIER.match(w) or plain in STOPWORDS or plain in NUMBER_WORDS or stem(plain) in GENERIC:
                break
            before.insert(0, w)
        if before:
            return f"{question[:found.start()]}the {' '.join([*before, word])}{question[found.end():]}"
    return question


def elliptic(question: str) -> str | None:
    """What a follow-up asks the same of, when it is only that: "and senior buyers?" -> "senior
    buyers", "and in the last quarter?" -> "the last quarter"; not "and when does it end?", nor
    "and the one after that?", which points back."""
    short = ELLIPSIS.match(question)
    if short is None or points_back(question) or ASKING.match(short["slot"]):
        return None
    return short["slot"]


def place_phrases(question: str) -> Iterator[tuple[str, str, str]]:
    """Each way the question could end on a place in the plan, longest first: (the question up to
    its preposition, the preposition, the words after it): "study in Q1?" -> ("study ", "in", "Q1")."""
    for m in PLACE_PREP.finditer(question):
        yield question[:m.start()], m["prep"], question[m.end():].rstrip(" ?.!")


def of_order_only(words: str) -> set[str]:
    """The words left when an order, a week or month number and the plan's kind words are taken out:
    none for "the last quarter", "Month 5"; "sql" for "the SQL phase"."""
    return set(content_terms(PLAN_WORDS.sub(" ", WEEK_OR_MONTH.sub(" ", ORDINAL.sub(" ", words))))) - TIME_UNITS


def ordinal(question: str) -> int | None:
    """0 for 'first step', -1 for 'last phase', None if no order is asked for."""
    m = ORDINAL.search(question)
    if not m:
        return None
    if m.group("number"):
        return int(number(m.group("number"))) - 1
    if m.group("quarter"):
        return int(m.group("quarter")) - 1
    if m.group("letter"):
        return ord(m.group("letter")) - ord("A")
    return ORDINALS[(m.group(1) or "first").lower()]


def week_or_month(question: str) -> tuple[str, float] | None:
    """("week", 12) for "what do I do in week 12?", ("month", 4) for "the 4th month", ("day", 50)
    for "I'm on day 50"."""
    m = WEEK_OR_MONTH.search(question)
    if not m:
        return None
    if m.group("nth"):
        return m.group("unit2").lower(), float(m.group("nth"))
    return m.group("unit").lower(), number(m.group("n"))


def phase_positions(question: str, count: int) -> list[int]:
    """The phases a question names by position: "the first two phases" -> [0, 1], "phases 2
    and 3" -> [1, 2], "the second phase" -> [1] (0-based, within count phases)."""
    span = SPAN_OF.search(question)
    if span:
        n = int(number(span["n"]))
        return list(range(n)) if span["end"].lower() == "first" else list(range(max(0, count - n), count))
    numbers = PHASE_NUMBERS.search(question)
    if numbers:
        picked = [int(n) - 1 for n in numbers.groups() if n]
        return [p for p in picked if 0 <= p < count]
    rank = ordinal(question)
    return [rank % count] if rank is not None and -count <= rank < count else []


def operation(question: str) -> str:
    """What to do with the phases named: "max", "min", "difference" or "sum"."""
    if MOST.search(question):
        return "max"
    if LEAST.search(question):
        return "min"
    if COMPARE.search(question):
        return "difference"
    return "sum"
