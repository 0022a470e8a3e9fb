"""LangChain's standard test suite for retrievers, run whole against HybridRetriever over the
real index of the guide: a user plugging it into their own LangChain code gets the contract."""

import pytest
from langchain_tests.integration_tests import RetrieversIntegrationTests

from bot.retrieval import HybridRetriever

pytestmark = pytest.mark.slow


class TestHybridRetrieverContract(RetrieversIntegrationTests):
    @pytest.fixture(autouse=True)
    def _served_index(self, bot, embedder):
        self._params = {"collection": bot.index.collection, "vocabulary": bot.index.vocabulary,
                        "embedder": embedder, "documents": bot.index.documents}

    @property
    def retriever_constructor(self) -> type[HybridRetriever]:
        return HybridRetriever

    @property
    def retriever_constructor_params(self) -> dict:
        return self._params

    @property
    def retriever_query_example(self) -> str:
        return "How long is the Portfolio Development phase?"
