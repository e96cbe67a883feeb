// name: incremental/kin_cadres
// purpose: The cadres among the given persons and their relatives within five base kinship edges (spouse, parent/child, sibling: every statutory relative, kinship.MAX_EDGE_HOPS): who a change to those persons may concern.
// params: ids (list of person ids)
// returns: id (cadre id)
UNWIND $ids AS pid
MATCH (p:Person {id: pid})-[:SPOUSE_OF|PARENT_OF|SIBLING_OF*0..5]-(c:Person)
WHERE c:Cadre
RETURN DISTINCT c.id AS id
