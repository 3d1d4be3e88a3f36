"""Operator services on top of operation and KPIs: green hours, flexibility offers and requests.

They answer an operator's questions about a district (when is energy green, how much can the
assets shift, what does a cut of import cost) with the same scenario, inputs and dispatch
models as the strategies in :mod:`sparcs.operation`, and price the answers with the KPIs.
"""

from sparcs.services.flex_request import FlexResponse, flexibility_request
from sparcs.services.flexibility import Flexibility, available_flexibility
from sparcs.services.signals import GreenHours, SignalThresholds, green_hours

__all__ = [
    "FlexResponse",
    "Flexibility",
    "GreenHours",
    "SignalThresholds",
    "available_flexibility",
    "flexibility_request",
    "green_hours",
]
