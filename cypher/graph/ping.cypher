// name: graph/ping
// purpose: Check that the database answers.
// params: none
// returns: ok (int, 1)
RETURN 1 AS ok
