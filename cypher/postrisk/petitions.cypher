// name: postrisk/petitions
// purpose: Petitions received in the look-back window, with the person they are about.
// params: since (date), as_of (date)
// returns: petition_id, person_id, received, outcome
MATCH (pet:Petition)-[:ABOUT]->(p:Person)
WHERE pet.received >= $since AND pet.received <= $as_of
RETURN pet.id AS petition_id, p.id AS person_id, pet.received AS received,
       pet.outcome AS outcome
ORDER BY petition_id
