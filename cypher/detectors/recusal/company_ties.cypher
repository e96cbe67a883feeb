// name: detectors/recusal/company_ties
// purpose: Who owns, directs or works for the given companies (every OWNS, DIRECTOR_OF and EMPLOYED_BY edge into them, at any date), with each holder's kind and name; the ties the recusal rule follows from a beneficiary company back to persons.
// params: ids (list of company ids)
// returns: holder_id, holder_is_company, holder_name, holder_source, company_id, type, role, percent, start_date, end_date, source
UNWIND $ids AS cid
MATCH (c:Company {id: cid})<-[r:OWNS|DIRECTOR_OF|EMPLOYED_BY]-(h)
RETURN h.id AS holder_id, h:Company AS holder_is_company, h.name AS holder_name,
       h._source AS holder_source, c.id AS company_id, type(r) AS type, r.role AS role,
       r.percent AS percent, r.start_date AS start_date, r.end_date AS end_date,
       r._source AS source
