"""Whether the move pays more or less, by the guide's own figures: "Would I take a pay hit?"
answered first with what the guide's numbers for the two roles say, before the numbers.

A guide without an FAQ entry on pay often states both roles' pay in one section ("Full-time
bank tellers typically earn CAD 38,000 to 46,000. Junior SOC analysts ... start at CAD 58,000
to 72,000"). Each clause's figure belongs to the role it names (the title's roles, by their
own words); only when every figure for the new role is above every one for the old (or below)
is there a reply, and none when the guide already says which way in words.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from langchain_core.documents import Document

from bot.answer.costs import AMOUNT, CURRENCY, PER_MONTH, SUM, currency_of, money, value_of
from bot.answer.evidence import MONEY, Evidence, distinct_roles
from bot.schema import ChunkMeta
from bot.text import MOVE_WORDS, content_terms, sentences, title_roles

ASKS_PAY_CHANGE = re.compile(
    r"\b(?:pay|paid|salary|salaries|earn\w*|money|income|wages?|make)\b.*"
    r"\b(?:cut|less|lower|drop|hit|decrease|more|raise|increase|higher|up|down)\b"
    r"|\b(?:cut|drop|hit|decrease|raise|increase|less|lower)\b.*\b(?:pay|paid|salary|earn\w*|money|income|wages?|make)\b",
    re.I)
SAYS_WHICH_WAY = re.compile(r"\b(?:pay cut|take a cut|a raise|pay (?:drop|rise|jump)|(?:earn|make|pay)s? (?:more|less)"
                            r"|more than|less than|higher|lower)\b(?! end)", re.I)  # "the lower end" of a range: no way
PAID = re.compile(r"\b(?:pay|paid|salary|salaries|earn\w*|income|wages?|raise)\b", re.I)
# What "is it worth it?" asks of pay, retrieved on its own: the guide's pay passage, in any guide's words.
PAY_QUESTION = "Will I earn more or less than I do now?"
RANGE_END = re.compile(rf"\s*(?:to|-|–|and)\s*(?:{CURRENCY})?{SUM}")  # "CAD 38,000 to 46,000"
CLAUSE = re.compile(r",?\s+(?:against|compared (?:with|to)|while|whereas|versus|vs\.?)\s+|;\s+", re.I)


def figures(clause: str) -> list[float]:
    """The sums of money a clause states, a range as its middle."""
    return [(f.low + f.high) / 2 for f in stated_figures(clause)]


def pay_verdict(ranked: list[Evidence]) -> Evidence | None:
    """Of the units on the move's pay (ranked for PAY_QUESTION; naming a role or the move), the
    best saying which way it goes ("for most drivers the first year in dispatch is a pay cut"),
    else the best giving the new role's pay ("Newly certified coders typically start at
    $42,000"), else either role's; None when none does ("You pay $120 for the exam")."""
    if not ranked:
        return None
    old, new = distinct_roles(ChunkMeta.of(ranked[0].doc).title) or (set(), set())
    named = {e.text: set(content_terms(e.text)) & (old | new | MOVE_WORDS) for e in ranked}
    ways = [e for e in ranked if named[e.text] and PAID.search(e.text) and SAYS_WHICH_WAY.search(e.text)]
    new_pay = [e for e in ranked if named[e.text] & new and MONEY.search(e.text)]  # pay, in no word for it
    sums = [e for e in ranked if named[e.text] and PAID.search(e.text) and MONEY.search(e.text)]
    return next(iter([*ways, *new_pay, *sums]), None)


