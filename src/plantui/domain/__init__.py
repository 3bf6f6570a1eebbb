"""The plan's own vocabulary: statuses, milestones, due states, roll-ups, and the words each is said in
(`wording`). Plain Python, no I/O."""
