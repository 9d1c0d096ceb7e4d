"""`checkin transcribe`: print what the recognizer hears in WAV files."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from voice.commands.options import engine_option, existing_model


@click.command(name="transcribe")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@engine_option("Recognizer to use (default: the config's engine, else auto).")
@click.option("--model", "model_dir", type=click.Path(path_type=Path), default=None,
              callback=existing_model,
              help="Vosk model folder (wins over CHECKIN_VOSK_MODEL and the config).")
@click.option("--json", "as_json", is_flag=True,
              help='One JSON object per file: {"file","text","engine","audio_s","decode_s"}.')
def command(files: tuple[Path, ...], engine: str | None, model_dir: Path | None,
            as_json: bool) -> None:
    """Print the text spoken in each WAV FILE (any rate, channels or sample format).

    decode_s is the CPU time spent decoding. Digital silence gives an empty text.

    \b
    Example:
      checkin transcribe answer.wav --engine pocketsphinx --json
    """
    from audio.frames import SAMPLE_RATE, SAMPLE_WIDTH
    from audio.wav import load_pcm16k
    from voice.config import load_config
    from voice.recognizers import load_recognizer, transcribe_pcm

    config = load_config()
    recognizer, why = load_recognizer(
        engine or config.engine, model_dir, config.partners, config.models
    )
    click.echo(why, err=True)
    for file in files:
        pcm = load_pcm16k(file)
        began = time.process_time()
        utterance = transcribe_pcm(recognizer, pcm)
        decode_s = time.process_time() - began
        if as_json:
            click.echo(json.dumps({
                "file": str(file),
                "text": utterance.text,
                "engine": recognizer.name,
                "audio_s": round(len(pcm) / SAMPLE_WIDTH / SAMPLE_RATE, 3),
                "decode_s": round(decode_s, 3),
            }, ensure_ascii=False))
        elif len(files) == 1:
            click.echo(utterance.text)
        else:
            click.echo(f"{file}: {utterance.text}")
