"""Everything a reader reads: labels and number formats, generated findings, the
printed-figure registry and the analysts' written sections with their check."""
