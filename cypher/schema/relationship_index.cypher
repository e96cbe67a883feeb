// name: schema/relationship_index
// purpose: Index one property of one relationship type (the import batch of every type).
//   Idempotent: IF NOT EXISTS.
// params: none
// returns: nothing
// template: TYPE, prop
CREATE INDEX IF NOT EXISTS FOR ()-[r:__TYPE__]-() ON (r.__prop__)
