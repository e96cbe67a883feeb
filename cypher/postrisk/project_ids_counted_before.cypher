// name: postrisk/project_ids_counted_before
// purpose: Which of some projects have an approval in the look-back window [since, as_of] that none of the given import batches wrote (such a project was in its owner's approved-project count before those batches and still is), collected into one row.
// params: ids (list of project ids), batches (list of batch ids), approve_roles (list of act roles), since (date), as_of (date)
// returns: ids (list of project ids)
UNWIND $ids AS id
MATCH (prj:Project {id: id})
WHERE EXISTS {
  MATCH (prj)<-[a:ACTED_ON]-(:Person)
  WHERE a.role IN $approve_roles AND a.date >= $since AND a.date <= $as_of
    AND NOT a._batch IN $batches
}
RETURN collect(prj.id) AS ids
