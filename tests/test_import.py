"""Importing files into the real embedded database."""

from __future__ import annotations

import csv
import shutil

import pytest
import sqlalchemy as sa

from conftest import FIXTURES, graph_counts
from riskgraph.ingest.ledger import StoreLedger
from riskgraph.ingest.readers import FileProblem
from riskgraph.ingest.runner import Importer
from riskgraph.store import ImportBatch, ImportDuplicate, ImportRejection, session_scope

pytestmark = pytest.mark.integration
SMALL = FIXTURES / "import_small"


def importer(graph, store, tmp_path, **kw):
    return Importer(graph, StoreLedger(store, "tester"), graph.schema, tmp_path / "reports",
                    show_progress=False, **kw)


def snapshot(graph) -> list:
    """Every node and edge with its properties, to compare whole graph states."""
    def work(tx):
        nodes = tx.run("MATCH (n) RETURN labels(n) AS l, properties(n) AS p").data()
        edges = tx.run("MATCH (a)-[e]->(b) RETURN a.id AS a, type(e) AS t, b.id AS b, "
                       "properties(e) AS p").data()
        return nodes, edges
    nodes, edges = graph.read_tx(work)
    norm = lambda rows: sorted(repr(sorted((k, repr(v)) for k, v in r.items())) for r in rows)
    return [norm(nodes), norm(edges)]


EXPECTED = {
    "Region": 4, "Organization": 4, "Post": 4, "Person": 8, "Cadre": 3, "Company": 3,
    "Project": 2, "Payment": 3, "Declaration": 1, "DeclarationItem": 2, "RealEstate": 1,
    "Trip": 1, "Petition": 1, "Evaluation": 2, "OversightFinding": 1,
    "PART_OF": 3, "SUBORDINATE_TO": 3, "JURISDICTION": 4, "IN_ORG": 4, "REPORTS_TO": 3,
    "GREW_UP_IN": 5, "MANAGED_BY": 3, "REGISTERED_IN": 3, "OWNED_BY": 2, "LOCATED_IN": 2,
    "AWARDED_TO": 2, "PAID_BY": 3, "PAID_TO": 3, "FOR_PROJECT": 1, "APPROVED_BY": 1,
    "DECLARED_BY": 1, "ITEM_OF": 2, "CONCERNS": 2, "CONCERNS_COMPANY": 0, "HELD_BY": 1,
    "TRAVELLED": 1, "ABOUT": 1, "EVALUATES": 2, "CONCERNS_PERSON": 1,
    "SPOUSE_OF": 2, "PARENT_OF": 2, "SIBLING_OF": 1, "HOLDS": 4, "OWNS": 3, "DIRECTOR_OF": 1,
    "NOMINEE_FOR": 1, "EMPLOYED_BY": 2, "BID_ON": 2, "ACTED_ON": 2, "DECIDED_ON": 1,
}


def test_every_template_imports(graph, store, tmp_path):
    templates = {t.template for t in graph.schema.types}
    files = {p.name.split(".")[0] for p in SMALL.iterdir()}
    assert templates <= files, f"fixture lacks templates {templates - files}"
    reports = importer(graph, store, tmp_path).import_paths([SMALL])
    assert [r.status for r in reports] == ["done"] * len(reports)
    assert sum(r.rejected for r in reports) == 0
    assert graph_counts(graph) == EXPECTED
    # Typed values, provenance, extra label, polymorphic references.
    (zhang,) = graph.read_tx(lambda tx: tx.run(
        "MATCH (p:Cadre {id: '330122197003050110'})-[:HOLDS]->(post:Post)-[:IN_ORG]->(o) "
        "RETURN p.birth_date AS b, p.party_member AS pm, p._source AS s, p._batch AS batch, "
        "o.regulates AS reg").data())
    assert zhang["b"].iso_format() == "1970-03-05" and zhang["pm"] is True
    assert zhang["s"] == "cadres.csv:2" and zhang["batch"].startswith("cadres-")
    assert zhang["reg"] == ["E", "K"]
    payees = graph.read_tx(lambda tx: tx.run(
        "MATCH (p:Payment)-[:PAID_TO]->(x) RETURN p.id AS id, labels(x) AS l ORDER BY id").data())
    assert [r["l"] for r in payees] == [["Company"], ["Company"], ["Person"]]
    # Every node and edge records its source and batch.
    missing = graph.read_tx(lambda tx: tx.run(
        "MATCH (n) WHERE n._batch IS NULL RETURN count(n) AS c").single()["c"])
    assert missing == 0
    missing_edges = graph.read_tx(lambda tx: tx.run(
        "MATCH ()-[e]->() WHERE e._batch IS NULL OR e._source IS NULL RETURN count(e) AS c").single()["c"])
    assert missing_edges == 0
    with session_scope(store) as s:
        batches = s.scalars(sa.select(ImportBatch)).all()
        assert len(batches) == len(reports) and {b.status for b in batches} == {"done"}
        (dupe,) = s.scalars(sa.select(ImportDuplicate)).all()
        assert {dupe.person_id, dupe.other_id} == {"330122198001010718", "330110198001010819"}


