"""The avoidance rules done in plain networkx, for the side-by-side benchmark.

Each rule (one module per rule in benchmarks/nxref/) takes the graph of ``nxgraph.load``
and the detector's configuration and returns the entity-id sets the database detector
should find, so the benchmark both times the two and checks that they agree. The rules
are an independent implementation written from the rule text: they share only the
statutory kinship (riskgraph.kinship, pure Python) with the detectors, not the detectors'
code or Cypher.
"""

from __future__ import annotations

from nxref import (
         post_avoidance,
         recusal,
         region_avoidance,
         relative_business,
         revolving_door,
)

# Detector name -> (templates it needs, function). Only the files a rule reads are loaded.
RULES = {module.__name__.rsplit(".", 1)[1]: (module.TEMPLATES, module.rule)
         for module in (post_avoidance, recusal, region_avoidance, relative_business,
                        revolving_door)}
