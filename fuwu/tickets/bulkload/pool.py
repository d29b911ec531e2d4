"""Chunks of requests simulated and encoded in worker processes, delivered in order.

A chunk's requests do not depend on the other chunks' (each chunk has its own random generator,
seeded from the seed and the chunk's index); only the ids are sequential. So a worker simulates a
chunk, reports how many clocks, hand-overs, repeat contacts and entries it made, is told where
their ids start once every chunk before it has reported, and encodes the chunk. The result is the
same whatever the number of processes (none: all in this one).

Workers are forked once everything they read from the database is loaded (`world.World`, the
encoding's column types). They must not use the database connection they inherit (it is the
parent's, in the middle of its transaction): it is made to refuse.
"""

import contextlib
import os
import queue
import threading
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing import connection as mp_connection
from multiprocessing import get_all_start_methods, get_context
from typing import Any

from django.db import connections

from fuwu.tickets.bulkload.encoding import EncodedChunk, Encoding, encode_chunk
from fuwu.tickets.bulkload.records import TicketRecord
from fuwu.tickets.bulkload.simulation import FastTicketGenerator
from fuwu.tickets.bulkload.world import World

LOCAL_IDS = ("clock", "handover", "repeat", "entry")


@dataclass
class Task:
    index: int
    tickets: list[tuple[int, int, str, int, int]]  # (index in the year, id, number, registered, received), in order


def _simulate(world: World, task: Task) -> tuple[FastTicketGenerator, list[TicketRecord]]:
    gen = FastTicketGenerator(world)
    tickets = [TicketRecord(index=index, id=pk, number=number, received=received, registered=registered)
               for index, pk, number, registered, received in task.tickets]
    gen.run(tickets)
    return gen, tickets


def _encode(world: World, encoding: Encoding, gen: FastTicketGenerator, tickets: list[TicketRecord],
            offsets: dict[str, int]) -> EncodedChunk:
    return encode_chunk(tickets, gen.events, gen.statuses, offsets=offsets, encoding=encoding, names=world.names,
                        request_id=world.request_id)


def default_processes(chunks: int) -> int:
    """One worker per core the process may use; none for a single chunk (nothing to overlap) or without fork."""
    if chunks < 2 or "fork" not in get_all_start_methods():
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(chunks, cores)


class Chunks:
    """The encoded chunks of `tasks`, in order; ids of each table start at `first_ids`."""

    def __init__(self, world: World, encoding: Encoding, tasks: list[Task], first_ids: dict[str, int],
                 processes: int):
        self.world, self.encoding, self.tasks, self.first_ids = world, encoding, tasks, dict(first_ids)
        self.processes = min(processes, len(tasks))
        self._workers: list[Any] = []
        self._relay: threading.Thread | None = None
        self._results: queue.Queue = queue.Queue()
        self._consumed = 0
        self._stop = False
        if self.processes:
            self._start()

    def __iter__(self) -> Iterator[EncodedChunk]:
        if not self.processes:
            offsets = dict(self.first_ids)
            for task in self.tasks:
                gen, tickets = _simulate(self.world, task)
                yield _encode(self.world, self.encoding, gen, tickets, offsets)
                offsets = {name: offsets[name] + gen.ids[name] for name in LOCAL_IDS}
            return
        ready: dict[int, EncodedChunk] = {}
        for index in range(len(self.tasks)):
            while index not in ready:
                found, result = self._results.get()
                if found < 0:
                    raise result
                ready[found] = result
            self._consumed = index + 1
            yield ready.pop(index)

    # The workers -------------------------------------------------------------------------------------------------

    def _start(self) -> None:
        context = get_context("fork")
        for _n in range(self.processes):
            ours, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(theirs, self.world, self.encoding, self.tasks),
                                      daemon=True, name="fast-seed-simulation")
            process.start()
            theirs.close()
            self._workers.append((process, ours))
        self._relay = threading.Thread(target=self._relay_loop, name="fast-seed-relay", daemon=True)
        self._relay.start()

    def _relay_loop(self) -> None:
        """Hand out tasks (a few ahead of the consumer), and each chunk's id offsets as soon as they are known."""
        try:
            pending = list(reversed(self.tasks))
            free = [conn for _process, conn in self._workers]  # may be sent a task now
            counts: dict[int, dict[str, int]] = {}
            waiting: dict[int, Any] = {}  # chunk index: the worker waiting for its offsets
            settled, offsets, delivered = 0, dict(self.first_ids), 0
            ahead = 2 * self.processes
            while delivered < len(self.tasks) and not self._stop:
                while free and pending and pending[-1].index < self._consumed + ahead:
                    free.pop().send(pending.pop().index)  # small messages only: a send never waits for a worker
                for conn in mp_connection.wait([conn for _process, conn in self._workers], timeout=0.05):
                    kind, index, data = conn.recv()
                    if kind == "counts":
                        counts[index], waiting[index] = data, conn
                    elif kind == "done":
                        self._results.put((index, data))
                        delivered += 1
                    else:
                        raise RuntimeError(f"A simulation worker failed on chunk {index}:\n{data}")
                while settled in counts:
                    conn = waiting.pop(settled)
                    conn.send(offsets)
                    free.append(conn)  # its next task waits in the pipe until it has encoded this one
                    used = counts.pop(settled)
                    offsets = {name: offsets[name] + used[name] for name in LOCAL_IDS}
                    settled += 1
        except BaseException as exc:
            self._results.put((-1, exc))

    def close(self) -> None:
        """Stop the relay and the workers (at the end, or after a failure)."""
        self._stop = True
        if self._relay is not None:
            self._relay.join()
            self._relay = None
        for process, conn in self._workers:
            with contextlib.suppress(OSError):  # a worker that failed has gone already
                conn.send(None)
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()
            conn.close()
        self._workers = []


def _serve(conn: Any, world: World, encoding: Encoding, tasks: list[Task]) -> None:
    """A worker: for each task, simulate, report the ids used, wait for their offsets, encode, send.

    The parent sends only task indexes and offsets (the tasks came with the fork): its messages are
    small, so it never waits on a worker that is itself sending a large chunk.
    """
    for alias in connections:
        _refuse_database(connections[alias])
    index = -1
    try:
        while (index := conn.recv()) is not None:
            gen, tickets = _simulate(world, tasks[index])
            conn.send(("counts", index, dict(gen.ids)))
            offsets = conn.recv()
            conn.send(("done", index, _encode(world, encoding, gen, tickets, offsets)))
    except BaseException:
        conn.send(("error", index, traceback.format_exc()))


def _refuse_database(wrapper: Any) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("A simulation worker must not use the database: load what it needs into World.")

    wrapper.ensure_connection = wrapper._cursor = refuse  # the parent's connection object is kept, untouched
