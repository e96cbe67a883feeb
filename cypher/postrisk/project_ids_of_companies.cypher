// name: postrisk/project_ids_of_companies
// purpose: The projects some companies won or bid on (their scores' pools and red flags change with the company), collected into one row.
// params: ids (list of company ids)
// returns: ids (list of project ids)
UNWIND $ids AS cid
MATCH (:Company {id: cid})-[:AWARDED_TO|BID_ON]-(prj:Project)
RETURN collect(DISTINCT prj.id) AS ids
