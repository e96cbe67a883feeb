// name: ui/cadre_profile
// purpose: The particulars of one cadre for the cadre file, with the organisation holding management authority and the region the cadre grew up in.
// params: id (person id)
// returns: id, name, gender, birth_date, rank, party_member, work_start, rank_since, phone, address, abroad_country, managed_by, managed_by_name, home, home_name, source
MATCH (c:Cadre {id: $id})
OPTIONAL MATCH (c)-[:MANAGED_BY]->(m:Organization)
OPTIONAL MATCH (c)-[:GREW_UP_IN]->(h:Region)
RETURN c.id AS id, c.name AS name, c.gender AS gender, c.birth_date AS birth_date,
       c.rank AS rank, c.party_member AS party_member, c.work_start AS work_start,
       c.rank_since AS rank_since, c.phone AS phone, c.address AS address,
       c.abroad_country AS abroad_country, m.id AS managed_by, m.name AS managed_by_name,
       h.id AS home, h.name AS home_name, c._source AS source
