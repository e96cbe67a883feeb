// name: detectors/recusal/shared_contacts
// purpose: Other companies registered with the same address or the same phone as each given company (the hidden ties of 公务回避 through a company sharing contacts with a relative's company).
// params: ids (list of company ids)
// returns: company_id, other_id, other_name, other_source, field, value
UNWIND $ids AS cid
MATCH (c:Company {id: cid})
CALL {
  WITH c
  MATCH (k:Company {address: c.address})
  WHERE k.id <> c.id
  RETURN k, 'address' AS field, c.address AS value
  UNION
  WITH c
  MATCH (k:Company {phone: c.phone})
  WHERE k.id <> c.id
  RETURN k, 'phone' AS field, c.phone AS value
}
RETURN c.id AS company_id, k.id AS other_id, k.name AS other_name, k._source AS other_source,
       field, value
