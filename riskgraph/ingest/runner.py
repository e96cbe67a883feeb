"""Import files into the graph: order them, validate rows, write batches, report.

Rows are read and validated while a writer thread commits the previous batches (the
database is another process, so the two overlap). A large file is read and validated in
a validation process of its own (see validation_process), so that work does not compete
with the writer thread's packing of batches for the GIL; small ones, below the size
that pays for starting it, in the main thread. Files are
imported in schema order (regions before organisations before posts ...). A file whose
SHA-256 was imported completely before is skipped: re-importing it changes nothing.
The batch id is derived from the file's content, so even a forced re-import writes
identical provenance.
"""

from __future__ import annotations

import csv
import hashlib
import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Protocol

from riskgraph.graph import GraphClient
from riskgraph.ingest.fields import FieldParser
from riskgraph.ingest.readers import FORMATS, FileProblem, count_rows, template_for
from riskgraph.ingest.rows import Rejection, ValidRow
from riskgraph.ingest.validation_process import Validated, ValidationProcess, validated_batches
from riskgraph.ingest.writer import BatchResult, BatchWriter
from riskgraph.progress import Progress
from riskgraph.schema import EntityType, Schema


class Ledger(Protocol):
    """Where imports are recorded (the application-state store)."""

    def completed_batch(self, sha256: str) -> str | None: ...
    def begin(self, report: "FileReport") -> None: ...
    def add_rejections(self, batch_id: str, rejections: list[Rejection]) -> None: ...
    def add_duplicates(self, batch_id: str, duplicates: list[dict]) -> None: ...
    def finish(self, report: "FileReport") -> None: ...


@dataclass
class FileReport:
    path: Path
    template: str
    sha256: str
    batch_id: str
    status: str = "running"            # running, done, skipped, failed
    rows_read: int = 0
    written: int = 0
    rejected: int = 0
    duplicates: int = 0
    error: str | None = None
    seconds: float = 0.0
    report_dir: Path | None = None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def expand(paths: Iterable[Path], schema: Schema) -> list[tuple[Path, EntityType]]:
    """Files to import with their templates, in import order. Folders contribute every
    supported file named after a template; a named file must match a template."""
    found: list[tuple[Path, EntityType]] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.iterdir()):
                if child.suffix.lower() in FORMATS:
                    try:
                        found.append((child, template_for(child, schema)))
                    except FileProblem:
                        continue  # other files in a folder (e.g. ground truth) are not ours
        elif path.is_file():
            found.append((path, template_for(path, schema)))
        else:
            raise FileProblem(path, "文件或目录不存在")
    found.sort(key=lambda pair: (pair[1].order, str(pair[0])))
    return found


