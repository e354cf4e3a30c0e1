"""Models of command: the officer workspace, the division command view, statistics and the relation graph."""
