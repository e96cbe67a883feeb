// name: kinship/family_edges
// purpose: The base kinship edges (spouse, parent/child, sibling) touching the given persons, with the other end's particulars; one step of the family extraction behind statutory kinship.
// params: ids (list of person ids)
// returns: src, dst (the edge's own direction), type, start_date, end_date, source (the edge's _source), other, other_name, other_gender, other_birth
UNWIND $ids AS pid
MATCH (a:Person {id: pid})-[r:SPOUSE_OF|PARENT_OF|SIBLING_OF]-(b:Person)
RETURN startNode(r).id AS src, endNode(r).id AS dst, type(r) AS type,
       r.start_date AS start_date, r.end_date AS end_date, r._source AS source,
       b.id AS other, b.name AS other_name, b.gender AS other_gender, b.birth_date AS other_birth
