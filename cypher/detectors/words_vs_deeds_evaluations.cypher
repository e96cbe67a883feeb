// name: detectors/words_vs_deeds_evaluations
// purpose: The annual grades and democratic scores of the given persons from a first year on (the "words" side of words vs deeds).
// params: ids (list of person ids), first_year (int), last_year (int)
// returns: person_id, person_name, person_source, eval_id, year, kind, grade, score, source
UNWIND $ids AS pid
MATCH (p:Person {id: pid})<-[:EVALUATES]-(e:Evaluation)
WHERE e.year >= $first_year AND e.year <= $last_year
RETURN p.id AS person_id, p.name AS person_name, p._source AS person_source, e.id AS eval_id,
       e.year AS year, e.kind AS kind, e.grade AS grade, e.score AS score, e._source AS source
ORDER BY person_id, year, kind
