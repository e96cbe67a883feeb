"""riskgraph: graph-based supervision and risk warning for cadre supervision."""

__version__ = "0.1.0"
