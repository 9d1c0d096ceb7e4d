"""The semantic part and issue 19's answers: encoder, fitted weights, what each part decides.

The issue's own failure cases are NOT in the training phrasings (intents/phrasings/),
so these check that they generalise, not that they were memorised.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from intents_helpers import LABELLED, load_labelled
from rapidfuzz import fuzz, process

from intents import load_catalogue, match
from intents.encoder import TOKENIZER, Encoder, model_file
from intents.examples import examples, phrasing_files
from intents.semantic import fingerprint, load

BLIND_A = Path(__file__).parent / "data" / "intents" / "blind_a.toml"


def test_the_shipped_weights_were_fitted_on_todays_examples() -> None:
    catalogue = load_catalogue()
    loaded = load(catalogue)
    assert loaded is not None, "intents/semantic.npz is missing: run python -m intents.fit"
    models, stamp = loaded
    assert stamp == fingerprint(catalogue, model_file()[1]), (
        "the examples or the catalogue changed since intents/semantic.npz was fitted: "
        "run .venv/bin/python -m intents.fit"
    )
    assert set(models) == set(catalogue.contexts)


def test_the_rewritten_encoder_gives_the_original_models_vectors() -> None:
    ort = pytest.importorskip("onnxruntime")
    from tokenizers import Tokenizer

    path, _ = model_file()
    original = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(TOKENIZER))
    tokenizer.no_padding()
    encoder = Encoder.shared()
    for text in ("you never texted me back", "skip", "thank you for making dinner tonight"):
        ids = np.array([tokenizer.encode(text).ids])
        mask = np.ones_like(ids)
        hidden = original.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": 0 * mask}
        )[0][0].mean(axis=0)
        expected = hidden / np.linalg.norm(hidden)
        assert float(expected @ encoder.encode(text)) > 0.9999


def test_answers_are_not_padded_to_128_tokens() -> None:
    encoder = Encoder.shared()
    assert len(encoder._tokenizer.encode("i hear you").ids) < 10
    assert abs(float(np.linalg.norm(encoder.encode("i hear you"))) - 1.0) < 1e-5


def test_the_training_phrasings_hold_no_copy_of_a_test_answer() -> None:
    # The engineer who wrote engineer*.toml had seen both test sets: no answer of five
    # words or more may be (nearly) copied from them. Writer C saw neither.
    catalogue = load_catalogue()
    tests: dict[str, list[str]] = {}
    for path in (LABELLED, BLIND_A):
        for example in load_labelled(path):
            tests.setdefault(example.context, []).append(catalogue.normaliser.text(example.text))
    copies = []
    for path in phrasing_files(catalogue):
        if not path.name.startswith("engineer"):
            continue
        for example in load_labelled(path):
            text = catalogue.normaliser.text(example.text)
            if len(text.split()) >= 5 and process.extractOne(
                text, tests[example.context], scorer=fuzz.ratio, processor=None, score_cutoff=95
            ):
                copies.append(f"{path.name}: {example.text}")
    assert not copies, copies


KNOWN_MISS = pytest.mark.xfail(
    strict=True, reason="issue 19 example read as a neighbouring category; no cue was added "
    "for it (the issue asks for evidence, not one rule per failure)",
)


@pytest.mark.parametrize(
    ("text", "context", "intent", "category"),
    [
        # Natural commands the issue found missed.
        ("wait what did you ask", "need", "repeat", None),
        ("can we call it a night", "appreciation", "stop", None),
        ("i think we should end this for tonight", "need", "stop", None),
        ("hang on play that again", "appreciation", "repeat", None),
        ("skip this one", "response", "skip", None),
        ("say that again", "response", "repeat", None),
        ("we're done for tonight", "response", "stop", None),
        # Sarcasm and complaints are not praised.
        ("gee thanks for forgetting our dinner plans thats the highlight of my week",
         "appreciation", "complaint", None),
        ("you ignored my texts all day", "appreciation", "complaint", None),
        # Needs and no needs.
        ("i just felt lonely today like we were in the same house but not really together",
         "need", "unmet_need", "other"),
        ("im fine", "need", "nothing", None),
        ("not really", "need", "nothing", None),
        ("nothing today", "need", "nothing", None),
        # Both a distraction and not being listened to: read as dismissed (known miss).
        pytest.param("you weren't really listening you were gaming", "need", "unmet_need",
                     "distracted", marks=KNOWN_MISS),
        ("well im sorry you feel that way", "response", "dismissal", None),
        # Category boundaries.
        ("he had the lap top open all through dinner", "need", "unmet_need", "distracted"),
        # A dig about never finishing anything: read as dismissed (known miss).
        pytest.param("she made this little dig about me never finishing anything", "need",
                     "unmet_need", "sarcasm", marks=KNOWN_MISS),
        ("he blew off the school play", "need", "unmet_need", "cancelled_plans"),
        ("i needed a hug and you didn't give me one", "need", "unmet_need", "avoided_affection"),
        # New intents and commands.
        ("yeah there was one", "need", "need_yes", None),
        ("yes", "need", "need_yes", None),
        ("mm i hear ya", "response", "acknowledgement", None),
        ("fair enough", "response", "acknowledgement", None),
        ("mm", "response", "acknowledgement", None),
        ("let me think", "appreciation", "think", None),
        ("um give me a second", "need", "think", None),
        ("you go first", "appreciation", "hand_over", None),
        ("sam you go first", "need", "hand_over", None),
        ("that's not what i said", "response", "correct", None),
        ("no change that", "need", "correct", None),
    ],
)
def test_issue_19_answers(text: str, context: str, intent: str, category: str | None) -> None:
    result = match(text, context)
    assert (result.intent, result.category) == (intent, category), result


def test_a_rewrite_no_longer_turns_chicken_into_check_in() -> None:
    result = match("i tried to check in with you at lunch", "need")
    assert result.category != "distracted"


@pytest.mark.parametrize("context", ["appreciation", "need", "response"])
@pytest.mark.parametrize(
    "text", ["um", "uh the", "hmm", "the", "let me think", "sam you go first", "banana",
             "kettle", "and now the weather"]
)
def test_what_is_not_an_answer_never_becomes_an_entry(context: str, text: str) -> None:
    result = match(text, context)
    assert result.intent in (None, "think", "hand_over"), result


def test_each_result_names_the_part_that_decided() -> None:
    assert match("skip please", "need").decided_by == "fuzzy"
    decided = match("i tried to tell you and you scrolled on", "need").decided_by
    assert decided in ("semantic", "cue")
    assert match("the", "need").decided_by == "cue"
    assert match("", "need").decided_by is None
    assert re.fullmatch(r"fuzzy|cue|semantic", str(match("you were late", "need").decided_by))


def test_every_context_learns_from_examples() -> None:
    counts = {c: len(rows) for c, rows in examples(load_catalogue()).items()}
    assert min(counts.values()) >= 100, counts
