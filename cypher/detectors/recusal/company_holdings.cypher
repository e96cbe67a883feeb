// name: detectors/recusal/company_holdings
// purpose: The shareholdings of the given companies in other companies (every OWNS edge from them, at any date): one level of the shareholding chains through which a relative may control a beneficiary.
// params: ids (list of company ids)
// returns: holder_id, holder_is_company, company_id, company_name, company_source, type, role, percent, start_date, end_date, source
UNWIND $ids AS kid
MATCH (k:Company {id: kid})-[r:OWNS]->(c:Company)
RETURN k.id AS holder_id, true AS holder_is_company, c.id AS company_id,
       c.name AS company_name, c._source AS company_source, type(r) AS type, r.role AS role,
       r.percent AS percent, r.start_date AS start_date, r.end_date AS end_date,
       r._source AS source
