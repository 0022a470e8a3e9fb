"""The ONNX backend gives the same vectors as sentence-transformers on torch."""

import numpy as np
import pytest

from bot.config import Settings
from bot.index.embeddings import LocalEmbeddings, OnnxEmbeddings, make_embedder

pytestmark = pytest.mark.slow

TEXTS = ["pay", "Will I take a pay cut?", "How long until I'm job-ready?",
         "Your Learning Roadmap: Cloud & Production Skills\n6 weeks- Complete either AWS ML Specialty or "
         "Google ML Engineer certification\n- Build and deploy a complete ML pipeline using SageMaker",
         "word " * 400]  # longer than the model's 256 tokens: truncated the same way


def test_onnx_and_torch_backends_give_the_same_vectors_for_a_padded_batch(tmp_path):
    settings = Settings(index_dir=tmp_path)
    onnx = make_embedder(settings)
    torch = make_embedder(Settings(index_dir=tmp_path, embedding_backend="torch"))
    assert isinstance(onnx, OnnxEmbeddings) and isinstance(torch, LocalEmbeddings)
    a, b = np.array(onnx.embed_documents(TEXTS)), np.array(torch.embed_documents(TEXTS))
    assert a.shape == b.shape == (len(TEXTS), 384)
    assert np.all(np.sum(a * b, axis=1) > 0.9999)
    single = np.array(onnx.embed_query(TEXTS[1]))
    assert float(single @ a[1]) > 0.9999  # alone or padded in a batch: the same vector
    assert (tmp_path / "models").is_dir()
