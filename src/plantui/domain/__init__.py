"""The plan's own vocabulary: statuses, milestones, due states, roll-ups. Plain Python, no I/O."""
