"""Models of enforcement: enforcement cases, lifecycle, triage, notices, approvals, closure, 终本, restoration and the
case-fund ledger.
"""
