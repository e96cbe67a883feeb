// name: detectors/kin_edges
// purpose: The base kinship edges (spouse, parent/child, sibling) touching the given persons, ids and dates only, collected into one row (far fewer Bolt records: the screen reads tens of thousands of edges): one step of the cheap kinship screen that finds which cadres are statutory relatives of each other (the exact relation is then read with kinship/family_edges).
// params: ids (list of person ids)
// returns: edges (list of [src, dst, type, start_date, end_date], in the edge's own direction)
UNWIND $ids AS pid
MATCH (:Person {id: pid})-[r:SPOUSE_OF|PARENT_OF|SIBLING_OF]-(:Person)
RETURN collect([startNode(r).id, endNode(r).id, type(r), r.start_date, r.end_date]) AS edges
