// name: ui/cadre_posts
// purpose: The posts a cadre held over time, with their organisation.
// params: id (person id)
// returns: post_id, post_name, rank, category, org_id, org_name, start_date, end_date, source
MATCH (c:Person {id: $id})-[h:HOLDS]->(p:Post)
OPTIONAL MATCH (p)-[:IN_ORG]->(o:Organization)
RETURN p.id AS post_id, p.name AS post_name, p.rank AS rank, p.category AS category,
       o.id AS org_id, o.name AS org_name, h.start_date AS start_date,
       h.end_date AS end_date, h._source AS source
ORDER BY start_date
