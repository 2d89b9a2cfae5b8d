from eval.metrics import auroc, contains_evidence, highlight_shows, percentile, score_item

EVIDENCE = "Västerbottens ökande befolkning passerade under året 280 000 invånare"


def test_matching_ignores_layout_hyphenation_and_case():
    passage = "Västerbottens ökande be-\nfolkning passerade under\nåret 280 000 INVÅNARE."
    assert contains_evidence(passage, EVIDENCE)
    assert not contains_evidence(passage.replace("passerade", "minskade"), EVIDENCE)


def test_passage_that_only_repeats_the_question_is_no_hit():
    assert not contains_evidence("Hur många invånare har Västerbotten? Västerbotten har invånare.", EVIDENCE)


def test_evidence_cut_by_a_chunk_boundary_counts_when_mostly_present():
    assert contains_evidence("… text före. Västerbottens ökande befolkning passerade under året", EVIDENCE)
    assert not contains_evidence("Västerbottens ökande", EVIDENCE)


def test_scores_rank_ndcg_and_two_passage_items():
    first, second = "A" * 50, "B" * 50
    score = score_item(["x", f"… {first} …", "y", f"{second}"], [first, second])
    assert score.first_hit_rank == 2 and score.hit_at(3) and not score.hit_at(1)
    assert score.all_evidence_at10
    assert 0 < score.ndcg10 < 1
    # A second passage with the same evidence earns nothing more.
    assert score_item([first, first], [first]).ndcg10 == 1.0
    assert score_item(["x"], [first]).first_hit_rank is None


def test_percentile_nearest_rank():
    assert percentile([5, 1, 3, 2, 4], 50) == 3
    assert percentile(list(range(1, 101)), 95) == 95
    assert percentile([], 50) == 0.0


def test_highlight_shows_evidence_or_part_of_it():
    assert highlight_shows("Västerbottens ökande befolkning passerade under året 280 000 invånare och mer.", [EVIDENCE])
    assert highlight_shows("passerade under året 280 000 invånare", [EVIDENCE])
    assert not highlight_shows("Regionen satsar på cykelvägar.", [EVIDENCE])
    assert not highlight_shows(None, [EVIDENCE])


def test_auroc_is_the_chance_a_positive_outscores_a_negative():
    assert auroc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert auroc([0.1], [0.9]) == 0.0
    assert auroc([0.5, 0.9], [0.5, 0.1]) == (0.5 + 1 + 1 + 1) / 4  # a tie counts half
    assert auroc([0.7], []) == 0.5
