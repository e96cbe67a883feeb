// name: postrisk/petitions_among
// purpose: Some petitions (by id, or all those about some persons) received in the look-back window, as postrisk/petitions returns them: for rescoring only the posts an import touched.
// params: ids (list of petition ids), persons (list of person ids), since (date), as_of (date)
// returns: petition_id, person_id, received, outcome
UNWIND $ids AS id
MATCH (pet:Petition {id: id})-[:ABOUT]->(p:Person)
WHERE pet.received >= $since AND pet.received <= $as_of
RETURN pet.id AS petition_id, p.id AS person_id, pet.received AS received,
       pet.outcome AS outcome
UNION
UNWIND $persons AS pid
MATCH (p:Person {id: pid})<-[:ABOUT]-(pet:Petition)
WHERE pet.received >= $since AND pet.received <= $as_of
RETURN pet.id AS petition_id, p.id AS person_id, pet.received AS received,
       pet.outcome AS outcome
