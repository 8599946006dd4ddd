"""The ground floor: errors, paths, the parameter schema and rule settings, the status
vocabulary, problems as data, atomic and reproducible writes. Imports nothing else of helpers."""
