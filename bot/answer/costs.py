"""Sums of money the guide's figures allow: "the exam voucher, the book and three months of
the course: what's that altogether?".

Each amount a retrieved passage states is read with the words leading up to it (since the
amount before it in its sentence; the words after it where an article comes before it: "the
$395 CKA"), its sentence and its section path. Each thing the question lists takes the amount
whose words it shares most (by idf); a monthly amount counts as many times as the months asked
for. All in one currency, or no sum at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from langchain_core.documents import Document

from bot.answer.questions import names_a_work
from bot.answer.sections import within
from bot.ingest.timeline import NUM, number
from bot.schema import ChunkMeta, Plan, Request
from bot.text import content_terms, sentences, units

if TYPE_CHECKING:
    from bot.answer.planner import Planner

COST_DEPTH = 8  # the amounts are looked for in this many of the question's best passages
NEAR = 0.5  # a word of the amount's sentence or section counts half as much as one leading up to it
TIE = 0.01  # between amounts sharing as many words, the kind asked wins: monthly for "three months of"
CURRENCY = r"(?:US|CA|AU|NZ)?[$€£¥]\s?|\b(?:USD|CAD|AUD|NZD|EUR|GBP|CHF)\s?"
SUM = r"(?P<value>\d[\d,]*(?:\.\d\d)?)(?P<k>k\b)?"  # "38,000", "40k"
PER_MONTH = r"\s*(?:a|per|/|each)\s*month\b|\s+monthly\b"  # "$49 a month", "$49 monthly"
AMOUNT = re.compile(rf"(?P<currency>{CURRENCY}){SUM}(?P<monthly>{PER_MONTH})?")
# "take the $70 Terraform exam first": an amount after an article names the thing after it, up to
# a clause's end and at most NAME_WORDS words.
ARTICLE_BEFORE = re.compile(r"\b(?:the|a|an|your|its|their|this|that)\s*$", re.I)
NAME_ENDS = re.compile(r"[,.;:()!?]|\b(?:and|or|for|to|when|if|because|which|that|with|at|in|on|by|first|now)\b", re.I)
NAME_WORDS = 4
# Kinds of thing to pay for: an amount for one kind does not price a thing asked for as another.
BOOKS = frozenset(content_terms("book books"))
KINDS = frozenset(content_terms("exam exams voucher course courses class book books certification subscription "
                                "membership platform bootcamp"))
# Where a question lists its items: "the exam, the book and three months of the course".
ITEM_BREAK = re.compile(r"[,;?]|\b(?:and also|and|plus|as well as|also|along with|together with)\b", re.I)
CELL = re.compile(r"^[^:]{1,30}:\s*[$€£]")  # "Cost: $120": a table cell under its column's header
PAIR = re.compile(r"\b\w+ and \w+\b")  # two words an "and" joins: one name ("Peterson and Dagostino"), or two things
GROUP = re.compile(rf"\b(?P<n>{NUM}|both)\s+(?:of\s+the\s+)?(?P<noun>[a-z]+s)\b", re.I)  # "all three books"
MONTHS = re.compile(rf"\b(?P<n>{NUM}|a)\s+(?:more\s+)?months?\b", re.I)
ARTICLES = ("the", "a", "an")  # kept at the start of a thing's name: "the exam"
# "everything on the cost list", "the whole thing", "every paid item", "if I buy it all": the list's total
ALL_OF_IT = re.compile(r"\b(?:everything|all of (?:it|them)|it all|every(?: \w+)? (?:item|expense|cost|line)s?|"
                       r"whole (?:thing|plan|list|budget)|entire (?:plan|list|budget)|grand total|"
                       r"rest of the (?:\w+ )?(?:list|costs|items|expenses|budget))\b", re.I)
# "If I can already use a microphone from the station": what is already had is left out
LEAVING_OUT = re.compile(r"\b(?:skip(?:ping)?|without|excluding|except(?: for)?|leav(?:e|ing) out|minus|"
                         r"drop(?:ping)?|already (?:have|own|use|got|bought)|borrow(?:ing)?)\s+(?P<what>[^,.;?]+)",
                         re.I)
# "Total: $917 over 16 weeks"; in prose, a sentence summing the list up: "Add it up and the whole plan comes to
# roughly $450.", "That comes to just under $800" (not "That book comes to $35", "This course costs $49, a fraction
# of the total", "..., which over three months comes to $147": one line's)
STATED_TOTAL = re.compile(r"^\W*(?:total|in total|all told|grand total)\b", re.I)
SUMS_UP = r"(?:comes? to|adds? up to|totals?)\b"
PROSE_TOTAL = re.compile(rf"^\W*(?:(?:add (?:it|them|everything|this|these|that) (?:all )?up|altogether|all told|"
                         rf"in all)\b[^.;]*|(?:that|this|it all|everything)\s+){SUMS_UP}", re.I)
SAID_SUM = re.compile(rf"{SUMS_UP}(?:[^,;.]|[,.](?=\d))*", re.I)  # "comes to just under $800", "about $2,324"
CLAUSES = re.compile(r";\s*")  # "... comes to $147; the book costs $62; ...": a cost a clause
COST_HEADING = frozenset(content_terms("cost costs price prices budget expenses spending fees"))
MIN_LINES = 3  # fewer priced lines are no list of costs
ROW_UNITS = 3  # a part this short is a line of its list (a table row: "Cost: $35", "Notes: ...")
# Words that ask for a sum rather than name a thing to pay for.
ASKING = frozenset(content_terms("total totals altogether together combined overall sum add adds spend spent "
                                 "cost costs pay paying much money budget price out pocket "
                                 "come comes guide plan going figure sign buy get go"))


FOR_MONTHS = re.compile(rf"\b(?:for|over)\s+(?P<n>{NUM})\s+months?\b", re.I)  # how long a monthly sum is paid
# "$15 a week for 6 weeks": a sum by the week, and how long it is paid
FOR_WEEKS = re.compile(rf"\b(?:a|per|/|each)\s*week\s+(?:for|over)\s+(?P<n>{NUM})\s+weeks?\b", re.I)
IN_TOTAL = re.compile(r"\s+(?:in total|in all|altogether|all told)\b", re.I)  # "$20, $15 and $18, so $53 in total"
NAMED_PRICE = re.compile(r"^[^:]{1,100}:\s*[$€£]\s?\d")  # a list's line: "Practice access to a load board: $15 ..."


@dataclass(frozen=True)
class Amount:
    value: float
    currency: str  # as the guide writes it: "$", "£", "CAD "
    monthly: bool
    lead: set[str]  # the words leading up to it in its sentence
    near: set[str]  # its sentence's and section path's words
    doc: Document
    sentence: str = ""


@dataclass(frozen=True)
class Item:
    name: str  # as the question says it: "three months of TryHackMe"
    words: set[str]
    months: float | None  # "three months of ...": how many times a monthly amount counts
    count: int = 1  # "all three books": the amounts of one sentence naming that many, together


def value_of(found: re.Match) -> float:
    """The sum an AMOUNT (or SUM) match states."""
    return float(found["value"].replace(",", "")) * (1000 if found["k"] else 1)


def currency_of(found: re.Match) -> str:
    """An AMOUNT match's currency as the guide writes it, ready to put before a sum: "$", "CAD "."""
    said = found["currency"].strip()
    return said + (" " if said.isalpha() else "")


