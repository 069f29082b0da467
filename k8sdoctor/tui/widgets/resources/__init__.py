"""Widgets of the resource views (`:deploy`, `:svc`, `:problems`...): the table and the detail."""
