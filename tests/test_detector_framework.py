"""Detector registry, configuration with province overrides, and the accuracy report."""

from __future__ import annotations

import json

import pytest

from riskgraph import detectors
from riskgraph.detectors.config import DetectorConfigError, detector_config
from riskgraph.evaluate import Case, evaluate, load_cases, report


def test_every_detector_has_metadata_and_a_config():
    assert detectors.names(), "no detector registered"
    for name, d in detectors.all_detectors().items():
        assert d.title and d.rule and d.citation and d.version, name
        config = detector_config(name)
        assert config["severity"] in ("low", "medium", "high"), name


def test_province_overrides_replace_defaults_key_by_key(tmp_path):
    (tmp_path / "provinces").mkdir()
    (tmp_path / "d.yaml").write_text(
        "severity: medium\nthresholds: {years: 5, share: 25}\nscope: {kinds: [a, b]}\n",
        encoding="utf-8")
    (tmp_path / "provinces" / "31.yaml").write_text(
        "d: {thresholds: {years: 3}, scope: {kinds: [a]}}\nother: {severity: high}\n",
        encoding="utf-8")
    base = detector_config("d", "", tmp_path)
    strict = detector_config("d", "31", tmp_path)
    assert base["thresholds"] == {"years": 5, "share": 25}
    assert strict["thresholds"] == {"years": 3, "share": 25}
    assert strict["scope"] == {"kinds": ["a"]} and strict["severity"] == "medium"
    assert detector_config("d", "44", tmp_path) == base      # no file for province 44


def test_config_errors_name_the_file(tmp_path):
    with pytest.raises(DetectorConfigError, match="missing"):
        detector_config("nope", "", tmp_path)
    (tmp_path / "bad.yaml").write_text("severity: high\nthreshold: {x: 1}\n", encoding="utf-8")
    with pytest.raises(DetectorConfigError, match=r"bad\.yaml.*threshold"):
        detector_config("bad", "", tmp_path)


def test_evaluation_counts_matches_misses_and_near_miss_hits(tmp_path):
    path = tmp_path / "ground_truth.jsonl"
    rows = [
        {"case": "c1", "detector": "d", "variant": "v", "positive": True, "entities": ["A", "B"]},
        {"case": "c2", "detector": "d", "variant": "v", "positive": True, "entities": ["C", "D"]},
        {"case": "c3", "detector": "d", "variant": "near", "positive": False, "entities": ["E", "F"]},
        {"case": "c4", "detector": "x", "variant": "v", "positive": True, "entities": ["G"]},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    cases = load_cases(path)
    assert cases[2] == Case("c3", "d", "near", False, frozenset({"E", "F"}))
    found = {"d": [frozenset({"A", "B"}), frozenset({"E", "F"})]}
    [d, x] = evaluate(cases, found, ["d"])
    assert (d.planted, d.found, d.true_positives, d.false_positives, d.near_miss_hits) == (2, 2, 1, 1, 1)
    assert (d.precision, d.recall) == (0.5, 0.5)
    assert [c.case for c in d.missed] == ["c2"]
    text = report([d, x], ["d"])
    assert "漏报 d c2" in text and "误报 d：E, F" in text and "检测器未实现" in text


def test_a_broken_ground_truth_line_is_named(tmp_path):
    path = tmp_path / "gt.jsonl"
    path.write_text('{"case": "c1"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="line 1"):
        load_cases(path)
