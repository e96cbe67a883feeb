// name: incremental/pool_mates
// purpose: Every project with the same owner and the same winner as one of the given projects (the pool whose awards the contract-splitting flag groups), collected into one row (few Bolt records).
// params: ids (list of project ids)
// returns: ids (list of project ids)
UNWIND $ids AS pid
MATCH (p:Project {id: pid})-[:AWARDED_TO]->(w:Company)
MATCH (p)-[:OWNED_BY]->(o:Organization)
MATCH (w)<-[:AWARDED_TO]-(q:Project)-[:OWNED_BY]->(o)
RETURN collect(DISTINCT q.id) AS ids
