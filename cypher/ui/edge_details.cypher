// name: ui/edge_details
// purpose: The direction, dates and source rows of the relationships of given types between given pairs of nodes, for the edges of the paths a path search found; each pair is looked up from the node the search expanded (one label; never a hub), so the other end may be a node with many relationships.
// params: edges (list of maps: node (id of the expanded node), other (id), type)
// returns: src, type, dst, start_date, end_date, source
// template: Label
UNWIND $edges AS e
WITH e.node AS nid, e.other AS oid, e.type AS rel
MATCH (n:__Label__ {id: nid})-[r]-(m)
WHERE m.id = oid AND type(r) = rel
RETURN startNode(r).id AS src, type(r) AS type, endNode(r).id AS dst,
       coalesce(r.start_date, r.date) AS start_date, r.end_date AS end_date, r._source AS source
