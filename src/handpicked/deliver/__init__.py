"""Delivery: digests by email on each reader's schedule, and the reader's Atom feed."""
