"""The Roadmap tab: the phases as a Plotly timeline, and a week box that names the week's phase.

The chart is a horizontal bar per phase, placed by its weeks, its name and weeks on the axis,
so no label is cut; the chosen week is a marked line. The week box
takes a whole number from 1 to the roadmap's last week; anything else gets a sentence
saying what to type, never an error toast.
"""

import html
import math
from collections.abc import Callable

import gradio as gr
import plotly.graph_objects as go

from bot.answer.roadmap import Roadmap
from bot.front.look import FONTS
from bot.text import units

BAR = "#4f7fd9"
NO_ROADMAP = "The guide being served has no roadmap."
MARK = "#d9534f"


def roadmap_figure(roadmap: Roadmap, week: int | None = None) -> go.Figure:
    """The phases as bars along the weeks, the first at the top, with `week` marked. Each bar's
    name and weeks are its axis label, so a short bar on a phone never cuts them."""
    phases = roadmap.phases
    names = [f"{i}. {p.name}<br>{p.span}" for i, p in enumerate(phases, 1)]
    fig = go.Figure(go.Bar(
        y=names, x=[p.weeks for p in phases], base=[p.start_week for p in phases], orientation="h",
        marker_color=BAR, customdata=[p.duration for p in phases], hovertemplate="%{y}<br>%{customdata}<extra></extra>",
    ))
    if week is not None:
        fig.add_vline(x=week - 0.5, line_color=MARK, line_width=3,
                      annotation_text=f"week {week}", annotation_position="top", annotation_font_color=MARK)
    fig.update_layout(
        autosize=True, height=90 + 46 * len(phases), margin={"l": 10, "r": 10, "t": 30, "b": 40},
        showlegend=False, plot_bgcolor="white", bargap=0.25, font={"family": ", ".join(FONTS), "size": 12},
        xaxis={"title": "week", "range": [0, roadmap.total_weeks], "nticks": 11,
               "gridcolor": "#e5e5e5"},
        yaxis={"autorange": "reversed", "automargin": True},
    )
    return fig


def parse_week(roadmap: Roadmap, value) -> int | str:
    """The week number typed, or a sentence saying what is allowed."""
    last = math.ceil(roadmap.total_weeks)
    ask = f"Type a whole week number from 1 to {last}."
    try:
        number = float(str(value).strip())
    except ValueError:
        return ask
    if not number.is_integer():
        return f"Weeks are whole numbers. {ask}"
    if not 1 <= number <= last:
        return f"The roadmap has {last} weeks. {ask}"
    return int(number)


def week_markdown(roadmap: Roadmap, week: int) -> str:
    """The phase that week N falls in, with its tasks and the passage they come from."""
    p = roadmap.phase_at(week)
    if p is None:
        return f"Week {week:g} is after the roadmap's {roadmap.total_weeks:g} weeks."
    n = roadmap.phases.index(p) + 1
    tasks = "\n".join(f"- {html.escape(u, quote=False)}" for u in units(p.doc.page_content))
    return (f"**Week {week:g}** is in phase {n} of {len(roadmap.phases)}: "
            f"**{html.escape(p.name, quote=False)}** ({p.duration}, {p.span}) [1]\n\n{tasks}\n\n"
            f"[1] {html.escape(p.section, quote=False)} _({html.escape(p.source, quote=False)})_")


def show_week(roadmap: Roadmap | None, value):
    """(chart, detail) for what was typed in the week box."""
    if roadmap is None or not roadmap.phases:
        return gr.update(), NO_ROADMAP
    week = parse_week(roadmap, value)
    if isinstance(week, str):
        return gr.update(), week
    return roadmap_figure(roadmap, week), week_markdown(roadmap, week)


def summary(roadmap: Roadmap | None) -> str:
    if roadmap is None or not roadmap.phases:
        return NO_ROADMAP
    name = roadmap.section or "Roadmap"  # phases that are the guide's own sections have no roadmap heading
    return (f"**{html.escape(name, quote=False)}**: {len(roadmap.phases)} phases, "
            f"{roadmap.total_weeks:g} weeks in all. Type a week from 1 to {math.ceil(roadmap.total_weeks)}.")


def roadmap_tab(current: Callable[[], Roadmap | None], demo: gr.Blocks) -> None:
    """The tab, drawn from the roadmap served when a page loads (an ingest may change it)."""
    roadmap = current()
    with gr.Tab("Roadmap"):
        heading = gr.Markdown(summary(roadmap), elem_id="roadmap-summary")
        chart = gr.Plot(roadmap_figure(roadmap, 1), show_label=False, elem_id="timeline")
        week = gr.Textbox("1", label="Week", max_lines=1, max_length=8, elem_id="week", submit_btn="Show")
        detail = gr.Markdown(week_markdown(roadmap, 1), elem_id="week-detail")
    week.submit(lambda w: show_week(current(), w), inputs=week, outputs=[chart, detail], api_name="week")
    demo.load(lambda: (summary(current()), *show_week(current(), 1), "1"), outputs=[heading, chart, detail, week],
              api_name=False)
