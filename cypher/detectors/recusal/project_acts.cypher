// name: detectors/recusal/project_acts
// purpose: Acts (approve, decide, review, ...) of persons between two dates on projects won by the given companies: the acts whose beneficiary the recusal rule checks.
// params: ids (list of company ids), roles (list of act roles), since (date), as_of (date), scope (list of person ids, or null for all)
// returns: person_id, role, day, post_id, act_source, target_id, beneficiary_id, link_source
UNWIND $ids AS wid
MATCH (w:Company {id: wid})<-[aw:AWARDED_TO]-(t:Project)<-[a:ACTED_ON]-(x:Person)
WHERE a.role IN $roles AND a.date >= $since AND a.date <= $as_of
  AND ($scope IS NULL OR x.id IN $scope)
RETURN x.id AS person_id, a.role AS role, a.date AS day, a.post AS post_id,
       a._source AS act_source, t.id AS target_id, w.id AS beneficiary_id,
       aw._source AS link_source
