// name: detectors/recusal/nominees
// purpose: Nominee holdings (代持) for the given beneficial owners: the nominal holder, the company whose shares it holds (with the holder's OWNS edge into it, if recorded) and the dates, for the nominee variant of 公务回避.
// params: ids (list of person ids)
// returns: holder_id, holder_is_company, holder_name, holder_source, beneficiary_id, company_id, start_date, end_date, source, owns_percent, owns_start, owns_end, owns_source
UNWIND $ids AS pid
MATCH (r:Person {id: pid})<-[nf:NOMINEE_FOR]-(n)
OPTIONAL MATCH (n)-[o:OWNS]->(c:Company {id: nf.company})
RETURN n.id AS holder_id, n:Company AS holder_is_company, n.name AS holder_name,
       n._source AS holder_source, r.id AS beneficiary_id, nf.company AS company_id,
       nf.start_date AS start_date, nf.end_date AS end_date, nf._source AS source,
       o.percent AS owns_percent, o.start_date AS owns_start, o.end_date AS owns_end,
       o._source AS owns_source
