"""A file-based e-mail backend for the integration tests, with one deliberately slow send.

When SLOW_MAIL_MARKER names a file that does not exist yet, the first send anywhere creates it and then
sleeps before writing, so a test can SIGKILL the worker mid-send. Every later send (in this or any other
process, the marker being there) writes at once. Each message goes to its own file in EMAIL_FILE_PATH.
"""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend as FileBackend

SLOW_SECONDS = float(os.environ.get("SLOW_MAIL_SECONDS", "30"))


def _claim_marker() -> bool:
    """Create the marker file atomically; True for exactly one caller across processes."""
    marker = os.environ.get("SLOW_MAIL_MARKER")
    if not marker:
        return False
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return False
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    return True


class EmailBackend(FileBackend):
    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        if not email_messages:
            return 0
        if _claim_marker():
            time.sleep(SLOW_SECONDS)
        sent = 0
        for message in email_messages:
            path = Path(self.file_path) / f"{time.time_ns()}-{os.getpid()}-{uuid.uuid4().hex}.eml"
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(message.message().as_bytes() + b"\n")
            tmp.rename(path)  # a mail file is either whole or absent
            sent += 1
        return sent
