"""Sound in and out: 16 kHz mono int16 frames stamped on the audio clock."""
