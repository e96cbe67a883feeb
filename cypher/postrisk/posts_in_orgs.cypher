// name: postrisk/posts_in_orgs
// purpose: The posts of some organisations (their scores share the organisation's project count).
// params: ids (list of organisation ids)
// returns: post_id
UNWIND $ids AS id
MATCH (:Organization {id: id})<-[:IN_ORG]-(post:Post)
RETURN post.id AS post_id
ORDER BY post_id
