// name: detectors/kin_edges_all
// purpose: Every base kinship edge (spouse, parent/child, sibling) in the graph, ids and dates only, collected into one row: the kinship screen of a full post-avoidance sweep (reading the whole kin skeleton once is several times cheaper than expanding it hop by hop from every current cadre, who between them reach most of it).
// params: (none)
// returns: edges (list of [src, dst, type, start_date, end_date], in the edge's own direction)
MATCH (a:Person)-[r:SPOUSE_OF|PARENT_OF|SIBLING_OF]->(b:Person)
RETURN collect([a.id, b.id, type(r), r.start_date, r.end_date]) AS edges
