"""Live operation: forecasts from measured data, schedules from measured state, forecast skill."""

from sparcs.live.forecasters import (
    FORECASTERS,
    Forecaster,
    WeatherForecast,
    forecast,
    persistence,
    regression,
    seasonal_naive,
)
from sparcs.live.scores import best_forecasters, score_forecasts

__all__ = [
    "FORECASTERS",
    "Forecaster",
    "WeatherForecast",
    "best_forecasters",
    "forecast",
    "persistence",
    "regression",
    "score_forecasts",
    "seasonal_naive",
]