def amounts(doc: Document) -> list[Amount]:
    """Every sum of money the passage states, with the words that say what it is for."""
    found = []
    path = set(content_terms(ChunkMeta.of(doc).section))
    heading = set(content_terms(ChunkMeta.of(doc).heading))
    for unit in units(doc.page_content):
        for sentence in sentences(unit):
            start = 0
            for m in AMOUNT.finditer(sentence):
                value = value_of(m)
                currency = currency_of(m)
                if ARTICLE_BEFORE.search(sentence[start : m.start()]):  # "the $395 CKA": named after it
                    lead = content_terms(" ".join(NAME_ENDS.split(sentence[m.end() :])[0].split()[:NAME_WORDS]))
                else:
                    lead = content_terms(sentence[start : m.end()])
                if CELL.match(sentence):  # a table row's "Cost: $120" prices the row its heading names
                    lead = [*lead, *heading]
                found.append(Amount(value, currency, bool(m["monthly"]), set(lead),
                                    set(content_terms(sentence)) | path, doc, sentence))
                start = m.end()
    return found


def items(question: str, names: str = "") -> list[Item]:
    """What the question lists to pay for: each stretch between commas and "and"s that names more
    than the asking ("how much is that altogether" names nothing); an "and" that the guide's
    names hold ("the Peterson and Dagostino textbook") joins its words instead."""
    joined = {m[0] for m in PAIR.finditer(question) if m[0].lower() in names.lower()}
    for pair in joined:  # held apart from ITEM_BREAK's "and" while the question is split
        question = question.replace(pair, pair.replace(" and ", " \0 "))
    out = []
    for piece in ITEM_BREAK.split(question):
        piece = piece.replace(" \0 ", " and ")
        words = set(content_terms(piece)) - ASKING
        if not words:
            continue
        # Named as the question says it, without the asking around it: "all three exams (A, B and C)",
        # "if I pay for one month of X", "what do the CKA exam cost together", but "CSS for JavaScript Developers".
        said = piece.split("(")[-1].split(")")[0].strip(" .!").split()
        while said and said[0].lower() not in ARTICLES and set(content_terms(said[0])) <= ASKING:
            said.pop(0)
        while said and set(content_terms(said[-1])) <= ASKING:
            said.pop()
        name = " ".join(said)
        months = MONTHS.search(piece)
        count = (1.0 if months["n"].lower() == "a" else number(months["n"])) if months else None
        group = GROUP.search(piece) if months is None and said else None
        group = group if group and group["noun"].lower() in (w.lower() for w in said) else None
        out.append(Item(name, words - {"month"}, count, 2 if group and group["n"].lower() == "both" else
                        int(number(group["n"])) if group else 1))
    return out


