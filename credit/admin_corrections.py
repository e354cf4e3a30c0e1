"""Admin of credit (issue 6): admin_corrections."""
