// name: ui/reach_back
// purpose: One level of the reverse search that decides whether entities are within a restricted scope's reach (riskgraph.services.link_scope): for the given nodes of every label at once (one id list per label), whether each is open (at most $max_degree relationships of the allowed types, i.e. not a hub) and its neighbours over those types (none for a hub unless $from_hubs, none at all unless $with_near, only Cadre ones when $only_cadres). Labels without a branch here go through ui/reach_back_one.
// params: Person, Company, Organization, Post, Project, Payment, Declaration, DeclarationItem, RealEstate, Trip, Petition, Evaluation, OversightFinding, Region (lists of ids), types (list of relationship types), max_degree (int), from_hubs (bool), with_near (bool), only_cadres (bool)
// returns: id, open (bool), near (list of [neighbour id, neighbour labels]; [null, null] when none)
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
WITH n, COUNT { (n)-[x]-() WHERE type(x) IN $types } <= $max_degree AS open
OPTIONAL MATCH (n)-[r]-(m)
WHERE (open OR $from_hubs) AND type(r) IN $types AND $with_near AND (NOT $only_cadres OR m:Cadre)
RETURN n.id AS id, open, collect([m.id, labels(m)]) AS near
