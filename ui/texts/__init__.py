"""Sections of the translation table, one per part of the app; ui.i18n.TEXT joins them."""
