// name: postrisk/acts_naming_posts
// purpose: The projects and payments acted on in one of the given roles by an act that names one of the given posts (a named post counts whoever acted), collected into one row each.
// params: posts (list of post ids), roles (list of act roles)
// returns: projects (list of project ids), payments (list of payment ids)
MATCH (:Person)-[a:ACTED_ON]->(x)
WHERE a.post IN $posts AND a.role IN $roles AND (x:Project OR x:Payment)
RETURN collect(DISTINCT CASE WHEN x:Project THEN x.id END) AS projects,
       collect(DISTINCT CASE WHEN x:Payment THEN x.id END) AS payments
