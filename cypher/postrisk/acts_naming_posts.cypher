// name: postrisk/acts_naming_posts
// purpose: The projects and payments acted on in one of the given roles by an act that names one of the given posts (a named post counts whoever acted), collected into one row each; started from the projects and payments (far fewer than the persons).
// params: posts (list of post ids), roles (list of act roles)
// returns: projects (list of project ids), payments (list of payment ids)
MATCH (x:Project)<-[a:ACTED_ON]-(:Person)
WHERE a.post IN $posts AND a.role IN $roles
WITH collect(DISTINCT x.id) AS projects
OPTIONAL MATCH (y:Payment)<-[b:ACTED_ON]-(:Person)
WHERE b.post IN $posts AND b.role IN $roles
RETURN projects, collect(DISTINCT y.id) AS payments
