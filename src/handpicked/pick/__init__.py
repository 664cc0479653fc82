"""Hand-picking: which stories each reader gets, in which order, and why."""
