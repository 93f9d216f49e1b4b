"""The error vocabulary of the pipeline: what retries and what does not."""


class PipelineError(Exception):
    """A message could not be processed. ``code`` is machine-readable."""

    code = "error"

    def __init__(self, message, code=None, field=None):
        super().__init__(message)
        self.code = code or self.code
        self.field = field


class PermanentError(PipelineError):
    """Retrying will not help (bad content, unknown code, forbidden target):
    fail fast into an exception owned by a team; fix, then replay."""

    code = "invalid_message"
    exception_type = "invalid_message"

    def __init__(self, message, code=None, field=None, exception_type=None):
        super().__init__(message, code=code, field=field)
        self.exception_type = exception_type or self.exception_type


class UnmappedCodeError(PermanentError):
    code = "unmapped_code"
    exception_type = "unmapped_code"


class TransientError(PipelineError):
    """A passing fault (timeout, 5xx, lock): retry later with backoff."""

    code = "transient"

    def __init__(self, message, code=None, retry_after=None):
        super().__init__(message, code=code)
        self.retry_after = retry_after
