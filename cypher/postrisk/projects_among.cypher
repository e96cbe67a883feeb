// name: postrisk/projects_among
// purpose: Some projects (by id) as detectors/procurement_projects returns them (awarded or still open on or before as_of, with owner, winner, bids and approvers), for rescoring only the posts an import touched.
// params: ids (list of project ids), as_of (date), approve_roles (list of act roles)
// returns: project_id, project_name, project_source, owner_id, owner_name, method, call_published, call_date, bid_deadline, award_date, award_amount, final_amount, amended, approval_threshold, winner_id, winner_name, bids (list of maps: id, name, address, phone, amount, source), approvers (list of maps: id, name, date, post, source)
UNWIND $ids AS id
MATCH (prj:Project {id: id})-[:OWNED_BY]->(o:Organization)
WHERE prj.award_date IS NULL OR prj.award_date <= $as_of
OPTIONAL MATCH (prj)-[:AWARDED_TO]->(w:Company)
WITH prj, o, w
OPTIONAL MATCH (prj)<-[b:BID_ON]-(c:Company)
WITH prj, o, w,
     collect(CASE WHEN c IS NULL THEN null ELSE {id: c.id, name: c.name, address: c.address,
             phone: c.phone, amount: b.amount, source: b._source} END) AS bids
OPTIONAL MATCH (prj)<-[a:ACTED_ON]-(p:Person)
WHERE a.role IN $approve_roles
WITH prj, o, w, bids,
     collect(CASE WHEN p IS NULL THEN null ELSE {id: p.id, name: p.name, date: a.date,
             post: a.post, source: a._source} END) AS approvers
RETURN prj.id AS project_id, prj.name AS project_name, prj._source AS project_source,
       o.id AS owner_id, o.name AS owner_name, prj.method AS method,
       prj.call_published AS call_published, prj.call_date AS call_date,
       prj.bid_deadline AS bid_deadline, prj.award_date AS award_date,
       prj.award_amount AS award_amount, prj.final_amount AS final_amount,
       prj.amended AS amended, prj.approval_threshold AS approval_threshold,
       w.id AS winner_id, w.name AS winner_name, bids, approvers
ORDER BY project_id
