// name: ui/all_orgs
// purpose: Every organisation with its name and parent, for scope resolution of an unrestricted user and for organisation pickers.
// params: (none)
// returns: id, name, parent
MATCH (o:Organization)
OPTIONAL MATCH (o)-[:SUBORDINATE_TO]->(p:Organization)
RETURN o.id AS id, o.name AS name, p.id AS parent
ORDER BY id
