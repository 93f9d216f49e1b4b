"""Committing inside a job or a cron, where work must survive what follows."""

import threading


def commit(env):
    """Commit what is done so far (an outbound call made, a file picked up),
    so that a later failure in the same job cannot undo it and cause it to be
    done twice. Tests run in one transaction that must not be committed."""
    if not getattr(threading.current_thread(), "testing", False):
        env.cr.commit()  # pylint: disable=invalid-commit
