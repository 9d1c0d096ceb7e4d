"""Development tools that make the app's shipped data (not imported at run time)."""
