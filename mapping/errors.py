"""Errors shared by every layer (bottom layer: imports nothing of the project)."""

from __future__ import annotations


class SourceError(RuntimeError):
    """Fatal error of a source: the message is French and names the source.

    Parameters
    ----------
    source
        Registry name of the source (``"carteco"``...).
    message
        French explanation, without the source name (it is prefixed).
    status
        HTTP status when the error comes from a response.
    url
        Request URL with secrets removed (see :func:`mapping.http.redact`).
    """

    def __init__(self, source: str, message: str, *, status: int | None = None, url: str | None = None):
        self.source = source
        self.status = status
        self.url = url
        self.detail = message
        super().__init__(f"{source} : {message}" if source else message)


class RetriableError(Exception):
    """A transient failure (429, 5xx, connection error, timeout): the request may be tried again.

    Raised inside the retry loop of the HTTP client; after the last attempt it becomes a
    :class:`SourceError`.
    """

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None):
        self.status = status
        self.retry_after = retry_after
        super().__init__(message)


__all__ = ["RetriableError", "SourceError"]
