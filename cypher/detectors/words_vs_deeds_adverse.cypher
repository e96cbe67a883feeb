// name: detectors/words_vs_deeds_adverse
// purpose: Credible adverse items about persons within a window: petitions with one of the given outcomes and oversight findings of the given severities (the "deeds" side of words vs deeds).
// params: outcomes (list of petition outcomes), severities (list of finding severities), since (date), as_of (date)
// returns: person_id, item_id, kind ("petition" or "finding"), day, detail (outcome or severity), category (petition category or finding source), summary, source
MATCH (x:Petition)-[:ABOUT]->(p:Person)
WHERE x.outcome IN $outcomes AND x.received >= $since AND x.received <= $as_of
RETURN p.id AS person_id, x.id AS item_id, 'petition' AS kind, x.received AS day,
       x.outcome AS detail, x.category AS category, x.summary AS summary, x._source AS source
UNION ALL
MATCH (f:OversightFinding)-[:CONCERNS_PERSON]->(p:Person)
WHERE f.severity IN $severities AND f.date >= $since AND f.date <= $as_of
RETURN p.id AS person_id, f.id AS item_id, 'finding' AS kind, f.date AS day,
       f.severity AS detail, f.source AS category, f.summary AS summary, f._source AS source
