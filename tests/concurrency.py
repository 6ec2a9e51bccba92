"""Running the same work in several threads at once, as parallel workers or clicks would."""

import threading

from django.db import connection


def at_once(work, times):
    """Runs ``work()`` in ``times`` threads that start together, each on its own database
    connection; returns what the calls returned and what they raised."""
    start = threading.Barrier(times)
    results, errors = [], []

    def run():
        try:
            start.wait(timeout=10)
            results.append(work())
        except Exception as error:  # noqa: BLE001 -- handed to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors
