"""5. Run: carry-over, the directors' copy, the schedule, file safety and the starter workbook."""