def pay_reply(question: str, title: str, text: str, quoted: list[str]) -> str:
    """A first line saying whether the new role pays more or less than the old, by the figures
    text gives for each; "" when the question does not ask, the guide already says which way
    in the quoted units, or its figures do not all point one way."""
    roles = title_roles(title)
    if not roles or not ASKS_PAY_CHANGE.search(question) or any(SAYS_WHICH_WAY.search(u) for u in quoted):
        return ""
    old, new = distinct_roles(title)
    paid: dict[str, list[float]] = {"old": [], "new": []}
    for clause in (c for s in sentences(" ".join(text.split())) for c in CLAUSE.split(s)):
        terms = set(content_terms(clause))
        if bool(terms & old) != bool(terms & new):  # names one role only
            paid["old" if terms & old else "new"] += figures(clause)
    if not paid["old"] or not paid["new"]:
        return ""
    if min(paid["new"]) > max(paid["old"]):
        return f"Probably not: the guide's pay figures for {roles[1]} roles are higher than for {roles[0]} roles."
    if max(paid["new"]) < min(paid["old"]):
        return f"Probably, at first: the guide's pay figures for {roles[1]} roles are lower than for {roles[0]} roles."
    return ""


# "how much more is A than B?", "how big a raise from A to B?", "the gap between A and B?"
ASKS_GAP = re.compile(r"\bhow much (?:more|less|higher|lower)\b|\bhow (?:big|large|much) (?:of )?an? (?:raise|jump|"
                      r"increase|bump|pay cut|cut|drop|difference|gap)\b|\b(?:difference|gap) between\b", re.I)
GAP_SIDES = (re.compile(r"\bfrom\s+(?P<a>.+?)\s+to\s+(?P<b>.+)", re.I),
             re.compile(r"\bbetween\s+(?P<a>.+?)\s+and\s+(?P<b>.+)", re.I),
             re.compile(r"(?P<a>.+?)\s+than\s+(?P<b>.+)", re.I),
             re.compile(r"(?P<a>.+?)\s+compared (?:with|to)\s+(?P<b>.+)", re.I))
TOP_END = re.compile(r"\b(?:top|upper|high(?:er)? end|max(?:imum)?)\b", re.I)
BOTTOM_END = re.compile(r"\b(?:bottom|low(?:er)? end|min(?:imum)?|starting)\b", re.I)
MONTHLY = re.compile(PER_MONTH, re.I)  # after a range's end ("$55,000 to $68,000 a month")
CLAUSE_REST = re.compile(r"(?:[^,;]|,(?=\d))*")  # up to the clause's end
NEAR_WEIGHT = 0.3  # a word of the figure's sentence, not of the words leading up to it, counts this much


@dataclass(frozen=True)
class Figure:
    low: float
    high: float  # the same as low for one sum
    currency: str
    lead: frozenset[str]  # the words since the sum before it in its sentence, and after it in its clause
    near: frozenset[str]  # its sentence's words
    doc: Document | None = field(default=None, compare=False)  # the passage stating it
    monthly: bool = False  # "$3,100 a month"

    def yearly(self, high: bool) -> float:
        """The sum (its range's top or bottom end), by the year."""
        return (self.high if high else self.low) * (12 if self.monthly else 1)


def stated_figures(text: str, doc: Document | None = None, label: str = "") -> list[Figure]:
    """Each sum of money (or range of sums) a text states, with the words leading up to it and
    those after it up to the clause's end; a label (the passage's heading) leads a sum the text
    opens with ("Junior designer" of "$55,000–$70,000 a year"), and is near any other."""
    out, named = [], frozenset(content_terms(label))
    for sentence in sentences(" ".join(text.split())):
        near, start = frozenset(content_terms(sentence)) | named, 0
        while found := AMOUNT.search(sentence, start):
            end = RANGE_END.match(sentence, found.end())
            stop = (end or found).end()
            # "$25,000–$60,000 a year for most freelancers;" (a sum's digits may take the comma after it); words
            # running on to the next sum with no break between lead up to that one
            following = AMOUNT.search(sentence, stop)
            rest = sentence[stop : following.start() if following else len(sentence)]
            after = CLAUSE_REST.match(rest).group() if sentence[stop - 1] != "," else ""
            after = "" if following and after == rest else after
            lead = frozenset(content_terms(f"{sentence[start:found.start()]} {after}"))
            lead |= named if not out and not text[: text.find(found.group())].strip() else frozenset()
            monthly = bool(found["monthly"] or MONTHLY.match(sentence, stop))
            out.append(Figure(value_of(found), value_of(end) if end else value_of(found), currency_of(found),
                              lead, near, doc, monthly))
            start = stop + len(after)
    return out


