"""2. Rate: the pure rules, every indicator rated for the period, and the Excel formulas that repeat the rules."""
