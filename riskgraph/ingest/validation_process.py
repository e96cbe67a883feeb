"""Read and validate an import file into batches of valid rows, here or in a process of
its own.

`validated_batches` is the whole of reading and validation: it yields full batches of
valid rows (the last one may be short) with the rejections found on the way, and
rejection-only parts when many rows are bad, so memory stays flat either way.

The importer writes batches from a thread. Reading and validating in that same process
costs the writer the GIL exactly when it packs the next batch for Bolt, which leaves the
database server waiting, so a large file is read and validated by a `ValidationProcess`:
a spawned process running `validated_batches` and sending each part through a pipe. The
pipe bounds how far it runs ahead (it blocks on a send until the importer takes a part),
so memory stays flat there too. The process ends when told to, or as soon as the
importer is gone: killed or not, the importer's end of the pipe closes, so the process's
next send or receive fails and it exits (it never outlives the importer by more than one
batch of validation). An error raised in it is raised again in the importer, as the
same exception type with the same message where the exception can be pickled.
"""

from __future__ import annotations

import multiprocessing
import pickle
import signal
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from riskgraph.ingest.fields import FieldParser
from riskgraph.ingest.readers import iter_rows
from riskgraph.ingest.rows import Rejection, RowValidator, ValidRow
from riskgraph.schema import EntityType, Schema

_END = "end"                      # the last message of a file
_GONE = (EOFError, BrokenPipeError, ConnectionResetError)


@dataclass(slots=True)
class Validated:
    rows_read: int                # rows of the file read so far
    rows: list[ValidRow]          # a batch to write, or empty
    rejections: list[Rejection] = field(default_factory=list)

    def __reduce__(self):
        # Sent by the validation process as value tuples under one tuple of property
        # names, which pickles and unpickles in half the time of the row objects. Every
        # row of a file has the same names in the same order (RowValidator.build).
        return (_rebuilt, (self.rows_read, _columns(self.rows), self.rejections))


def _columns(rows: list[ValidRow]) -> tuple | None:
    if not rows:
        return None
    first = rows[0]
    if first.key is not None:     # nodes
        return (tuple(first.props), tuple(first.refs),
                [(r.number, r.key, tuple(r.props.values()), tuple(r.refs.values())) for r in rows])
    return (tuple(first.props), None,
            [(r.number, r.source, r.target, r.edge_key, tuple(r.props.values())) for r in rows])


def _rebuilt(rows_read: int, columns: tuple | None, rejections: list[Rejection]) -> Validated:
    if columns is None:
        return Validated(rows_read, [], rejections)
    names, ref_names, values = columns
    if ref_names is not None:
        rows = [ValidRow(n, key, dict(zip(names, props)), dict(zip(ref_names, refs)))
                for n, key, props, refs in values]
    else:
        rows = [ValidRow(n, None, dict(zip(names, props)), source=source, target=target, edge_key=edge_key)
                for n, source, target, edge_key, props in values]
    return Validated(rows_read, rows, rejections)


def validated_batches(path: Path, etype: EntityType, parser: FieldParser, batch_id: str,
                      batch_size: int) -> Iterator[Validated]:
    """The file's valid rows in batches of ``batch_size`` (file order) with the rejected
    rows' problems; the last part may have fewer rows, or none."""
    validator = RowValidator(etype, parser, path.name, batch_id)
    rows: list[ValidRow] = []
    rejections: list[Rejection] = []
    read = 0
    for raw in iter_rows(path, etype):
        read += 1
        checked = validator.validate(raw)
        if isinstance(checked, list):
            rejections.extend(checked)
            if len(rejections) >= batch_size:
                yield Validated(read, [], rejections)
                rejections = []
        else:
            rows.append(checked)
            if len(rows) >= batch_size:
                yield Validated(read, rows, rejections)
                rows, rejections = [], []
    yield Validated(read, rows, rejections)


class ValidationFailed(RuntimeError):
    """An error of the validation process that could not be sent as it was; the message
    is the original one."""


@dataclass
class _Failure:
    error: BaseException
    trace: str


def _sendable(exc: BaseException) -> BaseException:
    """``exc`` itself if it survives pickling with its message, else a stand-in."""
    try:
        copy = pickle.loads(pickle.dumps(exc))
        if type(copy) is type(exc) and str(copy) == str(exc):
            return exc
    except Exception:  # noqa: BLE001 - any exception may fail to pickle, each its own way
        pass
    return ValidationFailed(str(exc))


def _serve(conn, schema: Schema) -> None:
    """The validation process: validate each file the importer sends, until told to stop
    or until the importer is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the importer's to handle
    parser = FieldParser(schema)
    try:
        while (job := conn.recv()) is not None:
            path, template, batch_id, batch_size = job
            try:
                for part in validated_batches(Path(path), schema.by_template(template), parser,
                                              batch_id, batch_size):
                    conn.send(part)
            except _GONE:
                raise
            except Exception as exc:  # noqa: BLE001 - every error goes back to the importer
                conn.send(_Failure(_sendable(exc), traceback.format_exc()))
            else:
                conn.send(_END)
    except _GONE:
        pass                      # the importer ended or was killed
    finally:
        conn.close()


class ValidationProcess:
    """A spawned process reading and validating files for one importer, one at a time."""

    def __init__(self, schema: Schema):
        context = multiprocessing.get_context("spawn")
        self._conn, there = context.Pipe()
        self._process = context.Process(target=_serve, args=(there, schema), daemon=True,
                                        name="riskgraph-validation")
        self._process.start()
        there.close()             # only the process holds its end: it sees us go

    @property
    def pid(self) -> int | None:
        return self._process.pid

    @property
    def alive(self) -> bool:
        return not self._conn.closed and self._process.is_alive()

    def batches(self, path: Path, etype: EntityType, batch_id: str,
                batch_size: int) -> Iterator[Validated]:
        """`validated_batches` of the file, computed in the process. Left unfinished (the
        write failed), the process is stopped: it would still be sending this file."""
        finished = False
        try:
            self._conn.send((str(path), etype.template, batch_id, batch_size))
            while True:
                try:
                    part = self._conn.recv()
                except _GONE:
                    self._process.join(5)
                    raise ValidationFailed(
                        f"校验进程意外退出（退出码{self._process.exitcode}）") from None
                if part == _END:
                    finished = True
                    return
                if isinstance(part, _Failure):
                    finished = True
                    part.error.add_note(f"校验进程中：\n{part.trace}")
                    raise part.error
                yield part
        finally:
            if not finished:
                self.close()

    def close(self) -> None:
        """Stop the process (at once if it is busy) and wait for it."""
        if not self._conn.closed:
            try:
                self._conn.send(None)
            except OSError:
                pass
            self._conn.close()    # a busy process's next send fails
        self._process.join(5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
