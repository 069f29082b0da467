"""A table that renders only the lines on screen, for tens of thousands of rows."""
