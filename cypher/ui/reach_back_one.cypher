// name: ui/reach_back_one
// purpose: ui/reach_back for the given nodes of one label (a label ui/reach_back has no branch for).
// params: ids (list of ids), types (list of relationship types), max_degree (int), from_hubs (bool), with_near (bool), only_cadres (bool)
// returns: id, open (bool), near (list of [neighbour id, neighbour labels]; [null, null] when none)
// template: Label
UNWIND $ids AS nid
MATCH (n:__Label__ {id: nid})
WITH n, COUNT { (n)-[x]-() WHERE type(x) IN $types } <= $max_degree AS open
OPTIONAL MATCH (n)-[r]-(m)
WHERE (open OR $from_hubs) AND type(r) IN $types AND $with_near AND (NOT $only_cadres OR m:Cadre)
RETURN n.id AS id, open, collect([m.id, labels(m)]) AS near
