"""The avoidance rules done again in plain networkx, one module per rule, for the
side-by-side benchmark (benchmarks/sweep_avoidance.py).

Each rule is a function ``rule(g, config, day) -> set[frozenset[str]]`` over the
MultiDiGraph of ``nxgraph.load`` and the detector's configuration (config/detectors),
returning the entity-id sets the database detector should find. They are written from
the rule text (../shared/domain.md, the detector's ``rule`` and config comments), not
from the detectors: no detector module, no Cypher, no ``riskgraph.ties`` or
``riskgraph.family``. Only the statutory kinship itself (``riskgraph.kinship``, pure
Python) is shared, as the one definition of who is a statutory relative.
"""
