"""Ranking learned from the user's decisions: features of a paper, the model, and the ranker that
keeps it in the library. May import library, matching, models and base; session calls it."""
