// name: detectors/post_avoidance_pairs
// purpose: For pairs of persons (statutory relatives found beforehand), every two posts they hold on the day in one organisation, with each post's direct superior post (and that post's organisation and leadership flag), for the post-avoidance rule (direct superior, same leader, same leadership team, sensitive posts).
// params: pairs (list of {a, b} person ids), as_of (date)
// returns: a, b, a_name, b_name, a_source, b_source, org_id, org_name, org_source, a_post, a_post_name, a_category, a_head, a_leader, a_post_source, a_start, a_holds_source, b_post, b_post_name, b_category, b_head, b_leader, b_post_source, b_start, b_holds_source, a_sup, a_sup_name, a_sup_leader, a_sup_org, a_sup_source, b_sup, b_sup_name, b_sup_leader, b_sup_org, b_sup_source
UNWIND $pairs AS pair
MATCH (pa:Person {id: pair.a})-[ha:HOLDS]->(a:Post)-[:IN_ORG]->(o:Organization)
WHERE ha.start_date <= $as_of AND (ha.end_date IS NULL OR ha.end_date > $as_of)
MATCH (pb:Person {id: pair.b})-[hb:HOLDS]->(b:Post)-[:IN_ORG]->(o)
WHERE hb.start_date <= $as_of AND (hb.end_date IS NULL OR hb.end_date > $as_of)
OPTIONAL MATCH (a)-[ra:REPORTS_TO]->(sa:Post)-[:IN_ORG]->(sao:Organization)
OPTIONAL MATCH (b)-[rb:REPORTS_TO]->(sb:Post)-[:IN_ORG]->(sbo:Organization)
RETURN pa.id AS a, pb.id AS b, pa.name AS a_name, pb.name AS b_name,
       pa._source AS a_source, pb._source AS b_source,
       o.id AS org_id, o.name AS org_name, o._source AS org_source,
       a.id AS a_post, a.name AS a_post_name, a.category AS a_category, a.is_head AS a_head,
       a.in_leadership AS a_leader, a._source AS a_post_source,
       ha.start_date AS a_start, ha._source AS a_holds_source,
       b.id AS b_post, b.name AS b_post_name, b.category AS b_category, b.is_head AS b_head,
       b.in_leadership AS b_leader, b._source AS b_post_source,
       hb.start_date AS b_start, hb._source AS b_holds_source,
       sa.id AS a_sup, sa.name AS a_sup_name, sa.in_leadership AS a_sup_leader,
       sao.id AS a_sup_org, ra._source AS a_sup_source,
       sb.id AS b_sup, sb.name AS b_sup_name, sb.in_leadership AS b_sup_leader,
       sbo.id AS b_sup_org, rb._source AS b_sup_source
ORDER BY a, b, org_id, a_post, b_post
