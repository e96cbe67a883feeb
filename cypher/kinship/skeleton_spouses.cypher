// name: kinship/skeleton_spouses
// purpose: Every marriage edge (SPOUSE_OF) as one string "src_id dst_id start end" (ISO dates, '-' when absent), collected into one row: the dated part of the in-memory kinship skeleton (riskgraph.kin_skeleton), without Bolt date structures to decode.
// params: (none)
// returns: links (list of strings "src_id dst_id start end", in the edge's own direction)
MATCH (a:Person)-[r:SPOUSE_OF]->(b:Person)
RETURN collect(a.id + ' ' + b.id + ' ' + coalesce(toString(r.start_date), '-') + ' ' +
               coalesce(toString(r.end_date), '-')) AS links
