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
#chat-bar { align-items: center; }
#sources .cited { background: #fff3c4; border-radius: 4px; outline: 2px solid #f0c040; }
#sources details summary { cursor: pointer; opacity: 0.75; font-size: 0.9em; }
/* the chat's toolbar gets a strip of its own above the messages, not over their text */
#chatbot .top-panel { position: static !important; display: flex; justify-content: flex-end; }
/* a copy button under each question took a row of its own; the question is the user's own text */
#chatbot .message-buttons-right { display: none; }
@media (max-width: 640px) {
  #title h2 { font-size: 1.05rem !important; line-height: 1.3 !important; }
  #status { display: none; }
  #chat-row { flex-direction: column; }
  #sources-column { order: -1; }  /* a one-line "Sources" bar above the chat, opened on demand */
  #chatbot { height: calc(100dvh - 380px) !important; min-height: 220px; }
  #chat-bar { flex-wrap: nowrap; gap: 6px; }
  #chat-bar > * { min-width: 0 !important; }
}
"""
# On a phone the sources start closed, so the question box is on the first screen. A click on
# "[n]" in an answer: the server's select event puts that answer's sources in the panel; this
# then opens the panel, scrolls to passage n and highlights it.
JS = """() => {
  const bar = () => document.querySelector('#sources-box button.label-wrap');
  if (window.matchMedia('(max-width: 640px)').matches && bar() && bar().classList.contains('open')) bar().click();
  const show = (answer, n, tries) => {
    const panel = document.querySelector('#sources');
    const ready = panel && panel.innerText.includes(`Sources of answer ${answer}`);
    const head = ready && [...panel.querySelectorAll('strong')].find(s => s.textContent.startsWith(`[${n}]`));
    if (!head) { if (tries > 0) setTimeout(() => show(answer, n, tries - 1), 100); return; }
    document.querySelectorAll('#sources .cited').forEach(e => e.classList.remove('cited'));
    const block = head.closest('p');
    block.classList.add('cited');
    const quote = block.nextElementSibling;
    if (quote && quote.tagName === 'BLOCKQUOTE') quote.classList.add('cited');
    block.scrollIntoView({block: 'center', behavior: 'instant'});
  };
  document.addEventListener('click', (event) => {
    const row = event.target.closest('#chatbot .message-content') && event.target.closest('#chatbot .bot-row');
    if (!row) return;
    const at = document.caretRangeFromPoint(event.clientX, event.clientY);
    if (!at || at.startContainer.nodeType !== Node.TEXT_NODE) return;
    const text = at.startContainer.textContent, i = at.startOffset;
    const open = text.lastIndexOf('[', i), close = text.indexOf(']', Math.max(open, 0));
    const cite = open >= 0 && close >= i - 1 && text.slice(open, close + 1).match(/^\\[(\\d+)\\]$/);
    if (!cite) return;
    if (bar() && !bar().classList.contains('open')) bar().click();
    const answer = [...document.querySelectorAll('#chatbot .bot-row')].indexOf(row) + 1;
    show(answer, cite[1], 50);
  });
}"""


def theme() -> gr.themes.Base:
    return gr.themes.Default(font=FONTS, font_mono=MONO)


def look_options() -> dict:
    """The keyword arguments of Blocks.launch that style the app (Gradio 6 takes them there)."""
    return {"theme": theme(), "css": CSS, "js": JS}
