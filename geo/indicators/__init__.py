"""Indicator definitions and the engine that turns LSOA inputs into area records."""

from geo.indicators.catalogue import IndicatorDef, catalogue_frame
from geo.indicators.engine import RECORD_COLUMNS, compute_records

__all__ = ["RECORD_COLUMNS", "IndicatorDef", "catalogue_frame", "compute_records"]
