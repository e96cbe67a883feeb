// name: kinship/skeleton_holds
// purpose: Every post holding (HOLDS) as one string "person_id post_id start end" (ISO dates, '-' when absent), collected into one row: who holds a post when, kept with the in-memory kinship skeleton (riskgraph.kin_skeleton) for the pair screen of post avoidance.
// params: (none)
// returns: links (list of strings "person_id post_id start end")
MATCH (p:Person)-[h:HOLDS]->(q:Post)
RETURN collect(p.id + ' ' + q.id + ' ' + coalesce(toString(h.start_date), '-') + ' ' +
               coalesce(toString(h.end_date), '-')) AS links
