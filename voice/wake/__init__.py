"""The wake phrase: detector, gate, verifier and classifier."""
