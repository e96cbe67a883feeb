// name: schema/property_index
// purpose: Index one property of one label (lookups by name, phone, date...).
//   Idempotent: IF NOT EXISTS.
// params: none
// returns: nothing
// template: Label, prop
CREATE INDEX IF NOT EXISTS FOR (n:__Label__) ON (n.__prop__)
