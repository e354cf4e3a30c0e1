"""Writes of command (the officer workspace, the division command view, statistics and the relation graph): one
function per action, `<entity>_<action>(*, actor, ...)`.
"""
