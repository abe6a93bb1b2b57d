from datetime import date

from ninja import Schema


class LayerOut(Schema):
    region: str | None
    version: int
    effective_from: date


class EffectiveValueOut(Schema):
    key: str
    value: int | bool | str | list[int]
    source: LayerOut


class EffectiveProfileOut(Schema):
    region: str | None
    on: date
    layers: list[LayerOut]
    values: list[EffectiveValueOut]


class ParameterOut(Schema):
    key: str
    label: str
    unit: str
    direction: str
    rule: str
    status: str
    enforcement: str
