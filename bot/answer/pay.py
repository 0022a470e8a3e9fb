"""Whether the move pays more or less, by the guide's own figures: "Would I take a pay hit?"
answered first with what the guide's numbers for the two roles say, before the numbers.

A guide without an FAQ entry on pay often states both roles' pay in one section ("Full-time
bank tellers typically earn CAD 38,000 to 46,000. Junior SOC analysts ... start at CAD 58,000
to 72,000"). Each clause's figure belongs to the role it names (the title's roles, by their
own words); only when every figure for the new role is above every one for the old (or below)
is there a reply, and none when the guide already says which way in words.
"""

from __future__ import annotations

import re

from bot.answer.costs import AMOUNT, CURRENCY, SUM, value_of
from bot.answer.evidence import distinct_roles
from bot.text import content_terms, sentences, title_roles

ASKS_PAY_CHANGE = re.compile(
    r"\b(?:pay|paid|salary|salaries|earn\w*|money|income|wages?|make)\b.*"
    r"\b(?:cut|less|lower|drop|hit|decrease|more|raise|increase|higher|up|down)\b"
    r"|\b(?:cut|drop|hit|decrease|raise|increase|less|lower)\b.*\b(?:pay|paid|salary|earn\w*|money|income|wages?|make)\b",
    re.I)
SAYS_WHICH_WAY = re.compile(r"\b(?:pay cut|take a cut|a raise|pay (?:drop|rise|jump)|(?:earn|make|pay)s? (?:more|less)"
                            r"|more than|less than|higher|lower)\b", re.I)
RANGE_END = re.compile(rf"\s*(?:to|-|–|and)\s*(?:{CURRENCY})?{SUM}")  # "CAD 38,000 to 46,000"
CLAUSE = re.compile(r",?\s+(?:against|compared (?:with|to)|while|whereas|versus|vs\.?)\s+|;\s+", re.I)


def figures(clause: str) -> list[float]:
    """The sums of money a clause states, a range as its middle."""
    out, start = [], 0
    while found := AMOUNT.search(clause, start):
        end = RANGE_END.match(clause, found.end()) or found  # a range's second sum is not a sum of its own
        out.append((value_of(found) + value_of(end)) / 2)
        start = end.end()
    return out


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
