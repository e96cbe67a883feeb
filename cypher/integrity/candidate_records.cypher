// name: integrity/candidate_records
// purpose: For promotion candidates (person ids), the name on file and the petitions (信访举报) about each, for drafting integrity-opinion replies.
// params: ids (list of person ids)
// returns: person_id, name, petitions (list of maps: id, received, category, outcome, signed, summary, source)
UNWIND $ids AS pid
MATCH (p:Person {id: pid})
OPTIONAL MATCH (pt:Petition)-[:ABOUT]->(p)
WITH p, pt
ORDER BY pt.received
RETURN p.id AS person_id, p.name AS name,
       collect(CASE WHEN pt IS NULL THEN NULL ELSE
         {id: pt.id, received: pt.received, category: pt.category, outcome: pt.outcome,
          signed: pt.signed, summary: pt.summary, source: pt._source} END) AS petitions
