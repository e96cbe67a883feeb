// name: detectors/hidden_cluster_ties
// purpose: The ties of the given companies on a day: persons and companies holding shares in them, persons directing or employed by them, and payments between companies within a date range.
// params: ids (list of company ids), as_of (date), since (date)
// returns: src, src_name, src_is_person, dst (a company of ids), type (OWNS|DIRECTOR_OF|EMPLOYED_BY|PAID), detail, start, source
UNWIND $ids AS cid
MATCH (c:Company {id: cid})<-[r:OWNS|DIRECTOR_OF|EMPLOYED_BY]-(a)
WHERE r.start_date <= $as_of AND (r.end_date IS NULL OR r.end_date >= $as_of)
RETURN a.id AS src, a.name AS src_name, a:Person AS src_is_person, c.id AS dst,
       type(r) AS type, coalesce(r.role, r.position, toString(r.percent)) AS detail,
       r.start_date AS start, r._source AS source
UNION ALL
UNWIND $ids AS cid
MATCH (c:Company {id: cid})<-[:PAID_TO]-(pay:Payment)-[:PAID_BY]->(k:Company)
WHERE pay.date >= $since AND pay.date <= $as_of
RETURN k.id AS src, k.name AS src_name, false AS src_is_person, c.id AS dst, 'PAID' AS type,
       pay.id AS detail, pay.date AS start, pay._source AS source
