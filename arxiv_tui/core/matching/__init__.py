"""Deciding what a paper is to the user, in memory: keywords and their hits, the search language,
views of a listing, For you's scores, badges at a glance. May import base and models."""
