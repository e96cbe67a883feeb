// name: postrisk/org_project_counts
// purpose: How many projects each of some organisations owns (awarded or still open on or before as_of) that someone approved in the look-back window [since, as_of]: the approval concentration of their posts.
// params: ids (list of organisation ids), since (date), as_of (date), approve_roles (list of act roles)
// returns: org_id, projects
UNWIND $ids AS oid
MATCH (o:Organization {id: oid})<-[:OWNED_BY]-(prj:Project)
WHERE (prj.award_date IS NULL OR prj.award_date <= $as_of)
  AND EXISTS {
    MATCH (prj)<-[a:ACTED_ON]-(:Person)
    WHERE a.role IN $approve_roles AND a.date >= $since AND a.date <= $as_of
  }
RETURN o.id AS org_id, count(DISTINCT prj) AS projects
ORDER BY org_id
