"""The corpus pipeline: raw article files -> processed Parquet tables.

Stages are pure functions (`str -> value`); `build.py` is the only module that reads and writes files.
Nothing here imports streamlit.
"""