def kinds(text: str) -> set[str]:
    """The kinds of thing to pay for that a text names: "exams", "the course"."""
    return set(content_terms(text)) & KINDS


def priced(listed: list[Item], found: list[Amount], idf: dict[str, float],
           asked: set[str] = frozenset()) -> list[tuple[Item, Amount]]:
    """Each item with the amount that best says what it costs, distinct amounts, in the question's
    order; an item no amount shares a word with is left out. asked: the kinds of thing the whole
    question pays for ("the exams for A and B"), for an item that names none of its own. An
    amount for another kind ("the A course ($40)"), or whose words name another listed thing,
    does not price it."""

    others = {id(item): set().union(*(i.words for i in listed if i is not item)) for item in listed}

    def fit(item: Item, amount: Amount) -> float:
        wanted, named = (item.words & KINDS) or asked, amount.lead & KINDS
        if wanted and named and not wanted & named:
            return 0.0
        if amount.lead & (others[id(item)] - item.words - KINDS):  # "the $70 Terraform exam" is not the AWS exam
            return 0.0
        shared = sum(idf.get(w, 1.0) * (1.0 if w in amount.lead else NEAR if w in amount.near else 0.0)
                     for w in item.words)
        if not shared:
            return 0.0
        # ties go to the kind asked, then to the amount whose own words the item says most of:
        # "the exam" is "CPC exam: $499", not "practice exam bundle: $150"
        said = sum(idf.get(w, 1.0) for w in amount.lead & item.words) / (sum(idf.get(w, 1.0) for w in amount.lead) or 1)
        return shared + (TIE if amount.monthly == (item.months is not None) else 0.0) + TIE / 2 * said

    pairs = sorted(((fit(i, a), n, i, a) for n, i in enumerate(listed) for a in found), key=lambda p: -p[0])
    chosen: dict[int, tuple[Item, Amount]] = {}
    taken: set[int] = set()
    for score, n, item, amount in pairs:
        if score > 0 and n not in chosen and id(amount) not in taken:
            chosen[n] = (item, amount)
            taken.add(id(amount))
    return [chosen[n] for n in sorted(chosen)]


def money(value: float, currency: str) -> str:
    return f"{currency}{value:,.0f}" if value == int(value) else f"{currency}{value:,.2f}"


def weeks_paid(text: str) -> float | None:
    """The weeks a weekly sum is paid for ("$15 a week for 6 weeks": 6), where the text states
    that one sum: not "$349, plus $15 a week for 6 weeks", whose $349 is paid once."""
    weeks = FOR_WEEKS.search(text)
    return number(weeks["n"]) if weeks and len(AMOUNT.findall(text)) == 1 else None


def cost_of(item: Item, amount: Amount, found: list[Amount] = ()) -> tuple[float, str]:
    """What the item costs by this amount, and how that reads: "3 × CAD 20 a month = CAD 60" (the
    months asked, else those the guide says it is paid for), "6 × $15 a week = $90";
    "all three books" by the amounts of this one's sentence, if it gives just three: "$35 + $40
    + $30 = $105"."""
    together = [a for a in found if a.sentence == amount.sentence and a.doc.id == amount.doc.id]
    if item.count > 1 and len(together) == item.count:
        total = sum(a.value for a in together)
        return total, " + ".join(money(a.value, a.currency) for a in together) + f" = {money(total, amount.currency)}"
    if amount.monthly:  # for the months asked, else those the guide says it is paid for
        months = item.months or (number(m["n"]) if (m := FOR_MONTHS.search(amount.sentence)) else 1.0)
        total = amount.value * months
        return total, f"{months:g} × {money(amount.value, amount.currency)} a month = {money(total, amount.currency)}"
    if (count := weeks_paid(amount.sentence)) is not None:
        total = amount.value * count
        return total, f"{count:g} × {money(amount.value, amount.currency)} a week = {money(total, amount.currency)}"
    return amount.value, money(amount.value, amount.currency)


