from riskgraph.cli import main

main()
