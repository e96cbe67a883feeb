// name: kinship/persons
// purpose: Name, gender and birth date of the given persons (the seeds of a family extraction).
// params: ids (list of person ids)
// returns: id, name, gender, birth_date, source
UNWIND $ids AS pid
MATCH (p:Person {id: pid})
RETURN p.id AS id, p.name AS name, p.gender AS gender, p.birth_date AS birth_date, p._source AS source
