// name: detectors/declaration_items_scoped
// purpose: detectors/declaration_items for some persons only, started from them (a scoped re-check reads their declarations, not every cadre's): their yearly declarations of a range of years with every item, the person and company each item concerns.
// params: ids (list of person ids), first_year (int), last_year (int)
// returns: decl_id, year, submitted, decl_source, cadre_id, cadre_name, cadre_source, item_id, category, subject_id, company_id, amount, area, address, country, description, item_source
UNWIND $ids AS pid
MATCH (p:Person {id: pid})<-[:DECLARED_BY]-(d:Declaration)
WHERE d.year >= $first_year AND d.year <= $last_year
OPTIONAL MATCH (d)<-[:ITEM_OF]-(i:DeclarationItem)
OPTIONAL MATCH (i)-[:CONCERNS]->(s:Person)
OPTIONAL MATCH (i)-[:CONCERNS_COMPANY]->(c:Company)
RETURN d.id AS decl_id, d.year AS year, d.submitted AS submitted, d._source AS decl_source,
       p.id AS cadre_id, p.name AS cadre_name, p._source AS cadre_source,
       i.id AS item_id, i.category AS category, s.id AS subject_id, c.id AS company_id,
       i.amount AS amount, i.area AS area, i.address AS address, i.country AS country,
       i.description AS description, i._source AS item_source
ORDER BY cadre_id, year, item_id
