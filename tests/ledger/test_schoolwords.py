"""Case tables for school types and collective names (eduplan/ledger/schoolwords.py): one line
per name and the answer a person reading a bureau's document would give."""

from __future__ import annotations

import pytest

from eduplan.ledger.orgwords import org_kind
from eduplan.ledger.schoolwords import (
    STANDARD_GROUPS,
    TYPE_STAGES,
    group_key_for,
    guess_school_type,
    in_group,
)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("各学校", "all"),
        ("各校", "all"),
        ("全县各学校", "all"),
        ("全县各中小学", "k12"),
        ("各中小学校", "k12"),
        ("全县中小学", "k12"),
        ("各中小学幼儿园", "k12_kindergarten"),
        ("各小学", "primary"),
        ("全县小学", "primary"),
        ("各中学", "secondary"),
        ("各初中", "junior"),
        ("各高中", "senior"),
        ("各普通高中", "senior"),
        ("各幼儿园", "kindergarten"),
        ("各园", "kindergarten"),
        ("各义务教育学校", "compulsory"),
        ("各职业学校", "vocational"),
        ("相关学校", None),  # nobody knows which: an administrator decides
        ("有关单位", None),
    ],
)
def test_collective_names(name, key):
    assert group_key_for(name) == key


@pytest.mark.parametrize(
    ("name", "school_type"),
    [
        ("城关小学", "primary"),
        ("实验小学", "primary"),
        ("城关镇中心小学", "primary"),
        ("李庄村小", "primary"),
        ("城关中学", "junior"),
        ("城关初级中学", "junior"),
        ("第一高级中学", "senior"),
        ("县一中", None),
        ("实验幼儿园", "kindergarten"),
        ("育才九年一贯制学校", "nine_year"),
        ("外国语十二年一贯制学校", "twelve_year"),
        ("县完全中学", "complete"),
        ("县职业中学", "vocational"),
        ("县职业技术学校", "vocational"),
        ("县特殊教育学校", "special"),
        ("城关中心学校", None),
    ],
)
def test_school_type_from_name(name, school_type):
    assert guess_school_type(name) == school_type


# Which types each standard group takes (the decisions in the module's docstring).
GENERAL = {"kindergarten", "primary", "junior", "senior", "complete", "nine_year", "twelve_year"}
MEMBERS = {
    "all": GENERAL | {"vocational", "special"},
    "k12": {"primary", "junior", "senior", "complete", "nine_year", "twelve_year"},
    "compulsory": {"primary", "junior", "complete", "nine_year", "twelve_year"},
    "primary": {"primary", "nine_year", "twelve_year"},
    "secondary": {"junior", "senior", "complete", "nine_year", "twelve_year"},
    "junior": {"junior", "complete", "nine_year", "twelve_year"},
    "senior": {"senior", "complete", "twelve_year"},
    "kindergarten": {"kindergarten"},
    "k12_kindergarten": GENERAL,
    "vocational": {"vocational"},
}  # fmt: skip


@pytest.mark.parametrize("key", sorted(STANDARD_GROUPS))
def test_which_types_a_group_takes(key):
    assert {t for t in TYPE_STAGES if in_group(key, t)} == MEMBERS[key]


def test_an_untyped_school_is_only_in_every_school():
    assert [key for key in STANDARD_GROUPS if in_group(key, None)] == ["all"]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("城关中学教务处", "school_office"),
        ("城关小学德育处", "school_office"),
        ("实验中学团委", "school_office"),
        ("基教股", "office"),
        ("教务处", "office"),  # no school named: not known to be a school's
        ("各小学", "group"),
        ("城关小学", "school"),
    ],
)
def test_a_schools_own_office(name, kind):
    assert org_kind(name) == kind
