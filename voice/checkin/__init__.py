"""One conversation: the dialogue machine, its script, the session driver, end of turn,
and the spoken, typed and demo edges that feed it."""
