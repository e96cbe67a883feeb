// name: detectors/kin_links_all
// purpose: Every base kinship edge (spouse, parent/child, sibling) of the graph as the two person ids joined by a space, collected into one row: the cheapest form to transfer (no dates, no types, one string per edge; ids never contain spaces), enough to split the persons into connected families for the kinship screen of a full post-avoidance sweep. The edges of the few families that matter are then read with dates (detectors/kin_edges).
// params: (none)
// returns: links (list of strings "src_id dst_id")
MATCH (a:Person)-[:SPOUSE_OF|PARENT_OF|SIBLING_OF]->(b:Person)
RETURN collect(a.id + ' ' + b.id) AS links
