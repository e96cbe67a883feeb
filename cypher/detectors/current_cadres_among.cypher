// name: detectors/current_cadres_among
// purpose: Which of the given persons hold a post on the given day (detectors/current_cadres for the persons near a scoped re-check's cadres, started from them), collected into one row.
// params: ids (list of person ids), as_of (date)
// returns: ids (list of person ids)
UNWIND $ids AS pid
MATCH (p:Person {id: pid})
WHERE EXISTS { MATCH (p)-[h:HOLDS]->(:Post)
               WHERE h.start_date <= $as_of AND (h.end_date IS NULL OR h.end_date > $as_of) }
RETURN collect(p.id) AS ids
