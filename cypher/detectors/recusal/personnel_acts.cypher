// name: detectors/recusal/personnel_acts
// purpose: Personnel matters (promotion, appointment, ...) between two dates that a person took part in, with the person each matter was about: the acts whose beneficiary the recusal rule checks.
// params: matters (list of personnel matters), since (date), as_of (date), scope (list of person ids, or null for all)
// returns: person_id, role, day, post_id, act_source, beneficiary_id
MATCH (x:Person)-[d:DECIDED_ON]->(s:Person)
WHERE d.matter IN $matters AND d.date >= $since AND d.date <= $as_of
  AND ($scope IS NULL OR x.id IN $scope)
RETURN x.id AS person_id, d.matter AS role, d.date AS day, d.post AS post_id,
       d._source AS act_source, s.id AS beneficiary_id
