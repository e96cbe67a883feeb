// name: detectors/recusal/project_acts
// purpose: Acts (approve, decide, review, ...) of persons on projects between two dates, with the project's winner: the acts whose beneficiary the recusal rule checks.
// params: roles (list of act roles), since (date), as_of (date), scope (list of person ids, or null for all)
// returns: person_id, role, day, post_id, act_source, target_id, beneficiary_id, link_source
MATCH (x:Person)-[a:ACTED_ON]->(t:Project)
WHERE a.role IN $roles AND a.date >= $since AND a.date <= $as_of
  AND ($scope IS NULL OR x.id IN $scope)
MATCH (t)-[aw:AWARDED_TO]->(w:Company)
RETURN x.id AS person_id, a.role AS role, a.date AS day, a.post AS post_id,
       a._source AS act_source, t.id AS target_id, w.id AS beneficiary_id,
       aw._source AS link_source
