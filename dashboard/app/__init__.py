"""The Streamlit app. It reads the processed tables only; it never re-parses raw text."""
