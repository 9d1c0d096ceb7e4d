"""The intent catalogue (TOML data) and the pure rapidfuzz matcher."""