def states_total(line: str) -> bool:
    """Whether a line of the list of costs states what the whole list comes to."""
    return bool(STATED_TOTAL.match(line) or PROSE_TOTAL.match(line))


def total_lead(line: str, whole: str) -> str:
    """The total a line of the list states, as the answer says it: in the guide's words where it sums the
    list up in prose ("The guide's list of costs comes to just under $800")."""
    said = SAID_SUM.search(line) if PROSE_TOTAL.match(line) else None
    return f"The guide's list of costs {said[0].strip() if said else f'gives the total: {whole}'}"


def list_total(planner: Planner, request: Request, ranked: list[Document]) -> Request | None:
    """What everything on the guide's list of costs comes to ("if I buy it all?"), less what the
    question leaves out ("skipping the optional course"): the total the list states, else the
    sum of each of its lines (each clause of its prose), a line counting its first amount that is
    not by the month ("$49 a month, which over three months comes to $147": $147)."""
    priced = cost_list(planner, ranked)
    if not priced:
        return None
    currency = priced[0][1].currency
    stated = [(line, a) for line, a in priced if states_total(line)]
    counted = [(line, a) for line, a in priced if not states_total(line)]
    left = LEAVING_OUT.search(request.question)
    out = left_out(left["what"], counted, planner.retriever.bm25.idf) if left else None
    whole = stated[0][1].value if stated else sum(a.value for _, a in counted)
    docs = list({id(a.doc): a.doc for _, a in stated or priced}.values())
    if out is None:
        said = " + ".join(money(a.value, currency) for _, a in counted)
        lead = (total_lead(stated[0][0], money(whole, currency)) if stated else
                f"Everything on the guide's list of costs comes to {money(whole, currency)} ({said})")
        return replace(request, plan=Plan.FACT, lead=lead, focus=docs[0], passages=docs)
    line, amount = out
    lead = (f"Leaving out {line.split(':')[0]} ({money(amount.value, currency)}), the guide's costs come to "
            f"{money(whole - amount.value, currency)} of {money(whole, currency)}")
    docs = list({d.id: d for d in (amount.doc, *(a.doc for _, a in stated))}.values()) if stated else docs
    return replace(request, plan=Plan.FACT, lead=lead, focus=docs[0], passages=docs)


def cost_list(planner: Planner, ranked: list[Document]) -> list[tuple[str, Amount]]:
    """The priced lines of the guide's list of costs: the section (with its parts) that prices
    most lines among the question's passages, if it prices enough in one currency; one headed
    as the costs first. ranked: the question's passages, COST_DEPTH of them."""
    sections = dict.fromkeys(ChunkMeta.of(d).section.split(" > ")[0] for d in ranked)
    lines = {name: cost_lines([d for d in planner.retriever.documents if within(d, {name})]) for name in sections}
    lists = [n for n in lines if len(lines[n]) >= MIN_LINES and len({a.currency for _, a in lines[n]}) == 1]
    # a section headed as the costs ("What it costs") over one pricing more in passing (the roadmap's courses)
    name = max(lists, key=lambda n: (bool(COST_HEADING & set(content_terms(n))), len(lines[n])), default=None)
    return lines[name] if name is not None else []


def group_total(planner: Planner, request: Request, group: Item, ranked: list[Document]) -> Request | None:
    """What "the three books" of the cost list come to: its lines naming a book by its author (or
    the kind asked for), if just that many do."""
    kind = group.words & KINDS
    if not kind:
        return None
    lines = [(line, a) for line, a in cost_list(planner, ranked) if not states_total(line)
             and (names_a_work(line) if kind <= BOOKS else kind & set(content_terms(line)))]
    if len(lines) != group.count:
        return None
    total = money(sum(a.value for _, a in lines), lines[0][1].currency)
    said = " + ".join(money(a.value, a.currency) for _, a in lines)
    docs = list({a.doc.id: a.doc for _, a in lines}.values())
    return replace(request, plan=Plan.FACT, lead=f"{group.name[0].upper()}{group.name[1:]} come to {total} ({said})",
                   focus=docs[0], passages=docs)


