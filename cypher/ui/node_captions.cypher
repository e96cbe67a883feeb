// name: ui/node_captions
// purpose: Labels and the properties a caption is made of (name, or date, amount, year ... for nodes without a name) of the given nodes of one label, for drawing a link investigation.
// params: ids (list of ids)
// returns: id, labels, props (map: name, date, amount, year, address, departed, destination, received, category, kind, grade, source)
// template: Label
UNWIND $ids AS nid
MATCH (n:__Label__ {id: nid})
RETURN n.id AS id, labels(n) AS labels,
       n {.name, .date, .amount, .year, .address, .departed, .destination, .received, .category,
          .kind, .grade, .source} AS props
