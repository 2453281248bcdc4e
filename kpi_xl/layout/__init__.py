"""3. Lay out: templates, the columns, and the one scorecard layout (sheets, cells, rules, charts; no I/O)."""