def test_reimport_changes_nothing(graph, store, tmp_path):
    importer(graph, store, tmp_path).import_paths([SMALL])
    before = snapshot(graph)
    again = importer(graph, store, tmp_path).import_paths([SMALL])
    assert {r.status for r in again} == {"skipped"}
    forced = importer(graph, store, tmp_path, force=True).import_paths([SMALL])
    assert {r.status for r in forced} == {"done"}
    assert snapshot(graph) == before


def test_xlsx_import_matches_csv(graph, store, tmp_path):
    from openpyxl import Workbook

    src = tmp_path / "src"
    shutil.copytree(SMALL, src)
    for name in ("organizations.csv", "posts.csv"):
        book = Workbook()
        sheet = book.active
        with open(src / name, encoding="utf-8") as fh:
            for row in csv.reader(fh):
                sheet.append(row)
        book.save(src / name.replace(".csv", ".xlsx"))
        (src / name).unlink()
    importer(graph, store, tmp_path).import_paths([src])
    assert graph_counts(graph) == EXPECTED


def test_unknown_references_are_rejected_with_row_and_field(graph, store, tmp_path):
    importer(graph, store, tmp_path).import_paths(
        [SMALL / "regions.csv", SMALL / "organizations.csv"])
    bad = tmp_path / "posts.csv"
    bad.write_text("id,name,org,rank,category,is_head,in_leadership,reports_to\n"
                   "P1,局长,TL-GOV,section,leadership,true,true,\n"
                   "P2,科长,NO-SUCH-ORG,staff,general,false,false,P1\n"
                   "P3,科员,TL-GOV,staff,general,false,false,P2\n", encoding="utf-8")
    (report,) = importer(graph, store, tmp_path).import_paths([bad])
    assert (report.status, report.rows_read, report.written, report.rejected) == ("done", 3, 1, 2)
    with session_scope(store) as s:
        rows = {(r.row, r.field): r.reason for r in s.scalars(sa.select(ImportRejection))}
    assert rows[(3, "org")] == "所属单位编码：NO-SUCH-ORG不存在（应先导入Organization）"
    assert "P2不存在" in rows[(4, "reports_to")]   # its parent row was rejected in turn
    lines = (report.report_dir / "rejections.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[1].startswith("posts.csv,3,org,NO-SUCH-ORG,")
    assert graph.read("graph/count_label", Label="Post")[0]["count"] == 1


def test_bad_file_fails_without_writing(graph, store, tmp_path):
    bad = tmp_path / "regions.csv"
    bad.write_text("id,name,level,bogus\n330122,桐庐县,county,x\n", encoding="utf-8")
    (report,) = importer(graph, store, tmp_path).import_paths([bad])
    assert report.status == "failed" and "bogus" in report.error
    assert graph.read("graph/count_label", Label="Region")[0]["count"] == 0
    with pytest.raises(FileProblem, match="不对应任何导入模板"):
        importer(graph, store, tmp_path).import_paths([tmp_path / "regions.csv", _touch(tmp_path / "x.csv")])


def _touch(path):
    path.write_text("a\n", encoding="utf-8")
    return path


def test_corrected_reimport_replaces_values_and_references(graph, store, tmp_path):
    importer(graph, store, tmp_path).import_paths(
        [SMALL / "regions.csv", SMALL / "organizations.csv", SMALL / "posts.csv"])
    fixed = tmp_path / "posts-fix.csv"
    fixed.write_text("id,name,org,rank,category,is_head,in_leadership,reports_to,power_domains\n"
                     "TL-HOUSING-FIN,财务科科长,TL-FIN,vice_section,finance,false,false,,\n",
                     encoding="utf-8")
    importer(graph, store, tmp_path).import_paths([fixed])
    (post,) = graph.read_tx(lambda tx: tx.run(
        "MATCH (p:Post {id: 'TL-HOUSING-FIN'}) OPTIONAL MATCH (p)-[:REPORTS_TO]->(b) "
        "MATCH (p)-[:IN_ORG]->(o) RETURN o.id AS org, count(b) AS bosses, "
        "p.power_domains AS pd").data())
    assert post == {"org": "TL-FIN", "bosses": 0, "pd": None}


def test_written_templates_are_accepted_by_the_importer(graph, store, tmp_path):
    from riskgraph.ingest.templates import write_templates

    for chinese in (True, False):
        out = tmp_path / ("zh" if chinese else "en")
        written = write_templates(out, graph.schema, chinese_headers=chinese)
        assert len(written) == len(graph.schema.types) + 1
        reports = importer(graph, store, tmp_path).import_paths([out])
        assert len(reports) == len(graph.schema.types)
        assert all(r.status in ("done", "skipped") and r.rows_read == 0 for r in reports)
    doc = (tmp_path / "zh" / "README.md").read_text(encoding="utf-8")
    assert "| id | 公民身份号码 | 是 | 18位公民身份号码（GB 11643校验） |" in doc


def test_unknown_edge_endpoint_is_rejected_and_the_rest_of_the_batch_written(graph, store, tmp_path):
    """Edge batches are written trusting their references and verified by the MERGE
    count; a short count rolls back and rewrites the batch with checks that name the row."""
    from riskgraph.idcodes import resident_id_check_char

    importer(graph, store, tmp_path).import_paths(
        [p for p in SMALL.iterdir() if not p.name.startswith("spouses")])
    body = "33012219800101999"
    stranger = body + resident_id_check_char(body)
    lines = (SMALL / "spouses.csv").read_text(encoding="utf-8").splitlines()
    spouses = tmp_path / "spouses.csv"
    spouses.write_text("\n".join([lines[0], lines[1], f"{stranger},330122197208180226,2001-01-01,",
                                  *lines[2:]]) + "\n", encoding="utf-8")
    (report,) = importer(graph, store, tmp_path).import_paths([spouses])
    assert (report.status, report.written, report.rejected) == ("done", len(lines) - 1, 1)
    with session_scope(store) as s:
        (rejection,) = s.scalars(sa.select(ImportRejection).where(
            ImportRejection.batch_id == report.batch_id))
    assert (rejection.row, rejection.field) == (3, "person")
    assert rejection.reason == f"本人身份证号：{stranger}不存在（应先导入Person）"
    assert graph.read("graph/count_type", TYPE="SPOUSE_OF")[0]["count"] == len(lines) - 1


def test_likely_duplicates_are_reported_once_per_pair_with_their_row(graph, store, tmp_path):
    """Same name and birth date under different ID numbers: across files, across batches
    and within one batch, each pair is reported once and nothing is merged."""
    from riskgraph.idcodes import resident_id_check_char

    def pid(seq):
        body = f"33012219850203{seq:03d}"
        return body + resident_id_check_char(body)

    head = "id,name,gender,birth_date\n"
    first = tmp_path / "persons-a.csv"
    first.write_text(head + f"{pid(11)},陈明,M,1985-02-03\n{pid(21)},李华,F,1985-02-03\n",
                     encoding="utf-8")
    second = tmp_path / "persons-b.csv"
    second.write_text(head + f"{pid(31)},王芳,F,1985-02-03\n"      # batch 1, row 2: no twin
                      f"{pid(13)},陈明,M,1985-02-03\n"             # row 3: twin of a.csv row 2
                      f"{pid(41)},赵强,M,1985-02-03\n"             # batch 2, rows 4 and 5:
                      f"{pid(43)},赵强,M,1985-02-03\n"             # twins in one batch
                      f"{pid(15)},陈明,M,1985-02-03\n", encoding="utf-8")  # batch 3: two twins
    reports = importer(graph, store, tmp_path, batch_size=2).import_paths([first, second])
    assert [r.duplicates for r in reports] == [0, 4]
    with session_scope(store) as s:
        found = {frozenset((d.person_id, d.other_id)): d.row
                 for d in s.scalars(sa.select(ImportDuplicate))}
    assert set(found) == {frozenset(p) for p in [(pid(11), pid(13)), (pid(11), pid(15)),
                                                   (pid(13), pid(15)), (pid(41), pid(43))]}
    assert found[frozenset((pid(11), pid(13)))] == 3
    assert found[frozenset((pid(11), pid(15)))] == found[frozenset((pid(13), pid(15)))] == 6
    assert found[frozenset((pid(41), pid(43)))] in (4, 5)
    assert graph.read("graph/count_label", Label="Person")[0]["count"] == 7


def test_reference_to_several_labels_resolves_by_key_format_and_rejects_unknown_keys(graph, store, tmp_path):
    """An owner is a person or a company: a resident ID number can only be a Person key
    and a credit code only a Company key, so each is written to its label (verified by
    the write), and one that is in neither is rejected with the row and both labels."""
    from riskgraph.idcodes import resident_id_check_char

    importer(graph, store, tmp_path).import_paths(
        [p for p in SMALL.iterdir() if not p.name.startswith("ownerships")])
    body = "33012219800101999"
    stranger = body + resident_id_check_char(body)
    lines = (SMALL / "ownerships.csv").read_text(encoding="utf-8").splitlines()
    owners = tmp_path / "ownerships.csv"
    owners.write_text("\n".join([*lines, f"{stranger},91330122MA28ABC01D,5,10,2020-01-01,"]) + "\n",
                      encoding="utf-8")
    (report,) = importer(graph, store, tmp_path).import_paths([owners])
    assert (report.status, report.written, report.rejected) == ("done", 3, 1)
    with session_scope(store) as s:
        (rejection,) = s.scalars(sa.select(ImportRejection).where(
            ImportRejection.batch_id == report.batch_id))
    assert (rejection.row, rejection.field) == (5, "owner")
    assert rejection.reason == f"股东编码：{stranger}不存在（应先导入Person或Company）"
    owned = graph.read_tx(lambda tx: tx.run(
        "MATCH (o)-[e:OWNS]->(c:Company) RETURN o.id AS owner, labels(o) AS l ORDER BY owner").data())
    assert [(r["owner"], "Company" in r["l"]) for r in owned] == [
        ("330122197702020623", False), ("330122199801010315", False), ("91330122MA28ABC03K", True)]
