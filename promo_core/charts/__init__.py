"""Plotly figures of core results: pure functions of a result and translated labels, no streamlit."""
