"""Import of source files (CSV, XLSX, JSON lines) into the graph, one template per
entity or edge type of the schema."""
