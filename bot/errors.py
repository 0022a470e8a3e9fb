"""The project's own exceptions: library code raises them, the CLI and UI turn them into messages."""


class BotError(Exception):
    """Base class: the message says what happened and what to do."""


class CorpusError(BotError):
    """The corpus folder or one of its files cannot be used."""


class IndexMissingError(BotError):
    """There is no usable index yet."""


class IndexLockedError(BotError):
    """Another ingest holds the index's writer lock."""


class ModelMismatchError(BotError):
    """The index was built with another embedding model than the one configured."""


class QuestionError(BotError):
    """The question cannot be answered as given (empty or too long)."""
