// name: detectors/kin_edges
// purpose: The base kinship edges (spouse, parent/child, sibling) touching the given persons, ids and dates only: one step of the cheap kinship screen that finds which cadres are statutory relatives of each other (the exact relation is then read with kinship/family_edges).
// params: ids (list of person ids)
// returns: src, dst (the edge's own direction), type, start_date, end_date
UNWIND $ids AS pid
MATCH (a:Person {id: pid})-[r:SPOUSE_OF|PARENT_OF|SIBLING_OF]-(:Person)
RETURN startNode(r).id AS src, endNode(r).id AS dst, type(r) AS type,
       r.start_date AS start_date, r.end_date AS end_date
