// name: ui/neighbours
// purpose: One step of a node's neighbourhood over the allowed relationship types, for expanding a link investigation.
// params: id (id), types (list of relationship types), limit (int)
// returns: id, labels, props (map: name and the caption properties of nodes without one), type, src, dst, start_date, end_date, source
// template: Label
MATCH (n:__Label__ {id: $id})-[r]-(m)
WHERE type(r) IN $types
RETURN m.id AS id, labels(m) AS labels,
       m {.name, .date, .amount, .year, .address, .departed, .destination, .received, .category,
          .kind, .grade, .source} AS props,
       type(r) AS type, startNode(r).id AS src, endNode(r).id AS dst,
       coalesce(r.start_date, r.date) AS start_date, r.end_date AS end_date, r._source AS source
LIMIT $limit
