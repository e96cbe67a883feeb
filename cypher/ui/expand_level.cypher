// name: ui/expand_level
// purpose: One breadth-first level of a path search in one round trip: ui/expand for frontier nodes of every label at once (one id list per label, empty lists for the others). Labels without a branch here are expanded by ui/expand.
// params: Person, Company, Organization, Post, Project, Payment, Declaration, DeclarationItem, RealEstate, Trip, Petition, Evaluation, OversightFinding, Region (lists of ids), types (list of relationship types), since (date), until (date), max_degree (int)
// returns: node (id), steps (list of [neighbour id, neighbour labels, relationship type, outgoing (bool), start date, end date, source])
CALL {
  UNWIND $Person AS nid MATCH (n:Person {id: nid}) RETURN n
  UNION ALL
  UNWIND $Company AS nid MATCH (n:Company {id: nid}) RETURN n
  UNION ALL
  UNWIND $Organization AS nid MATCH (n:Organization {id: nid}) RETURN n
  UNION ALL
  UNWIND $Post AS nid MATCH (n:Post {id: nid}) RETURN n
  UNION ALL
  UNWIND $Project AS nid MATCH (n:Project {id: nid}) RETURN n
  UNION ALL
  UNWIND $Payment AS nid MATCH (n:Payment {id: nid}) RETURN n
  UNION ALL
  UNWIND $Declaration AS nid MATCH (n:Declaration {id: nid}) RETURN n
  UNION ALL
  UNWIND $DeclarationItem AS nid MATCH (n:DeclarationItem {id: nid}) RETURN n
  UNION ALL
  UNWIND $RealEstate AS nid MATCH (n:RealEstate {id: nid}) RETURN n
  UNION ALL
  UNWIND $Trip AS nid MATCH (n:Trip {id: nid}) RETURN n
  UNION ALL
  UNWIND $Petition AS nid MATCH (n:Petition {id: nid}) RETURN n
  UNION ALL
  UNWIND $Evaluation AS nid MATCH (n:Evaluation {id: nid}) RETURN n
  UNION ALL
  UNWIND $OversightFinding AS nid MATCH (n:OversightFinding {id: nid}) RETURN n
  UNION ALL
  UNWIND $Region AS nid MATCH (n:Region {id: nid}) RETURN n
}
WITH n
WHERE COUNT { (n)-[x]-() WHERE type(x) IN $types } <= $max_degree
MATCH (n)-[r]-(m)
WHERE type(r) IN $types
  AND coalesce(r.start_date, r.date, $until) <= $until
  AND coalesce(r.end_date, $since) >= $since
RETURN n.id AS node,
       collect([m.id, labels(m), type(r), startNode(r) = n, coalesce(r.start_date, r.date),
                r.end_date, r._source]) AS steps
