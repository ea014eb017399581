"""Published payload schemas (OpenAPI 3.0 / JSON Schema) turned into strict validators.

Strict means: an object schema that lists its ``properties`` refuses any other key
(``additionalProperties: false`` unless the schema says otherwise), and ``null`` is accepted
wherever a value is (the services send ``null`` for absent values whether or not the schema
says ``nullable``). ``$ref`` to ``#/components/schemas/...`` are resolved inside the document.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "schemas"


def strict(schema: Any) -> Any:
    """A copy of ``schema`` where objects refuse unknown keys and every value may be null."""
    if isinstance(schema, list):
        return [strict(s) for s in schema]
    if not isinstance(schema, Mapping):
        return schema
    out = {k: strict(v) for k, v in schema.items() if k not in ("nullable", "example", "x-additionalPropertiesName")}
    if "$ref" in out:
        return {"$ref": out["$ref"]}  # the target is strict and nullable itself
    kind = out.get("type")
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if isinstance(kind, str):
        out["type"] = [kind, "null"]
    elif isinstance(kind, list) and "null" not in kind:
        out["type"] = [*kind, "null"]
    if "enum" in out and None not in out["enum"]:
        out["enum"] = [*out["enum"], None]
    return out


@cache
def openapi_components(name: str) -> dict[str, Any]:
    """``components`` of the OpenAPI file ``SCHEMAS/<name>``, made strict (see :func:`strict`)."""
    document = yaml.safe_load((SCHEMAS / name).read_text(encoding="utf-8"))
    return {"components": {"schemas": strict(copy.deepcopy(document["components"]["schemas"]))}}


def openapi_validator(name: str, component: str) -> jsonschema.protocols.Validator:
    """Strict validator of ``#/components/schemas/<component>`` of the OpenAPI file ``name``."""
    root = openapi_components(name)
    schema = {**root, "$ref": f"#/components/schemas/{component}"}
    return jsonschema.Draft7Validator(schema)


def json_validator(name: str) -> jsonschema.protocols.Validator:
    """Strict validator of the JSON Schema file ``SCHEMAS/<name>`` (YAML or JSON)."""
    schema = yaml.safe_load((SCHEMAS / name).read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(strict(schema))


def errors(validator: jsonschema.protocols.Validator, payload: object) -> Iterator[str]:
    """Readable errors of ``payload``: ``path: message``."""
    for error in validator.iter_errors(payload):
        path = "/".join(str(p) for p in error.absolute_path)
        message = error.message if len(error.message) < 200 else error.message[:200] + "…"
        yield f"{path}: {message}"
