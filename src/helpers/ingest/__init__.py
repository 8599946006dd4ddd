"""Reading the raw inputs: the snapshot of every file, limits, workbook guard, wide and long
tables, normalising, the catalogue, the returns, the problem ledger book, the written-section
files, validation."""
