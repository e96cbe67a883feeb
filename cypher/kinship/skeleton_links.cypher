// name: kinship/skeleton_links
// purpose: Every base kinship edge of one undated type (parent/child or sibling) as the two person ids joined by a space, collected into one row: the cheapest form to transfer (ids never contain spaces), for the in-memory kinship skeleton (riskgraph.kin_skeleton).
// params: (none)
// returns: links (list of strings "src_id dst_id", in the edge's own direction)
// template: TYPE
MATCH (a:Person)-[:__TYPE__]->(b:Person)
RETURN collect(a.id + ' ' + b.id) AS links
