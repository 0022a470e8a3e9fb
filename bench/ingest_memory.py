"""Ingest memory against corpus size: peak RSS of one ingest per size, in a fresh process each.

    .venv/bin/python bench/ingest_memory.py                   # 1, 4 and 16 MB, stand-in embedder
    .venv/bin/python bench/ingest_memory.py --sizes 4 --model # the real model (about 10 chunks/s)

Each size is a generated guide: a Markdown file of that many MB with headed sections of
ordinary paragraphs plus one paragraph written as a single 50,000-character line. The
stand-in embedder turns a text into a hashed unit vector at once, so what the figures show
is what ingest itself holds (chunks, vectors, the new generation), not the model's runtime,
which is the same at every size. Each size is ingested twice: into an empty index, then
again after a new section is appended (the re-ingest reuses every other chunk's vector).
Prints MB of text, chunks, and peak RSS and seconds of both runs.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = ("roadmap model deploy serving latency monitoring pipeline feature store batch stream "
         "review practice project interview salary team cloud docker kubernetes data drift "
         "training evaluation metric week month phase skill portfolio engineer production").split()


def write_guide(path: Path, megabytes: float, seed: int = 7) -> None:
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    with path.open("w", encoding="utf-8") as out:
        out.write("# From Data Scientist to Platform Engineer: a 6-Month Plan\n\n")
        out.write(" ".join(rng.choice(WORDS) for _ in range(8_000)) + ".\n\n")  # one long line
        written, section = 0, 0
        while written < target:
            section += 1
            block = f"## Section {section}\n\n" + "\n\n".join(
                " ".join(f"{' '.join(rng.choices(WORDS, k=rng.randint(8, 20)))}." for _ in range(rng.randint(2, 5)))
                for _ in range(rng.randint(2, 6))) + "\n\n"
            out.write(block)
            written += len(block)


class StandIn:
    """A LangChain-shaped embedder with no model: a unit vector hashed from the text."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        import numpy as np

        out = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
            v = np.random.default_rng(seed).standard_normal(384).astype(np.float32)
            out.append((v / np.linalg.norm(v)).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def child(corpus: str, index: str, model: bool) -> None:
    """Run one ingest in this process and print chunks, seconds and peak RSS."""
    sys.path.insert(0, str(ROOT))
    from bot.config import Settings
    from bot.ingest.indexing import build_index

    settings = Settings(corpus_dir=Path(corpus), index_dir=Path(index))
    if model:
        from bot.index.embeddings import make_embedder

        embedder = make_embedder(settings)
    else:
        embedder = StandIn()
    start = time.monotonic()
    report = build_index(settings, embedder, progress=False)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(report.chunks, round(time.monotonic() - start, 1), round(peak))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 4, 16], help="MB of text per run")
    parser.add_argument("--model", action="store_true", help="embed with the real model, not the stand-in")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child, args.model)
    print(f"{'MB of text':>10} {'chunks':>8} {'first: peak MB':>15} {'seconds':>8} {'re-ingest: peak MB':>19} "
          f"{'seconds':>8}   ({'real model' if args.model else 'stand-in embedder'})")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp, "corpus")
            corpus.mkdir()
            write_guide(corpus / "guide.md", size)
            cmd = [sys.executable, __file__, "--child", str(corpus), str(Path(tmp, "index"))]
            cmd += ["--model"] if args.model else []
            runs = []
            for _ in range(2):
                out = subprocess.run(cmd, capture_output=True, text=True)
                if out.returncode:
                    sys.exit(f"ingest of {size} MB failed:\n{out.stderr[-2000:]}")
                runs.append(out.stdout.split())
                with (corpus / "guide.md").open("a") as guide:
                    guide.write("\n## One more section\n\nA section added after the first ingest.\n")
            (chunks, first_s, first_mb), (_, again_s, again_mb) = runs
            print(f"{size:>10g} {chunks:>8} {first_mb:>15} {first_s:>8} {again_mb:>19} {again_s:>8}", flush=True)

if __name__ == "__main__":
    main()
