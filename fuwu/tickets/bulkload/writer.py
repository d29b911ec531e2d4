"""Encoded rows to the database in the caller's transaction: binary COPY on PostgreSQL, executemany on SQLite.

On PostgreSQL the blocks are sent by a thread (on the same connection and transaction), so that the
parent's own work (the audit chain) goes on while the server takes them in.
"""

import queue
import threading
from typing import Any

from django.db import connection

from fuwu.tickets.bulkload.encoding import Table


class Writer:
    def __init__(self) -> None:
        self.vendor = connection.vendor
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        if self.vendor == "postgresql":
            self._queue: queue.Queue = queue.Queue(maxsize=16)
            self._cursor = connection.connection.cursor()  # the psycopg cursor, used by the thread only
            self._thread = threading.Thread(target=self._send_loop, name="fast-seed-copy", daemon=True)
            self._thread.start()

    def write(self, table: Table, data: Any) -> None:
        """`data`: `table`'s rows as encoded for this database (`encoding.Encoding.rows`)."""
        qn = connection.ops.quote_name
        name = qn(table.model._meta.db_table)
        columns = ", ".join(qn(c) for c in table.columns)
        if self.vendor == "postgresql":
            if self._error is not None:
                raise self._error
            self._queue.put((f"COPY {name} ({columns}) FROM STDIN (FORMAT BINARY)", data))
            return
        marks = ", ".join(["%s"] * len(table.columns))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {name} ({columns}) VALUES ({marks})", data)  # noqa: S608

    def _send_loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self._error is not None:
                continue
            statement, data = item
            try:
                with self._cursor.copy(statement) as copy:
                    copy.write(data)
            except BaseException as exc:  # reported to the producer at its next write, or at close
                self._error = exc

    def abandon(self) -> None:
        """Stop the sending thread after a failure elsewhere (the transaction is rolled back anyway)."""
        self._error = self._error or RuntimeError("abandoned")
        self.close(raise_error=False)

    def close(self, *, raise_error: bool = True) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
            self._cursor.close()
        if raise_error and self._error is not None:
            raise self._error
