// name: graph/count_type
// purpose: Number of relationships of one type (status and import summaries).
// params: none
// returns: count (int)
// template: TYPE
MATCH ()-[e:__TYPE__]->()
RETURN count(e) AS count
