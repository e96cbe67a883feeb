// name: detectors/recusal/payment_acts
// purpose: Acts (pay, approve, ...) of persons on payments between two dates, with the payee (a company or a person): the acts whose beneficiary the recusal rule checks.
// params: roles (list of act roles), since (date), as_of (date), scope (list of person ids, or null for all)
// returns: person_id, role, day, post_id, act_source, target_id, beneficiary_id, beneficiary_is_company, link_source
MATCH (x:Person)-[a:ACTED_ON]->(t:Payment)
WHERE a.role IN $roles AND a.date >= $since AND a.date <= $as_of
  AND ($scope IS NULL OR x.id IN $scope)
MATCH (t)-[pt:PAID_TO]->(w)
RETURN x.id AS person_id, a.role AS role, a.date AS day, a.post AS post_id,
       a._source AS act_source, t.id AS target_id, w.id AS beneficiary_id,
       w:Company AS beneficiary_is_company, pt._source AS link_source