def cost_lines(docs: list[Document]) -> list[tuple[str, Amount]]:
    """Each line (or clause) of the passages that states a sum of money, with the sum it counts:
    the one it says is its total ("$20, $15 and $18, so $53 in total"), or its first that is not
    by the month, else its first (times the months it says it is paid
    for: "$29 a month for 3 months"). A table row's line is named by its first cell
    ("CourseCareers course (optional): Cost: $499"); where MIN_LINES or more are such rows, they
    are the list with the total it states and its lines too long to be rows ("Corporate Fraud
    Handbook by Joseph T. Wells: $70"), and the rest of the prose around them ("your outlay
    drops by more than $400") is not."""
    out, rows = [], []
    for doc in docs:
        meta, said = ChunkMeta.of(doc), units(doc.page_content)
        row = bool(meta.parent) and len(said) <= ROW_UNITS
        clauses = [c for unit in said for c in CLAUSES.split(unit)]
        if row and any(CELL.match(c) for c in clauses):  # a table row costs what its cell says ("Cost: $96"),
            clauses = [c for c in clauses if CELL.match(c)]  # not its notes' sums ("$16 a month for six months")
        for clause in clauses:
            matches = list(AMOUNT.finditer(clause))
            found = [Amount(value_of(m), currency_of(m), bool(m["monthly"]), set(), set(), doc, clause)
                     for m in matches]
            if found:
                summed = [a for a, m in zip(found, matches, strict=True) if IN_TOTAL.match(clause, m.end())]
                counted = summed[-1] if summed else next((a for a in found if not a.monthly), found[0])
                if counted.monthly and (months := FOR_MONTHS.search(clause)):  # "$29 a month for 3 months": $87
                    counted = replace(counted, value=counted.value * number(months["n"]), monthly=False)
                elif (weeks := weeks_paid(clause)) is not None:  # "$15 a week for 6 weeks": $90
                    counted = replace(counted, value=counted.value * weeks)
                out.append((f"{meta.heading}: {clause}" if row else clause, counted))
                rows += [out[-1]] if row or states_total(clause) or NAMED_PRICE.match(clause) else []
    return rows if len(rows) >= MIN_LINES else out


def left_out(what: str, lines: list[tuple[str, Amount]], idf: dict[str, float]) -> tuple[str, Amount] | None:
    """The line a question leaves out ("the optional course"): the one sharing most of its words."""
    asked = set(content_terms(what)) - ASKING
    scored = [(sum(idf.get(w, 1.0) for w in asked & set(content_terms(line))), line, a) for line, a in lines]
    best = max(scored, key=lambda s: s[0], default=None)
    return (best[1], best[2]) if best and best[0] > 0 else None


def on_cost_sum(planner: Planner, request: Request, topic: Document | None) -> Request | None:
    """The sum of what two or more listed things cost, or one paid by the week or month, by the
    amounts the guide gives for them; a follow-up naming none ("what's that altogether?") prices
    the one thing the conversation named."""
    ranked = planner.retriever.search(request.standalone, COST_DEPTH)
    found = [a for doc in ranked for a in amounts(doc)]
    names = " ".join(f"{ChunkMeta.of(a.doc).section} {a.sentence}" for a in found)
    listed = items(request.question, names)
    if not listed and request.said:  # "what's that altogether?": the one thing the conversation named, if one
        talked_of = items(request.standalone, names)
        listed = talked_of if len(talked_of) == 1 else []
    if len(listed) == 1 and listed[0].count > 1:  # "the three books on the cost list"
        return group_total(planner, request, listed[0], ranked)
    if ALL_OF_IT.search(request.question):
        return list_total(planner, request, ranked)
    best: list[tuple[Item, Amount]] = []
    for currency in dict.fromkeys(a.currency for a in found):  # the currency most of the items are priced in
        pairs = priced(listed, [a for a in found if a.currency == currency], planner.retriever.bm25.idf,
                       kinds(request.question))
        best = pairs if len(pairs) > len(best) else best
    costs = [cost_of(item, amount, found) for item, amount in best]
    if len(best) == 1 and costs[0][0] != best[0][1].value:  # one thing paid by the week or month: its whole cost
        (item, amount), (total, text) = best[0], costs[0]
        lead = f"{item.name} comes to {money(total, amount.currency)} in all ({text}), by the guide's figures"
        return replace(request, plan=Plan.FACT, lead=lead[0].upper() + lead[1:], focus=amount.doc,
                       passages=[amount.doc])
    if len(best) < 2:
        return None
    said = [f"{item.name} ({text})" for (item, _), (_, text) in zip(best, costs, strict=True)]
    total = money(sum(value for value, _ in costs), best[0][1].currency)
    lead = f"{', '.join(said[:-1])} and {said[-1]} come to {total} in all, by the guide's figures"
    docs = list({id(a.doc): a.doc for _, a in best}.values())
    return replace(request, plan=Plan.FACT, lead=lead[0].upper() + lead[1:], focus=docs[0], passages=docs)
