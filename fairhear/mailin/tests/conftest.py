"""A real dovecot for the IMAP tests: required in CI, skipped elsewhere when not installed."""

import os

import pytest

from fairhear.mailin.tests.dovecot import dovecot_available, start_dovecot


@pytest.fixture
def dovecot(settings):
    if not dovecot_available():
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs dovecot (dovecot-imapd) for the e-mail in tests")
        pytest.skip("dovecot is not installed (apt-get install dovecot-imapd)")
    server = start_dovecot()
    settings.FAIRHEAR_IMAP_HOST = "127.0.0.1"
    settings.FAIRHEAR_IMAP_PORT = server.port
    settings.FAIRHEAR_IMAP_SECURITY = "none"
    settings.FAIRHEAR_IMAP_USER = server.user
    settings.FAIRHEAR_IMAP_PASSWORD = server.password
    settings.FAIRHEAR_IMAP_TIMEOUT = 10
    yield server
    server.stop()
