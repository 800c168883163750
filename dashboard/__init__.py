"""Vietnam foreign-affairs press dashboard: corpus pipeline (`dashboard.pipeline`) and Streamlit app (`dashboard.app`)."""

__version__ = "0.1.0"
