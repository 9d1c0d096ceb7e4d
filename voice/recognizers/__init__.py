"""Speech recognizers behind one interface: PocketSphinx (built in) and Vosk."""
