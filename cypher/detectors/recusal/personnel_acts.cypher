// name: detectors/recusal/personnel_acts
// purpose: Personnel matters (promotion, appointment, ...) between two dates about the given persons, with who took part: the acts whose beneficiary the recusal rule checks.
// params: ids (list of person ids), matters (list of personnel matters), since (date), as_of (date), scope (list of person ids, or null for all)
// returns: person_id, role, day, post_id, act_source, beneficiary_id
UNWIND $ids AS sid
MATCH (s:Person {id: sid})<-[d:DECIDED_ON]-(x:Person)
WHERE d.matter IN $matters AND d.date >= $since AND d.date <= $as_of
  AND ($scope IS NULL OR x.id IN $scope)
RETURN x.id AS person_id, d.matter AS role, d.date AS day, d.post AS post_id,
       d._source AS act_source, s.id AS beneficiary_id
