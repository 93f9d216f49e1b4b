"""What can go wrong when we ask a carrier, whatever its protocol."""


class CarrierError(Exception):
    """A call to the carrier failed. ``code`` is machine-readable."""

    code = "carrier_error"

    def __init__(self, message, code=None):
        super().__init__(message)
        self.code = code or self.code


class CarrierUnavailable(CarrierError):
    """A passing fault (timeout, 5xx, an unreadable answer): try again later."""

    code = "unavailable"


class QuotaExceeded(CarrierUnavailable):
    """The carrier answered 429: wait as long as it says."""

    code = "quota_exceeded"

    def __init__(self, message, retry_after=None):
        super().__init__(message)
        self.retry_after = retry_after


class BadAnswer(CarrierUnavailable):
    """The carrier answered something unreadable; the body is kept for the log."""

    code = "invalid_response"

    def __init__(self, message, body):
        super().__init__(message)
        self.body = body


class CarrierRefused(CarrierError):
    """The carrier will never take this request (credentials, a bad request)."""

    code = "refused"
