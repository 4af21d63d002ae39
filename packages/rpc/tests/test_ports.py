"""Listen ports tolerate the variables Kubernetes injects for Services."""

import pytest
from pydantic import TypeAdapter, ValidationError

from shvya_rpc.ports import ListenPort

PORT = TypeAdapter(ListenPort)


def test_a_plain_port_is_a_port():
    assert PORT.validate_python("50051") == 50051


def test_a_service_link_value_yields_its_port():
    assert PORT.validate_python("tcp://10.96.0.12:50051") == 50051


def test_nonsense_is_still_refused():
    with pytest.raises(ValidationError):
        PORT.validate_python("tcp://10.96.0.12:http")
    with pytest.raises(ValidationError):
        PORT.validate_python("70000")
