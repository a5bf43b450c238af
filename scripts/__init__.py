"""Maintenance: screenshots.py draws screenshots/; update_readme.py writes the README's key table
and layout from the code."""
