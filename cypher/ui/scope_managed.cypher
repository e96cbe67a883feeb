// name: ui/scope_managed
// purpose: Cadres whose management authority (MANAGED_BY) lies with one of the given organisations.
// params: orgs (list of organisation ids)
// returns: id, rank
UNWIND $orgs AS oid
MATCH (o:Organization {id: oid})<-[:MANAGED_BY]-(c:Cadre)
RETURN c.id AS id, c.rank AS rank
