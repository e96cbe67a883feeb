"""Reading and validating in a validation process: the same graph, reports and errors as
in the importer's own thread, flat parts, and no process left behind."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time

import psutil
import pytest
import sqlalchemy as sa
from conftest import FIXTURES
from test_import import snapshot
from test_import_crash import person_ids

from riskgraph.graph_schema import wipe_graph
from riskgraph.ingest.fields import FieldParser
from riskgraph.ingest.ledger import StoreLedger
from riskgraph.ingest.readers import FileProblem, template_for
from riskgraph.ingest.runner import Importer
from riskgraph.ingest.validation_process import (
    ValidationFailed,
    ValidationProcess,
    _sendable,
    validated_batches,
)
from riskgraph.schema import default_schema
from riskgraph.store import ImportDuplicate, ImportRejection, session_scope

SMALL = FIXTURES / "import_small"
integration = pytest.mark.integration


def importer(graph, store, tmp_path, apart: bool, **kw):
    """An importer validating every file in the validation process, or none."""
    return Importer(graph, StoreLedger(store, "tester"), graph.schema, tmp_path / "reports",
                    show_progress=False, process_from_bytes=0 if apart else None, **kw)


def with_bad_rows(tmp_path):
    """The small fixture set plus rows rejected by validation (bad enumeration, bad ID
    number) and by the writer (unknown reference)."""
    src = tmp_path / "src"
    shutil.copytree(SMALL, src)
    with open(src / "regions.csv", "a", encoding="utf-8") as fh:
        fh.write("330199,某县,galaxy,330100\n")
    with open(src / "persons.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "330122197003050111", "name": "错号", "gender": "M",
                             "birth_date": "1970-03-05"}, ensure_ascii=False) + "\n")
    with open(src / "spouses.csv", "a", encoding="utf-8") as fh:
        fh.write("330122197003050110,11010519491231002X,2001-01-01,\n")
    return src


def outcome(graph, store, reports):
    with session_scope(store) as s:
        rejections = sorted((r.batch_id, r.row, r.field, r.reason) for r in s.scalars(sa.select(ImportRejection)))
        dupes = sorted((d.batch_id, d.row, d.person_id, d.other_id) for d in s.scalars(sa.select(ImportDuplicate)))
    counts = [(r.path.name, r.status, r.rows_read, r.written, r.rejected, r.duplicates) for r in reports]
    return snapshot(graph), counts, rejections, dupes


@integration
@pytest.mark.parametrize("batch_size", [2, 2000])
def test_validation_process_imports_what_the_importer_thread_imports(graph, store, tmp_path, batch_size):
    src = with_bad_rows(tmp_path)
    in_thread = outcome(graph, store, importer(graph, store, tmp_path, False, batch_size=batch_size)
                        .import_paths([src]))
    assert len(in_thread[2]) == 3 and {r[1] for r in in_thread[1]} == {"done"}
    wipe_graph(graph)
    apart = outcome(graph, store, importer(graph, store, tmp_path, True, batch_size=batch_size, force=True)
                    .import_paths([src]))
    assert apart == in_thread


@integration
def test_errors_of_the_validation_process_surface_with_their_message(graph, store, tmp_path):
    bad = tmp_path / "regions.csv"
    bad.write_text("id,name,level,bogus\n330122,桐庐县,county,x\n", encoding="utf-8")
    broken = tmp_path / "persons.jsonl"
    lines = (SMALL / "persons.jsonl").read_text(encoding="utf-8").splitlines()
    broken.write_text("\n".join([*lines[:3], "{not json", *lines[3:]]) + "\n", encoding="utf-8")
    errors, persons = {}, {}
    regions = SMALL / "regions.csv"
    for apart in (False, True):
        wipe_graph(graph)
        imp = importer(graph, store, tmp_path, apart, batch_size=1, force=True)
        files = (regions, bad, broken, regions)   # the process survives a file's error
        reports = [imp.import_file(p, template_for(p, graph.schema)) for p in files]
        imp.close()
        errors[apart] = [(r.status, r.error) for r in reports]
        persons[apart] = graph.read("graph/count_label", Label="Person")[0]["count"]
    assert errors[True] == errors[False]
    assert [e[0] for e in errors[True]] == ["done", "failed", "failed", "done"]
    assert "bogus" in errors[True][1][1] and "第4行" in errors[True][2][1]
    assert persons[True] == persons[False] == 3   # the batches before the broken line


def test_file_problem_and_unpicklable_errors_cross_the_pipe_with_their_message():
    problem = FileProblem(SMALL / "x.csv", "文件为空（没有表头行）", row=3)
    copy = pickle.loads(pickle.dumps(problem))
    assert (type(copy), str(copy), copy.row) == (FileProblem, str(problem), 3)

    class Local(Exception):          # a local class cannot be pickled
        pass

    stand_in = _sendable(Local("出错了"))
    assert type(stand_in) is ValidationFailed and str(stand_in) == "出错了"


def test_parts_stay_within_the_batch_size_however_many_rows_are_bad(tmp_path):
    schema = default_schema()
    path = tmp_path / "regions.csv"
    rows = [f"3301{i:02d},县{i},{'county' if i % 3 == 0 else 'galaxy'},330100" for i in range(10, 70)]
    path.write_text("id,name,level,parent\n" + "\n".join(rows) + "\n", encoding="utf-8")
    parts = list(validated_batches(path, template_for(path, schema), FieldParser(schema), "b", 5))
    assert all(len(p.rows) <= 5 and len(p.rejections) <= 5 for p in parts)
    assert any(not p.rows and p.rejections for p in parts)      # rejection-only parts
    assert [r.key for p in parts for r in p.rows] == [f"3301{i:02d}" for i in range(10, 70) if i % 3 == 0]
    assert sorted(r.row for p in parts for r in p.rejections) == [
        i - 8 for i in range(10, 70) if i % 3]
    assert parts[-1].rows_read == 60


def test_a_file_left_unfinished_stops_the_process(tmp_path):
    schema = default_schema()
    path = tmp_path / "regions.csv"
    path.write_text("id,name,level,parent\n" + "".join(f"3301{i:02d},县{i},county,330100\n"
                                                       for i in range(10, 90)), encoding="utf-8")
    process = ValidationProcess(schema)
    parts = process.batches(path, template_for(path, schema), "b", 1)
    assert next(parts).rows[0].key == "330110"
    parts.close()                     # the importer stopped writing this file
    assert not process.alive and process._process.exitcode is not None


@integration
def test_killed_importer_leaves_no_validation_process(graph, settings, tmp_path):
    path = tmp_path / "persons.csv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("id,name,gender,birth_date\n")
        for pid in dict.fromkeys(person_ids(30_000)):
            fh.write(f"{pid},王伟,{'M' if int(pid[16]) % 2 else 'F'},{pid[6:10]}-{pid[10:12]}-{pid[12:14]}\n")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("RISKGRAPH_")},
           "RISKGRAPH_VAR_DIR": str(settings.var_dir),
           "RISKGRAPH_IMPORT_VALIDATION_PROCESS_FROM_BYTES": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "riskgraph", "import", str(path), "--batch-size", "500"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    importing = psutil.Process(proc.pid)
    count = lambda: graph.read("graph/count_label", Label="Person")[0]["count"]
    deadline = time.monotonic() + 120
    children, validating = [], []
    while time.monotonic() < deadline and proc.poll() is None:
        children = importing.children(recursive=True)
        validating = [c for c in children if "spawn_main" in " ".join(_cmdline(c))]
        if validating and count() >= 1000:
            break
        time.sleep(0.05)
    assert validating, "the import should validate in a process of its own"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    _, alive = psutil.wait_procs(children, timeout=30)
    assert alive == [], f"left behind: {[p.cmdline() for p in alive]}"
    assert 0 < count() < 30_000 and count() % 500 == 0


def _cmdline(process: psutil.Process) -> list[str]:
    try:
        return process.cmdline()
    except psutil.Error:
        return []


@pytest.mark.parametrize("name", ["persons.jsonl", "cadres.csv", "spouses.csv", "ownerships.csv"])
def test_parts_cross_the_pipe_unchanged(name, tmp_path):
    """Parts travel as value tuples under one tuple of names; they arrive equal."""
    schema = default_schema()
    path = with_bad_rows(tmp_path) / name
    parts = list(validated_batches(path, template_for(path, schema), FieldParser(schema), "b", 2))
    assert any(p.rows for p in parts)
    assert [pickle.loads(pickle.dumps(p)) for p in parts] == parts


@integration
def test_a_large_file_starts_the_process_which_then_validates_every_later_file(graph, store, tmp_path):
    files = [SMALL / "regions.csv", SMALL / "organizations.csv", SMALL / "posts.csv"]
    imp = importer(graph, store, tmp_path, True)
    imp.process_from_bytes = (SMALL / "organizations.csv").stat().st_size
    assert (SMALL / "regions.csv").stat().st_size < imp.process_from_bytes
    started = []
    for path in files:
        report = imp.import_file(path, template_for(path, graph.schema))
        assert report.status == "done"
        started.append(imp._validation.pid if imp._validation else None)
    assert started[0] is None and started[1] is not None and started[2] == started[1]
    process = psutil.Process(started[1])
    imp.close()
    assert not process.is_running() or process.status() == psutil.STATUS_ZOMBIE