def gap_reply(question: str, docs: list[Document], idf: dict[str, float]) -> tuple[str, list[Document]]:
    """A first line giving the difference between two sums the question names ("How big a raise
    from the median generalist salary to a typical first offer?": "$17,000"), each the sum of
    the texts whose leading words (by idf: the guide's roles weigh nothing) say most of its
    side; a range counts only by the end the side names ("the top of the junior range"). With
    it, the passages the two sums come from; ("", []) when the question asks no difference or a
    side is not clearly one sum. A passage is read with its heading ("Junior designer: $55,000")."""
    sides = next((m for pattern in GAP_SIDES if (m := pattern.search(question))), None) if ASKS_GAP.search(
        question) else None
    if sides is None:
        return "", []
    figures = [f for doc in docs for f in stated_figures(doc.page_content, doc, ChunkMeta.of(doc).heading)]
    # a side naming one of the two roles only ("my support pay") is told by it: its words weigh as a word
    # the guide lacks would (1), not nothing
    roles = distinct_roles(ChunkMeta.of(docs[0]).title) if docs else []
    picked = []
    for side in (sides["a"], sides["b"]):
        asked = set(content_terms(side))
        named = [role & asked for role in roles]
        weight = dict.fromkeys(set().union(*named), 1.0) if sum(map(bool, named)) == 1 else {}

        def fit(f: Figure, asked: set[str] = asked, weight: dict[str, float] = weight) -> float:
            return sum(weight.get(t, idf.get(t, 1.0)) * (1.0 if t in f.lead else NEAR_WEIGHT if t in f.near else 0.0)
                       for t in asked)

        def scale(f: Figure) -> float:  # a tie goes to the sum nearest the other side's in size: pay to pay
            other = picked[0].high if picked else 0.0
            return -abs(math.log10(f.high) - math.log10(other)) if f.high > 0 < other else 0.0

        ranked = sorted((f for f in figures if f not in picked), key=lambda f: (fit(f), scale(f)), reverse=True)
        # a tie between two sums (not one sum said twice) leaves the side unclear
        tied = len(ranked) > 1 and (fit(ranked[0]), scale(ranked[0])) == (fit(ranked[1]), scale(ranked[1])) and (
            ranked[0].low, ranked[0].high) != (ranked[1].low, ranked[1].high)
        if not ranked or fit(ranked[0]) <= 0 or tied:
            return "", []
        best = ranked[0]
        if best.low != best.high and not (TOP_END.search(side) or BOTTOM_END.search(side)):
            return "", []  # "junior pay" of "$55,000–$70,000": which end is not said
        picked.append(best)
    (a, side_a), (b, side_b) = zip(picked, (sides["a"], sides["b"]), strict=True)
    if a.currency != b.currency:
        return "", []
    by_year = a.monthly != b.monthly  # "$3,100 a month" against "$55,000 a year": both by the year
    x, y = (f.yearly(bool(TOP_END.search(s))) if by_year else f.high if TOP_END.search(s) else f.low
            for f, s in ((a, side_a), (b, side_b)))

    def stated(value: float, f: Figure) -> str:  # "$37,200 a year, 12 × $3,100 a month"
        return money(value, a.currency) + (f" a year, 12 × {money(value / 12, a.currency)} a month"
                                           if by_year and f.monthly else "")

    gap = money(abs(x - y), a.currency) + (" a year" if by_year else "")
    said = f"That is a difference of {gap} ({stated(x, a)} against {stated(y, b)})"
    return said, list({id(f.doc): f.doc for f in picked}.values())
