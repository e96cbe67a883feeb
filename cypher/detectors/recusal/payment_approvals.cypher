// name: detectors/recusal/payment_approvals
// purpose: Payments between two dates to the given payees (companies or persons), with the person recorded as their approver (APPROVED_BY): approvals whose beneficiary the recusal rule checks.
// params: companies (list of company ids), persons (list of person ids), since (date), as_of (date), scope (list of person ids, or null for all)
// returns: person_id, role, day, post_id, act_source, target_id, beneficiary_id, beneficiary_is_company, link_source
CALL {
  UNWIND $companies AS wid
  MATCH (w:Company {id: wid})<-[pt:PAID_TO]-(t:Payment)
  RETURN w, pt, t
  UNION
  UNWIND $persons AS wid
  MATCH (w:Person {id: wid})<-[pt:PAID_TO]-(t:Payment)
  RETURN w, pt, t
}
MATCH (t)-[a:APPROVED_BY]->(x:Person)
WHERE t.date >= $since AND t.date <= $as_of AND ($scope IS NULL OR x.id IN $scope)
RETURN x.id AS person_id, 'approve' AS role, t.date AS day, null AS post_id,
       a._source AS act_source, t.id AS target_id, w.id AS beneficiary_id,
       w:Company AS beneficiary_is_company, pt._source AS link_source
