// name: detectors/words_vs_deeds_adverse_scoped
// purpose: detectors/words_vs_deeds_adverse for some persons only, started from them (a scoped re-check reads their petitions and findings, not everyone's): credible petitions with one of the given outcomes and oversight findings of the given severities within a window.
// params: ids (list of person ids), outcomes (list of petition outcomes), severities (list of finding severities), since (date), as_of (date)
// returns: person_id, item_id, kind ("petition" or "finding"), day, detail (outcome or severity), category (petition category or finding source), summary, source
UNWIND $ids AS pid
MATCH (p:Person {id: pid})<-[:ABOUT]-(x:Petition)
WHERE x.outcome IN $outcomes AND x.received >= $since AND x.received <= $as_of
RETURN p.id AS person_id, x.id AS item_id, 'petition' AS kind, x.received AS day,
       x.outcome AS detail, x.category AS category, x.summary AS summary, x._source AS source
UNION ALL
UNWIND $ids AS pid
MATCH (p:Person {id: pid})<-[:CONCERNS_PERSON]-(f:OversightFinding)
WHERE f.severity IN $severities AND f.date >= $since AND f.date <= $as_of
RETURN p.id AS person_id, f.id AS item_id, 'finding' AS kind, f.date AS day,
       f.severity AS detail, f.source AS category, f.summary AS summary, f._source AS source
