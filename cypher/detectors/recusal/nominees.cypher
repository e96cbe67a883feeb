// name: detectors/recusal/nominees
// purpose: Nominee holdings (代持) of shares in the given companies: a shareholder of the company holding them for a beneficial owner (NOMINEE_FOR with that company), with the dates, for the nominee variant of 公务回避.
// params: ids (list of company ids)
// returns: holder_id, holder_name, holder_source, beneficiary_id, company_id, start_date, end_date, source
UNWIND $ids AS cid
MATCH (c:Company {id: cid})<-[:OWNS]-(n)-[nf:NOMINEE_FOR]->(r:Person)
WHERE nf.company = cid
RETURN DISTINCT n.id AS holder_id, n.name AS holder_name, n._source AS holder_source,
       r.id AS beneficiary_id, nf.company AS company_id, nf.start_date AS start_date,
       nf.end_date AS end_date, nf._source AS source
