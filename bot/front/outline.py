"""What the loader understood of each guide, for a person to check at a glance:
`python -m bot outline` prints the outline, the roadmap with its week spans and total, the
title's claim, and the FAQ questions."""

from __future__ import annotations

from bot.answer.roadmap import weeks_span, weeks_text
from bot.ingest.outline import Guide, Section
from bot.ingest.timeline import claim_weeks, title_claim


def describe_guide(guide: Guide) -> str:
    lines = [f'{guide.source}: "{guide.title}"', "", "Outline:"]
    lines += [f"{'  ' * len(s.path)}{s.title}{' [FAQ]' if s.kind == 'faq' else ''}" for s in guide.walk()]
    lines += ["", *_roadmap(guide)]
    faq = [s.title for s in guide.walk() if s.kind == "faq"]
    lines += ["", f"FAQ ({len(faq)} questions):", *(f"  {q}" for q in faq)]
    if guide.notes:
        lines += ["", "Notes:", *(f"  {note}" for note in guide.notes)]
    return "\n".join(lines)


def _roadmap(guide: Guide) -> list[str]:
    roadmap = guide.roadmap
    if roadmap is None:
        return ["Roadmap: none found (no section whose parts state their time)."]
    phases: list[Section] = [c for c in roadmap.children if c.kind == "phase"]
    total = max(p.span.last_week for p in phases)
    rule = (f"a month counted as {guide.weeks_per_month:g} weeks, as the guide says" if guide.month_rule_stated
            else "a month counted as 52/12 weeks")
    out = [f"Roadmap: {roadmap.title or 'the top-level sections'} ({len(phases)} phases, {total:g} weeks; {rule})"]
    width = max(len(p.phase) for p in phases)
    out += [f"  {n}. {p.phase:<{width}}  {weeks_span(p.span.first_week, p.span.last_week)}"
            f"  ({weeks_text(p.span.weeks)}; stated as \"{p.timing.text}\")" for n, p in enumerate(phases, 1)]
    claim = title_claim(guide.title)
    if claim:
        claimed = claim_weeks(claim, guide.weeks_per_month)
        gap = round(total - claimed)
        verdict = "the phases fit it" if abs(total - claimed) < 1 else (
            f"the phases take {weeks_text(abs(gap))} {'more' if gap > 0 else 'less'}")
        out.append(f'  Title claims "{claim}" (about {claimed:.0f} weeks): {verdict}.')
    return out

