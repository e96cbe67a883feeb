// name: import/likely_duplicates
// purpose: Nodes sharing the duplicate key (for persons: name and birth date) of a
//   just-written row under another key: likely one person under two ID numbers.
//   Reported, never merged. Uses the index on _dupkey.
// params: rows (list of maps {id: string, dupkey: string, row: int})
// returns: id, other_id, name, birth_date, row
// template: Label
UNWIND $rows AS r
MATCH (p:__Label__ {_dupkey: r.dupkey})
WHERE p.id <> r.id
RETURN r.id AS id, p.id AS other_id, p.name AS name, p.birth_date AS birth_date, r.row AS row
