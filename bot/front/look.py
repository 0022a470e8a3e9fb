"""How the app looks: a theme that uses only fonts already on the user's machine (the app
must render the same with no network), and the layout's CSS for a desk and a phone."""

import gradio as gr

FONTS = ("ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue",
         "Arial", "Noto Sans", "Liberation Sans", "DejaVu Sans", "sans-serif")
MONO = ("ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "Liberation Mono", "DejaVu Sans Mono", "monospace")

CSS = """
#title h2 { margin: 0; }
#status p { margin: 0; font-size: 0.85rem; opacity: 0.8; }
#feedback-status:empty { display: none; }
/* a copy button under each question took a row of its own; the question is the user's own text */
#chatbot .message-buttons-right { display: none; }
@media (max-width: 640px) {
  #title h2 { font-size: 1.05rem !important; line-height: 1.3 !important; }
  #status { display: none; }
  #chat-row { flex-direction: column; }
  #sources-column { order: -1; }  /* a one-line "Sources" bar above the chat, opened on demand */
  #chatbot { height: calc(100dvh - 300px) !important; min-height: 240px; }
}
"""
# On a phone the sources start closed, so the question box is on the first screen.
JS = """() => {
  const bar = document.querySelector('#sources-box button.label-wrap');
  if (window.matchMedia('(max-width: 640px)').matches && bar && bar.classList.contains('open')) bar.click();
}"""


def theme() -> gr.themes.Base:
    return gr.themes.Default(font=FONTS, font_mono=MONO)


def look_options() -> dict:
    """The keyword arguments of Blocks.launch that style the app (Gradio 6 takes them there)."""
    return {"theme": theme(), "css": CSS, "js": JS}
