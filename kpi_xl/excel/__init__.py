"""6. Excel: the ribbon scripts, worksheet functions, the add-in server and the desktop add-in."""
