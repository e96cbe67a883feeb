// name: detectors/recusal/payment_approvals
// purpose: Payments between two dates with the person recorded as their approver (APPROVED_BY) and the payee (a company or a person): approvals whose beneficiary the recusal rule checks.
// params: since (date), as_of (date), scope (list of person ids, or null for all)
// returns: person_id, role, day, post_id, act_source, target_id, beneficiary_id, beneficiary_is_company, link_source
MATCH (t:Payment)-[a:APPROVED_BY]->(x:Person)
WHERE t.date >= $since AND t.date <= $as_of AND ($scope IS NULL OR x.id IN $scope)
MATCH (t)-[pt:PAID_TO]->(w)
RETURN x.id AS person_id, 'approve' AS role, t.date AS day, null AS post_id,
       a._source AS act_source, t.id AS target_id, w.id AS beneficiary_id,
       w:Company AS beneficiary_is_company, pt._source AS link_source