class Importer:
    """Imports files one at a time. ``process_from_bytes``: a file of at least this size
    starts a validation process, which then reads and validates it and every later file
    until `close` (smaller files before it are validated in the main thread, which is
    quicker than starting the process for them); None: every file in the main thread."""

    def __init__(self, client: GraphClient, ledger: Ledger, schema: Schema, report_root: Path,
                 batch_size: int = 2000, force: bool = False, show_progress: bool = True,
                 process_from_bytes: int | None = None):
        self.client, self.ledger, self.schema = client, ledger, schema
        self.parser = FieldParser(schema)
        self.report_root = report_root
        self.batch_size = batch_size
        self.force = force
        self.show_progress = show_progress
        self.process_from_bytes = process_from_bytes
        self._validation: ValidationProcess | None = None

    def import_paths(self, paths: Iterable[Path]) -> list[FileReport]:
        try:
            return [self.import_file(path, etype) for path, etype in expand(paths, self.schema)]
        finally:
            self.close()

    def close(self) -> None:
        """Stop the validation process, if one was started."""
        if self._validation is not None:
            self._validation.close()
            self._validation = None

    def import_file(self, path: Path, etype: EntityType) -> FileReport:
        sha = file_sha256(path)
        report = FileReport(path=path, template=etype.template, sha256=sha,
                            batch_id=f"{etype.template}-{sha[:16]}")
        if not self.force and self.ledger.completed_batch(sha):
            report.status = "skipped"
            return report
        report.report_dir = self.report_root / report.batch_id
        report.report_dir.mkdir(parents=True, exist_ok=True)
        self.ledger.begin(report)
        started = time.monotonic()
        try:
            self._run(path, etype, report)
            report.status = "done"
        except FileProblem as exc:
            report.status, report.error = "failed", str(exc)
        except BaseException as exc:
            report.status, report.error = "failed", f"{type(exc).__name__}: {exc}"
            report.seconds = time.monotonic() - started
            self.ledger.finish(report)
            raise
        report.seconds = time.monotonic() - started
        self.ledger.finish(report)
        return report

    # -- the pipeline ------------------------------------------------------------------
    def _validated(self, path: Path, etype: EntityType, report: FileReport) -> Iterator[Validated]:
        running = self._validation is not None and self._validation.alive
        if not running and (self.process_from_bytes is None
                            or path.stat().st_size < self.process_from_bytes):
            return validated_batches(path, etype, self.parser, report.batch_id, self.batch_size)
        if not running:
            self._validation = ValidationProcess(self.schema)
        return self._validation.batches(path, etype, report.batch_id, self.batch_size)

    def _batches(self, parts: Iterator[Validated], etype: EntityType, report: FileReport,
                 sink: "_RejectionSink") -> Iterator[list[ValidRow]]:
        """The batches to write; validation's rejections go to the report on the way."""
        if not etype.self_referencing:
            for part in parts:
                report.rows_read = part.rows_read
                sink.add(part.rejections)
                if part.rows:
                    yield part.rows
            return
        rows: list[ValidRow] = []
        for part in parts:
            report.rows_read = part.rows_read
            sink.add(part.rejections)
            rows.extend(part.rows)
        rows = self._tree_order(rows, etype, report.path.name, sink)
        for start in range(0, len(rows), self.batch_size):
            yield rows[start:start + self.batch_size]

    def _run(self, path: Path, etype: EntityType, report: FileReport) -> None:
        writer = BatchWriter(self.client, etype, path.name)
        progress = Progress(f"导入 {path.name}", count_rows(path)) if self.show_progress else None
        with (_RejectionSink(report, self.ledger) as sink, ThreadPoolExecutor(1) as pool,
              closing(self._validated(path, etype, report)) as parts):
            in_flight: list[tuple[Future, int]] = []
            for batch in self._batches(parts, etype, report, sink):
                in_flight.append((pool.submit(writer.write, batch), len(batch)))
                if len(in_flight) > 2:
                    self._collect(*in_flight.pop(0), report, sink, progress)
            for future, size in in_flight:
                self._collect(future, size, report, sink, progress)
        if progress:
            progress.done = report.rows_read
            progress.close()

    def _collect(self, future: Future, size: int, report: FileReport, sink: "_RejectionSink",
                 progress: Progress | None) -> None:
        result: BatchResult = future.result()
        report.written += size - len(result.rejections)
        sink.add(result.rejections)
        sink.add_duplicates(result.duplicates)
        if progress:
            progress.done = report.rows_read
            progress.advance(0)

    def _tree_order(self, rows: list[ValidRow], etype: EntityType, file_name: str,
                    sink: "_RejectionSink") -> list[ValidRow]:
        """Rows of a self-referencing file (an organisation tree) parents first; rows in
        a reference cycle are rejected."""
        own = [f for f in etype.refs if etype.label in f.to]
        by_key = {r.key: r for r in rows}
        placed: set[str] = set()
        ordered: list[ValidRow] = []
        remaining = rows
        while remaining:
            later = []
            for r in remaining:
                parents = {r.refs[f.name] for f in own} - {None, r.key}
                if all(p in placed or p not in by_key for p in parents):
                    ordered.append(r)
                    placed.add(r.key)
                else:
                    later.append(r)
            if len(later) == len(remaining):
                sink.add([Rejection(file_name, r.number, own[0].name, r.refs[own[0].name] or "",
                                    "上级引用形成循环") for r in later])
                break
            remaining = later
        return ordered


class _RejectionSink:
    """Rejections and likely duplicates go to CSV files beside the batch and to the
    ledger, in chunks, so memory stays flat however many rows are bad."""

    def __init__(self, report: FileReport, ledger: Ledger, chunk: int = 500):
        self.report, self.ledger, self.chunk = report, ledger, chunk
        self.pending: list[Rejection] = []
        self.pending_dupes: list[dict] = []
        self.rejected_rows: set[int] = set()

    def __enter__(self):
        d = self.report.report_dir
        self._rej_fh = open(d / "rejections.csv", "w", newline="", encoding="utf-8-sig")
        self._rej = csv.writer(self._rej_fh)
        self._rej.writerow(["文件", "行号", "字段", "值", "原因"])
        self._dup_fh = open(d / "duplicates.csv", "w", newline="", encoding="utf-8-sig")
        self._dup = csv.writer(self._dup_fh)
        self._dup.writerow(["行号", "公民身份号码", "疑似重复的公民身份号码", "姓名", "出生日期"])
        return self

    def add(self, rejections: list[Rejection]) -> None:
        for r in rejections:
            self._rej.writerow([r.file, r.row, r.field, r.value, r.reason])
            if r.row not in self.rejected_rows:
                self.rejected_rows.add(r.row)
                self.report.rejected += 1
        self.pending.extend(rejections)
        if len(self.pending) >= self.chunk:
            self._flush()

    def add_duplicates(self, duplicates: list[dict]) -> None:
        for d in duplicates:
            self._dup.writerow([d["row"], d["id"], d["other_id"], d["name"], d["birth_date"]])
        self.report.duplicates += len(duplicates)
        self.pending_dupes.extend(duplicates)
        if len(self.pending_dupes) >= self.chunk:
            self._flush()

    def _flush(self) -> None:
        if self.pending:
            self.ledger.add_rejections(self.report.batch_id, self.pending)
            self.pending = []
        if self.pending_dupes:
            self.ledger.add_duplicates(self.report.batch_id, self.pending_dupes)
            self.pending_dupes = []

    def __exit__(self, *exc) -> None:
        self._flush()
        self._rej_fh.close()
        self._dup_fh.close()
