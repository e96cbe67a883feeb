// name: ui/cadre_declarations
// purpose: A cadre's yearly personal-matters reports with their items (category, person or company concerned, amount, address).
// params: id (person id)
// returns: declaration_id, year, submitted, item_id, category, subject_id, subject_name, company_id, company_name, amount, address, description, source
MATCH (c:Person {id: $id})<-[:DECLARED_BY]-(d:Declaration)
OPTIONAL MATCH (d)<-[:ITEM_OF]-(i:DeclarationItem)
OPTIONAL MATCH (i)-[:CONCERNS]->(s:Person)
OPTIONAL MATCH (i)-[:CONCERNS_COMPANY]->(co:Company)
RETURN d.id AS declaration_id, d.year AS year, d.submitted AS submitted, i.id AS item_id,
       i.category AS category, s.id AS subject_id, s.name AS subject_name,
       co.id AS company_id, co.name AS company_name, i.amount AS amount,
       i.address AS address, i.description AS description, d._source AS source
ORDER BY year, item_id
