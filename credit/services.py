"""Writes of credit (the dishonest list, consumption and exit restrictions, public disclosure and the credit feed): one
function per action, `<entity>_<action>(*, actor, ...)`.
"""
