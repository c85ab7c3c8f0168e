import pytest

from labelhub.core.errors import InvalidInput
from labelhub.core.ontology import Ontology, ToolKind, validate_answers

NESTED = {
    "classes": [
        {
            "id": "cell",
            "name": "Cell",
            "tool": "polygon",
            "color": "#112233",
            "hotkey": "1",
            "attributes": [
                {
                    "id": "kind",
                    "name": "Kind",
                    "kind": "radio",
                    "required": True,
                    "options": [
                        {"id": "normal", "name": "Normal"},
                        {
                            "id": "tumour",
                            "name": "Tumour",
                            "questions": [
                                {
                                    "id": "grade",
                                    "name": "Grade",
                                    "kind": "number",
                                    "min": 1,
                                    "max": 3,
                                    "required": True,
                                },
                                {
                                    "id": "features",
                                    "name": "Features",
                                    "kind": "checklist",
                                    "options": [
                                        {
                                            "id": "mitosis",
                                            "name": "Mitosis",
                                            "questions": [
                                                {"id": "count", "name": "Count", "kind": "number", "required": True}
                                            ],
                                        },
                                        {"id": "necrosis", "name": "Necrosis"},
                                    ],
                                },
                            ],
                        },
                    ],
                }
            ],
        },
        {
            "id": "pose",
            "tool": "keypoints",
            "color": "#445566",
            "skeleton": {"points": ["a", "b", "c"], "edges": [[0, 1], [1, 2]]},
        },
    ],
    "classifications": [
        {
            "id": "stain",
            "name": "Stain",
            "kind": "radio",
            "options": [{"id": "he", "name": "H&E"}, {"id": "ihc", "name": "IHC"}],
        },
        {"id": "comment", "name": "Comment", "kind": "text"},
    ],
}


def test_parse_round_trips_to_json() -> None:
    o = Ontology.parse(NESTED)
    assert o.get_class("pose").tool is ToolKind.KEYPOINTS
    assert o.get_class("pose").skeleton is not None
    assert Ontology.parse(o.to_json()) == o


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda o: o["classes"][0].update(tool="lasso"), "tool 'lasso' is unknown"),
        (lambda o: o["classes"].append(dict(o["classes"][0])), "Duplicate class id 'cell'"),
        (lambda o: o["classes"][0].update(color="red"), "hex colour"),
        (lambda o: o["classes"][0].update(id="has space"), "not a valid id"),
        (lambda o: o["classes"][0].update(skeleton={"points": ["x"]}), "only allowed for tool 'keypoints'"),
        (lambda o: o["classifications"].append({"id": "q", "kind": "radio"}), "non-empty 'options'"),
        (lambda o: o["classifications"].append({"id": "stain", "kind": "text"}), "Duplicate question id 'stain'"),
        (lambda o: o["classes"][1].update(hotkey="1"), "Duplicate class hotkey '1'"),
        (lambda o: o.update(extra=1), "Unknown ontology keys"),
    ],
)
def test_invalid_ontologies_say_what_is_wrong(mutate, message) -> None:  # type: ignore[no-untyped-def]
    import copy

    raw = copy.deepcopy(NESTED)
    mutate(raw)
    with pytest.raises(InvalidInput, match=message):
        Ontology.parse(raw)


def _cell_questions():  # type: ignore[no-untyped-def]
    return Ontology.parse(NESTED).get_class("cell").attributes


def test_conditional_answers_are_accepted_when_parent_chosen() -> None:
    answers = {"kind": "tumour", "grade": 2, "features": ["mitosis"], "count": 4}
    assert validate_answers(_cell_questions(), answers, path="a", require_complete=True) == answers


def test_answer_under_unchosen_option_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="parent option is not chosen"):
        validate_answers(_cell_questions(), {"kind": "normal", "grade": 2}, path="a", require_complete=False)


def test_required_nested_question_only_required_when_active() -> None:
    qs = _cell_questions()
    validate_answers(qs, {"kind": "normal"}, path="a", require_complete=True)
    with pytest.raises(InvalidInput, match="required question 'Grade'"):
        validate_answers(qs, {"kind": "tumour"}, path="a", require_complete=True)
    validate_answers(qs, {"kind": "tumour"}, path="a", require_complete=False)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"kind": "maybe"}, "choose one of"),
        ({"kind": "tumour", "grade": 7}, "outside the allowed range"),
        ({"kind": "tumour", "grade": True}, "give a number"),
        ({"kind": "tumour", "grade": 1, "features": ["mitosis", "mitosis"], "count": 1}, "listed twice"),
        ({"nope": 1}, "unknown question"),
    ],
)
def test_bad_answers(answers, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match=message):
        validate_answers(_cell_questions(), answers, path="a", require_complete=False)
