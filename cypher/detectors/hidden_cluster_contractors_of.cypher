// name: detectors/hidden_cluster_contractors_of
// purpose: The rows of detectors/hidden_cluster_contractors for the given companies only (the re-check after an import reads the contractors the batches touched).
// params: ids (list of company ids), since (date), as_of (date)
// returns: company_id, company_name, address, phone, company_source, project_id, project_name, award_date, owner_id, project_source
UNWIND $ids AS cid
MATCH (c:Company {id: cid})<-[:AWARDED_TO]-(prj:Project)
WHERE prj.award_date >= $since AND prj.award_date <= $as_of
OPTIONAL MATCH (prj)-[:OWNED_BY]->(o:Organization)
RETURN c.id AS company_id, c.name AS company_name, c.address AS address, c.phone AS phone,
       c._source AS company_source, prj.id AS project_id, prj.name AS project_name,
       prj.award_date AS award_date, o.id AS owner_id, prj._source AS project_source
ORDER BY company_id, project_id
