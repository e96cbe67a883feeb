"""One Chinese vocabulary per closed list: finding severities (严重 / 一般 / 轻微, the
schema's ``severity`` enum) and user roles (`riskgraph.authz.ROLE_ZH`) are defined once
and every page, alert, dossier and command uses that one."""

from __future__ import annotations

import importlib

import pytest

from riskgraph.authz import ROLE_ZH
from riskgraph.levels import SEVERITY_ZH
from riskgraph.schema import default_schema
from riskgraph.store.vocab import Role, Severity


def test_severity_words_come_from_the_schema_enum():
    assert SEVERITY_ZH == {"high": "严重", "medium": "一般", "low": "轻微"}
    assert SEVERITY_ZH == dict(default_schema().enums["severity"])
    assert set(SEVERITY_ZH) == set(Severity)
    assert list(SEVERITY_ZH) == ["high", "medium", "low"]     # pickers: highest first


@pytest.mark.parametrize("module", ["riskgraph.alerts", "riskgraph.alert_delivery",
                                    "riskgraph.dossier.records", "riskgraph.detectors.words_vs_deeds",
                                    "webui.views_util"])
def test_every_user_of_severity_words_shares_the_one_list(module):
    assert importlib.import_module(module).SEVERITY_ZH is SEVERITY_ZH


def test_alert_texts_use_the_severity_words():
    from riskgraph.alert_delivery import subject_of
    from riskgraph.store import Alert

    alert = Alert(severity="medium", text="干部甲触发规则")
    assert subject_of(alert).startswith("[riskgraph] 一般风险预警：")


def test_role_names_are_defined_once():
    from webui import views_util

    assert views_util.ROLE_ZH is ROLE_ZH
    assert set(ROLE_ZH) == set(Role)
    assert ROLE_ZH[Role.ADMIN] == "系统管理员" and ROLE_ZH[Role.AUDITOR] == "安全审计员"
