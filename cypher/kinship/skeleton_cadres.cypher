// name: kinship/skeleton_cadres
// purpose: The ids of every cadre (Person with the Cadre label), collected into one row: kept with the in-memory kinship skeleton (riskgraph.kin_skeleton) for the scope derivation of the re-check after an import.
// params: (none)
// returns: ids (list of person ids)
MATCH (c:Cadre)
RETURN collect(c.id) AS ids
