// name: detectors/recusal/actors
// purpose: Everyone who acted (ACTED_ON a project or payment in the listed roles, approved a payment, or took part in a personnel matter of the listed kinds) between two dates: the persons whose families the recusal rule reads.
// params: roles (list of act roles), matters (list of personnel matters), approvals (bool: count APPROVED_BY on payments), since (date), as_of (date), scope (list of person ids, or null for all)
// returns: id
CALL {
  MATCH (x:Person)-[a:ACTED_ON]->()
  WHERE a.role IN $roles AND a.date >= $since AND a.date <= $as_of
  RETURN DISTINCT x.id AS id
  UNION
  MATCH (t:Payment)-[:APPROVED_BY]->(x:Person)
  WHERE $approvals AND t.date >= $since AND t.date <= $as_of
  RETURN DISTINCT x.id AS id
  UNION
  MATCH (x:Person)-[d:DECIDED_ON]->()
  WHERE d.matter IN $matters AND d.date >= $since AND d.date <= $as_of
  RETURN DISTINCT x.id AS id
}
WITH id
WHERE $scope IS NULL OR id IN $scope
RETURN id
