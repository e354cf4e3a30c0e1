"""Writes of bankruptcy (执转破 screening and transfer, bankruptcy cases and suspension across cases): one function per
action, `<entity>_<action>(*, actor, ...)`.
"""
