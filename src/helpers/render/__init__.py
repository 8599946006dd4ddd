"""Formats the report data and its words into HTML, charts, Excel, Word and PDF; decides nothing."""
