"""The performance suite (not run by CI): run.py measures as a user meets it; RESULTS.md holds
the latest figures."""
