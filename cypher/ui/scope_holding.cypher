// name: ui/scope_holding
// purpose: Cadres holding a post (not ended) in one of the given organisations.
// params: orgs (list of organisation ids)
// returns: id, rank
UNWIND $orgs AS oid
MATCH (o:Organization {id: oid})<-[:IN_ORG]-(:Post)<-[h:HOLDS]-(c:Cadre)
WHERE h.end_date IS NULL
RETURN DISTINCT c.id AS id, c.rank AS rank
