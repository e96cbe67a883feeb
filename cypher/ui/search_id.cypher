// name: ui/search_id
// purpose: The node of one label with exactly this id (resident ID number, credit code or code), with the properties its caption is made of.
// params: q (string)
// returns: id, labels, props (map: name and the caption properties of nodes without one)
// template: Label
MATCH (n:__Label__ {id: $q})
RETURN n.id AS id, labels(n) AS labels,
       n {.name, .date, .amount, .year, .address, .departed, .destination, .received, .category,
          .kind, .grade, .source} AS props
