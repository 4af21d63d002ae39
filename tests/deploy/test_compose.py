"""docker-compose.yml validates against the compose specification and agrees with the code."""

from __future__ import annotations

import deploy_invariants as inv
import deploy_model as model
import jsonschema
import pytest


def _schema_errors(doc: dict) -> list[str]:
    validator = jsonschema.Draft202012Validator(model.compose_schema())
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(doc)]


def test_compose_file_validates_against_the_compose_spec(compose):
    assert _schema_errors(compose) == []


def test_compose_file_validates_once_interpolated_from_env_example(compose, env_example):
    assert _schema_errors(model.interpolate(compose, model.sample_dotenv(env_example))) == []


def test_compose_agrees_with_the_code(compose, env_example):
    assert inv.compose_problems(compose, env_example) == []


def test_env_example_documents_every_variable_compose_reads_with_the_same_defaults(env_example):
    assert inv.compose_variable_problems(model.COMPOSE_FILE.read_text(), env_example) == []


def test_compose_refuses_to_start_until_the_database_password_is_set(compose, env_example):
    with pytest.raises(model.InterpolationError, match="POSTGRES_PASSWORD"):
        model.interpolate(compose, dict(env_example.active))


def test_each_channel_kind_and_lane_has_its_own_service(compose):
    services = compose["services"]

    for kind in model.channel_kinds():
        assert inv.channel_workload(kind) in services
    for lane in model.lanes():
        assert inv.lane_workload(lane) in services
