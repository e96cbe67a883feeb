// name: detectors/recusal/act_details
// purpose: Names for the evidence of recusal findings: each target (project or payment) with its name and owning or paying organisation, each post with its name and organisation, each company with its particulars.
// params: targets (list of project or payment ids), posts (list of post ids), companies (list of company ids)
// returns: kind, id, name, source, org_id, org_name, address, phone
CALL {
  UNWIND $targets AS tid
  MATCH (t:Project {id: tid})
  OPTIONAL MATCH (t)-[:OWNED_BY]->(o:Organization)
  RETURN 'target' AS kind, t.id AS id, t.name AS name, t._source AS source, o.id AS org_id,
         o.name AS org_name, null AS address, null AS phone
  UNION ALL
  UNWIND $targets AS tid
  MATCH (t:Payment {id: tid})
  OPTIONAL MATCH (t)-[:PAID_BY]->(o:Organization)
  RETURN 'target' AS kind, t.id AS id, t.purpose AS name, t._source AS source, o.id AS org_id,
         o.name AS org_name, null AS address, null AS phone
  UNION ALL
  UNWIND $posts AS sid
  MATCH (s:Post {id: sid})
  OPTIONAL MATCH (s)-[:IN_ORG]->(o:Organization)
  RETURN 'post' AS kind, s.id AS id, s.name AS name, s._source AS source, o.id AS org_id,
         o.name AS org_name, null AS address, null AS phone
  UNION ALL
  UNWIND $companies AS cid
  MATCH (c:Company {id: cid})
  RETURN 'company' AS kind, c.id AS id, c.name AS name, c._source AS source, null AS org_id,
         null AS org_name, c.address AS address, c.phone AS phone
}
RETURN kind, id, name, source, org_id, org_name, address, phone
