// name: incremental/company_projects
// purpose: The projects the given companies bid on or won, collected into one row (few Bolt records): a company's address and phone are read with those projects' bids.
// params: ids (list of company ids)
// returns: ids (list of project ids)
UNWIND $ids AS cid
MATCH (c:Company {id: cid})-[:BID_ON]->(p:Project)
RETURN collect(DISTINCT p.id) AS ids
UNION
UNWIND $ids AS cid
MATCH (c:Company {id: cid})<-[:AWARDED_TO]-(p:Project)
RETURN collect(DISTINCT p.id) AS ids
