// name: schema/key_constraint
// purpose: Make the key property `id` unique for one label (and index it).
//   Idempotent: IF NOT EXISTS.
// params: none
// returns: nothing
// template: Label
CREATE CONSTRAINT IF NOT EXISTS FOR (n:__Label__) REQUIRE n.id IS UNIQUE
