// name: detectors/current_cadres
// purpose: Ids of the persons holding a post on the given day (the seeds of the kinship screen for post avoidance), collected into one row (tens of thousands of ids: one Bolt record instead of one each).
// params: as_of (date)
// returns: ids (list of person ids)
MATCH (p:Person)-[h:HOLDS]->(:Post)
WHERE h.start_date <= $as_of AND (h.end_date IS NULL OR h.end_date > $as_of)
RETURN collect(DISTINCT p.id) AS ids
