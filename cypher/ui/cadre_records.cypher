// name: ui/cadre_records
// purpose: Records about a cadre: petitions (ABOUT), evaluations (EVALUATES), audit and inspection findings (CONCERNS_PERSON), trips abroad (TRAVELLED) and real estate (HELD_BY).
// params: id (person id)
// returns: kind (the record's label), record_id, date, year, category, outcome, grade, score, severity, summary, source
MATCH (c:Person {id: $id})<-[:ABOUT|EVALUATES|CONCERNS_PERSON|TRAVELLED|HELD_BY]-(r)
RETURN labels(r)[0] AS kind, r.id AS record_id,
       coalesce(r.received, r.date, r.departed, r.registered) AS date, r.year AS year,
       coalesce(r.category, r.kind, r.source, r.destination) AS category,
       r.outcome AS outcome, r.grade AS grade, r.score AS score, r.severity AS severity,
       coalesce(r.summary, r.address) AS summary, r._source AS source
