"""Every test here may run the worker in its own transaction (conftest.py at the root)."""

import pytest


@pytest.fixture(autouse=True)
def _keep_the_test_connection(worker_keeps_the_test_connection):
    pass
