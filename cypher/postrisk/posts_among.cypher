// name: postrisk/posts_among
// purpose: Some posts (by id) with their organisation, category and power domains, for rescoring only the posts an import touched.
// params: ids (list of post ids)
// returns: post_id, post_name, category, power_domains, rank, is_head, in_leadership, org_id, org_name
UNWIND $ids AS id
MATCH (post:Post {id: id})-[:IN_ORG]->(o:Organization)
RETURN post.id AS post_id, post.name AS post_name, post.category AS category,
       post.power_domains AS power_domains, post.rank AS rank, post.is_head AS is_head,
       post.in_leadership AS in_leadership, o.id AS org_id, o.name AS org_name
ORDER BY post_id
