// name: import/merge_edges
// purpose: Create or update relationships of one type between nodes of two labels.
//   `key` tells parallel edges apart (e.g. two terms in one post: their start dates);
//   it is '' where the type allows one edge per pair.
// params: rows (list of maps {from: string, to: string, key: string, props: map})
// returns: written (int)
// template: From, To, TYPE
UNWIND $rows AS r
MATCH (a:__From__ {id: r.from})
MATCH (b:__To__ {id: r.to})
MERGE (a)-[e:__TYPE__ {_key: r.key}]->(b)
SET e += r.props
RETURN count(e) AS written
