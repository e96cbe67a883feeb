// name: import/merge_edges_reversed
// purpose: import/merge_edges with the pattern written from the target node. Same
//   result; used when the batch's source side is a hub (one official in thousands of
//   acts), because ArcadeDB expands a MERGE pattern from the node it names first.
// params: rows (list of maps {from: string, to: string, key: string, props: map})
// returns: written (int)
// template: From, To, TYPE
UNWIND $rows AS r
MATCH (b:__To__ {id: r.to})
MATCH (a:__From__ {id: r.from})
MERGE (b)<-[e:__TYPE__ {_key: r.key}]-(a)
SET e += r.props
RETURN count(e) AS written
