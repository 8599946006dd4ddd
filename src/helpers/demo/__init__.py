"""Generated inputs: the demo returns and ledger, synthetic inputs for benchmarks."""
