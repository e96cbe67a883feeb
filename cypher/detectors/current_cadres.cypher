// name: detectors/current_cadres
// purpose: Ids of the persons holding a post on the given day (the seeds of the kinship screen for post avoidance).
// params: as_of (date)
// returns: id
MATCH (p:Person)-[h:HOLDS]->(:Post)
WHERE h.start_date <= $as_of AND (h.end_date IS NULL OR h.end_date > $as_of)
RETURN DISTINCT p.id AS id
